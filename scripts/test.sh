#!/usr/bin/env bash
# README command 2 (and CI): install what is missing, lint, then `npm test` (typecheck, unit,
# integration and browser tests). Ends with a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser || exit 1
npm run lint || exit 1
mkdir -p test-results
rm -f test-results/vitest.json
npm test -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
status=$?
if [[ -f test-results/vitest.json ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
    // The failures last, so the tail of a CI log names them.
    for (const file of r.testResults) {
      for (const t of file.assertionResults) {
        if (t.status !== "failed") continue;
        const why = (t.failureMessages[0] || "").split("\n")[0].slice(0, 300);
        console.log(`FAILED ${file.name.replace(process.cwd() + "/", "")} > ${t.fullName}: ${why}`);
      }
      if (file.status === "failed" && file.assertionResults.length === 0) {
        console.log(`FAILED ${file.name.replace(process.cwd() + "/", "")}: ${(file.message || "").slice(0, 300)}`);
      }
    }
    console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  '
fi
exit $status
