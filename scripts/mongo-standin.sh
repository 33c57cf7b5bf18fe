#!/usr/bin/env bash
# Installs the embedded MongoDB stand-in (mongo-java-server) into .cache/mongo-standin:
# Maven fetches the jars named in tools/mongo-standin/pom.xml, javac compiles the launcher.
# Idempotent: does nothing when the launcher is already built from the current sources.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/tools/mongo-standin"
cache="$root/.cache/mongo-standin"
stamp="$cache/stamp"
want="$(cat "$src/pom.xml" "$src/StandIn.java" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$cache/classes/StandIn.class" ]]; then
  exit 0
fi
command -v java >/dev/null && command -v javac >/dev/null || { echo "mongo-standin: Java 17 (java, javac) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "mongo-standin: Maven (mvn) is required" >&2; exit 1; }
rm -rf "$cache"
mkdir -p "$cache/lib" "$cache/classes"
mvn -q -B -f "$src/pom.xml" dependency:copy-dependencies -DoutputDirectory="$cache/lib"
javac -d "$cache/classes" -cp "$cache/lib/*" "$src/StandIn.java"
echo "$want" > "$stamp"
echo "mongo-standin: installed in $cache"
