/**
 * Every query the app issues in the integration suite is served by a declared index.
 *
 * The test database (mongo-java-server) ignores secondary indexes, so nothing else would notice a
 * query that production MongoDB answers with a collection scan or an in-memory sort. While this
 * project is in the run, tests/support/integration-setup.ts records the shape of every query
 * mongoose sends (its debug hook: find, findOne, countDocuments, distinct, update*, delete*,
 * findOneAnd*, replaceOne, bulkWrite filters, and an aggregation's leading $match with a $sort
 * right after it; `.lean()` and `mongoose.trusted()` filters alike), one JSON file per integration
 * file; this project runs after the integration project (sequence.groupOrder) and checks them all.
 * Queries that tests or seeds/ (the demo and the test factories) send themselves, not through
 * app code, are counted but not checked; the innermost project frame of the stack tells which.
 *
 * A shape is the collection, the filter's field paths and the sort, without the values:
 * - a value, null, $eq, $in, $all and $exists: false are equality; $gt/$gte/$lt/$lte, $ne, $nin,
 *   $not, $exists: true and an anchored, case-sensitive regex are ranges; conditions no index can
 *   bound ($expr, $where, $size, $type, an unanchored or case-insensitive regex) are filtered;
 * - $and merges into one shape, each $or branch is a shape of its own (MongoDB needs an index for
 *   every branch), $elemMatch names the element's fields as `array.field`;
 * - sort keys on equality fields are dropped (they are constant); a distinct key counts as a sort.
 *
 * A shape is served when one of the collection's declared indexes (Model.schema.indexes(), which
 * includes `index: true` and `unique: true` paths, plus the implicit { _id: 1 }) either
 * - is unique and every one of its keys is an equality field (a point lookup: `_id`, a slug, a
 *   code hash; the other conditions are checked on that one document), or
 * - follows the ESR rule: the equality fields, in any order, are exactly the index's leading keys
 *   (the prefix); the sort keys come right after it, in order, all in the index's direction or
 *   all reversed (no in-memory sort); range fields may come next or are filtered on what the
 *   prefix selects (only the first range key after the prefix would narrow the scan anyway).
 *   With neither an equality prefix nor a sort, the index must start with a range field.
 * Two exceptions, each written down below with its reason: FILTER_ONLY fields may be left out of
 * the prefix when another equality field is in it (they narrow a set that is small or read in
 * full anyway), and KNOWN_UNSERVED shapes need a change in the query, not an index; they are
 * printed on every run. A sparse index only counts when one of its keys has a condition that a
 * missing field cannot satisfy. A query with no condition and no sort reads the whole collection
 * by design (resetting the database, a backup) and is served.
 *
 * Not seen: queries on the driver directly (GridFS uploads, read and deleted by _id and files_id
 * with the driver's own indexes; the backup's full reads) and what runs only in HTTP or e2e tests.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, inject, test } from 'vitest';
import { allModels } from '#models';
import { declaredIndexes, servingIndex, type IndexSpec, type RecordedFile, type RecordedShape } from '../support/query-shapes';

/** Per collection: fields that may stay out of an index prefix that another equality field starts. */
const FILTER_ONLY: Record<string, Record<string, string>> = {
  proposals: {
    category: "narrows one competition's proposals (a few hundred at most), which the list's facet counts read in full anyway",
    street: "the same; on a street-scope ballot it narrows one competition's eligible proposals",
    community: 'the same, for the community filter of the list',
  },
  auditlogs: { action: "narrows one target's entries, which are few; alone it has its own index" },
  comments: { 'reports.by': "narrows one proposal's comments, which the same page lists in full" },
};

/** Shapes no index can serve; the query has to change. Each is printed on every run. */
const KNOWN_UNSERVED: Record<string, string> = {
  'users filtered(searchText)':
    "the admin's user search counts matches of an unanchored regex over every account " +
    '(app/features/accounts/users.server.ts searchUsers); search terms like the proposals have would bound it',
};

interface Seen extends RecordedShape {
  files: Set<string>;
  origins: Set<string>;
}

function recordedShapes(dir: string): { files: number; shapes: Map<string, Seen> } {
  const shapes = new Map<string, Seen>();
  const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  for (const name of names) {
    const record = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as RecordedFile;
    for (const recorded of record.shapes) {
      const seen = shapes.get(recorded.key) ?? { ...recorded, count: 0, methods: [], issuer: 'setup', files: new Set(), origins: new Set() };
      if (recorded.issuer === 'app' && seen.issuer === 'setup') {
        seen.issuer = 'app';
        seen.origins.clear();
      }
      seen.count += recorded.count;
      for (const method of recorded.methods) if (!seen.methods.includes(method)) seen.methods.push(method);
      seen.files.add(record.file);
      if (recorded.origin && recorded.issuer === seen.issuer) seen.origins.add(recorded.origin);
      shapes.set(recorded.key, seen);
    }
  }
  return { files: names.length, shapes };
}

function integrationFileCount(): number {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'integration');
  return readdirSync(root, { recursive: true }).filter((name) => /\.test\.tsx?$/.test(String(name))).length;
}

test('every query shape the app issues in the integration suite is served by a declared index', () => {
  const dir = inject('queryShapesDir');
  expect(dir, 'the index-coverage project sets up the shapes directory (tests/support/global-query-shapes.ts)').toBeTruthy();
  const { files, shapes } = recordedShapes(dir!);
  const checked = [...shapes.values()].filter((seen) => seen.issuer === 'app').sort((a, b) => a.key.localeCompare(b.key));
  if (!checked.length) {
    throw new Error(
      'index coverage: no query shapes were recorded. Run this project together with the integration ' +
        'project (`npx vitest run --project integration --project index-coverage`, or `npx vitest run`).',
    );
  }

  const indexes = new Map<string, IndexSpec[]>(allModels.map((model) => [model.collection.name, declaredIndexes(model.schema)]));
  const unserved: string[] = [];
  const known: string[] = [];
  const report: { shape: string; count: number; methods: string[]; from: string[]; servedBy?: string; unserved?: string }[] = [];
  for (const seen of checked) {
    const declared = indexes.get(seen.shape.collection);
    const filterOnly = new Set(Object.keys(FILTER_ONLY[seen.shape.collection] ?? {}));
    const verdict = declared ? servingIndex(seen.shape, declared, filterOnly) : { served: false as const, reason: 'no model declares this collection' };
    const from = seen.origins.size ? [...seen.origins] : [...seen.files];
    report.push({ shape: seen.key, count: seen.count, methods: seen.methods, from, ...(verdict.served ? { servedBy: verdict.by } : { unserved: verdict.reason }) });
    if (verdict.served) continue;
    const line = `${seen.key} [${seen.methods.join(', ')}, ${seen.count}×] from ${from.join(', ')}`;
    if (KNOWN_UNSERVED[seen.key]) known.push(`${line}: ${KNOWN_UNSERVED[seen.key]}`);
    else unserved.push(`${line}: ${verdict.reason}`);
  }
  for (const seen of shapes.values()) {
    if (seen.issuer === 'setup') report.push({ shape: seen.key, count: seen.count, methods: seen.methods, from: [...seen.origins], unserved: 'not checked: sent by tests or seeds' });
  }
  // Which index serves which shape, to read after the run.
  writeFileSync(path.join(path.dirname(dir!), 'last-report.json'), JSON.stringify(report, null, 1));

  const collections = new Set(checked.map((seen) => seen.shape.collection));
  const summary =
    `index coverage: ${checked.length} distinct query shapes over ${collections.size} collections ` +
    `(${files} integration files; ${shapes.size - checked.length} more sent by tests or seeds themselves, not checked)`;
  console.log(unserved.length ? `${summary}, ${unserved.length} not served` : `${summary}, all served${known.length ? ` but ${known.length} known` : ''}`);
  for (const line of known) console.log(`index coverage: known, needs a query change: ${line}`);
  expect(unserved, `${unserved.length} query shapes are not served by an index:\n${unserved.join('\n')}\n`).toEqual([]);

  // On a full run, a known shape that is gone or now served must leave the list.
  if (files === integrationFileCount()) {
    const stale = Object.keys(KNOWN_UNSERVED).filter((key) => !known.some((line) => line.startsWith(`${key} [`)));
    expect(stale, 'KNOWN_UNSERVED lists shapes the app no longer issues unserved').toEqual([]);
  }
});
