import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Mongoose } from 'mongoose';

/**
 * Query shapes: what an index has to answer, without the values. The integration setup records
 * the shape of every query mongoose sends (through its debug hook, which sees every collection
 * call a model makes: find, findOne, countDocuments, distinct, update*, delete*, findOneAnd*,
 * replaceOne, bulkWrite and aggregate, `.lean()` and `mongoose.trusted()` filters included, after
 * casting); tests/coverage/index-coverage.test.ts checks each against the models' indexes with
 * `servingIndex`, whose rule is described in that test's header.
 *
 * The debug hook rather than the driver's command monitoring: it is called synchronously, with
 * mongoose's method name and arguments, so its (async) stack still names the app function that
 * awaited the query; and it needs no change to the connection (monitorCommands must be set when
 * app/core/db.server.ts creates the client). It does not see code that uses the driver directly
 * (GridFS uploads and the backup, which read by _id or everything).
 */

export type Direction = 1 | -1;

export interface QueryShape {
  collection: string;
  /** Fields matched by a value, null, $eq, $in, $all or $exists: false (sorted). */
  equality: string[];
  /** Fields with an index-boundable condition: $gt/$gte/$lt/$lte, $ne, $nin, $not, $exists: true, an anchored regex. */
  range: string[];
  /** Sort keys in order, without the equality fields (they are constant). A distinct key counts as a sort. */
  sort: [string, Direction][];
  /** Fields whose condition also matches documents without the field: a sparse index cannot answer for them. */
  missing: string[];
  /** Conditions no index bounds ($expr, $where, a case-insensitive or unanchored regex, $size, $type…): filtered after. */
  residual: string[];
}

export interface IndexSpec {
  keys: [string, Direction][];
  unique: boolean;
  /** Sparse or partial: holds only some documents. */
  sparse: boolean;
}

interface Conditions {
  equality: Set<string>;
  range: Set<string>;
  missing: Set<string>;
  residual: Set<string>;
}

type Filter = Record<string, unknown>;

/** A filter with many $or branches multiplies; beyond this the branches are merged (all as ranges). */
const MAX_ALTERNATIVES = 64;

const emptyConditions = (): Conditions => ({ equality: new Set(), range: new Set(), missing: new Set(), residual: new Set() });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function isRegex(value: unknown): value is object {
  if (value instanceof RegExp) return true;
  // The driver's BSONRegExp (pattern/options) after casting.
  return typeof value === 'object' && value !== null && (value as { _bsontype?: string })._bsontype === 'BSONRegExp';
}

function regexParts(value: unknown): { source: string; flags: string } {
  if (value instanceof RegExp) return { source: value.source, flags: value.flags };
  const bson = value as { pattern: string; options: string };
  return { source: bson.pattern, flags: bson.options };
}

/** An anchored regex with a literal start and no `i` flag has index bounds; any other is a scan. */
function regexKind(source: string, flags: string): 'range' | 'residual' {
  if (flags.includes('i') || flags.includes('m')) return 'residual';
  return /^\^[^.*+?()[\]{}|\\^$]/.test(source) ? 'range' : 'residual';
}

function merge(into: Conditions, from: Conditions): Conditions {
  for (const key of ['equality', 'range', 'missing', 'residual'] as const) for (const field of from[key]) into[key].add(field);
  return into;
}

function cross(left: Conditions[], right: Conditions[]): Conditions[] {
  const out: Conditions[] = [];
  for (const a of left) for (const b of right) out.push(merge(merge(emptyConditions(), a), b));
  if (out.length <= MAX_ALTERNATIVES) return out;
  const all = out.reduce((acc, c) => merge(acc, c), emptyConditions());
  for (const field of all.equality) all.range.add(field);
  all.equality.clear();
  return [all];
}

/** The conditions on one field: equality beats range beats residual; "matches missing" only if every operator does. */
function fieldConditions(field: string, value: unknown): Conditions {
  const conditions = emptyConditions();
  if (value === null || value === undefined) {
    conditions.equality.add(field);
    conditions.missing.add(field);
    return conditions;
  }
  if (isRegex(value)) {
    const { source, flags } = regexParts(value);
    conditions[regexKind(source, flags)].add(field);
    return conditions;
  }
  if (!isOperatorObject(value)) {
    conditions.equality.add(field);
    return conditions;
  }
  let kind: 'equality' | 'range' | 'residual' | undefined;
  const stronger = (next: 'equality' | 'range' | 'residual') => {
    const rank = { equality: 3, range: 2, residual: 1 };
    if (!kind || rank[next] > rank[kind]) kind = next;
  };
  let matchesMissing = true;
  for (const [op, arg] of Object.entries(value)) {
    switch (op) {
      case '$eq':
        stronger('equality');
        if (arg !== null) matchesMissing = false;
        break;
      case '$in':
        stronger('equality');
        if (!(Array.isArray(arg) && arg.includes(null))) matchesMissing = false;
        break;
      case '$all':
        stronger('equality');
        matchesMissing = false;
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        stronger('range');
        matchesMissing = false;
        break;
      case '$ne':
        stronger('range');
        if (arg === null) matchesMissing = false;
        break;
      case '$nin':
        stronger('range');
        if (Array.isArray(arg) && arg.includes(null)) matchesMissing = false;
        break;
      case '$not':
        stronger('range');
        break;
      case '$exists':
        if (arg) {
          stronger('range');
          matchesMissing = false;
        } else stronger('equality');
        break;
      case '$regex': {
        const flags = typeof value.$options === 'string' ? value.$options : '';
        const { source, flags: own } = isRegex(arg) ? regexParts(arg) : { source: String(arg), flags: '' };
        stronger(regexKind(source, flags + own));
        matchesMissing = false;
        break;
      }
      case '$options':
        break;
      case '$elemMatch': {
        matchesMissing = false;
        if (isOperatorObject(arg)) {
          const inner = fieldConditions(field, arg);
          merge(conditions, inner);
          break;
        }
        // Conditions on the elements' fields: each is a path under this field.
        const alternatives = conjunctions(arg as Filter, `${field}.`);
        if (alternatives.length === 1) merge(conditions, alternatives[0]!);
        else for (const alternative of alternatives) merge(conditions, { ...alternative, equality: new Set(), range: new Set([...alternative.equality, ...alternative.range]) });
        break;
      }
      default:
        // $size, $type, $mod, $bits*, geo operators: no index bounds them here.
        stronger('residual');
        matchesMissing = false;
    }
  }
  if (kind) conditions[kind].add(field);
  if (matchesMissing && kind) conditions.missing.add(field);
  return conditions;
}

/** The filter as alternatives (one per $or branch), each a conjunction of field conditions. */
function conjunctions(filter: Filter, prefix = ''): Conditions[] {
  let alternatives: Conditions[] = [emptyConditions()];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) alternatives = cross(alternatives, conjunctions(part as Filter, prefix));
    } else if (key === '$or' && Array.isArray(value)) {
      alternatives = cross(alternatives, value.flatMap((branch) => conjunctions(branch as Filter, prefix)));
    } else if (key === '$nor' && Array.isArray(value)) {
      // A negation: every field it names becomes a range that also matches missing documents.
      const negated = emptyConditions();
      for (const branch of value) {
        for (const c of conjunctions(branch as Filter, prefix)) {
          for (const field of [...c.equality, ...c.range]) {
            negated.range.add(field);
            negated.missing.add(field);
          }
          for (const field of c.residual) negated.residual.add(field);
        }
      }
      alternatives = cross(alternatives, [negated]);
    } else if (key === '$comment') {
      continue;
    } else if (key.startsWith('$')) {
      const residual = emptyConditions();
      residual.residual.add(key);
      alternatives = cross(alternatives, [residual]);
    } else {
      alternatives = cross(alternatives, [fieldConditions(prefix + key, value)]);
    }
  }
  return alternatives;
}

function directionOf(value: unknown): Direction | undefined {
  if (value === 1 || value === '1' || value === 'asc' || value === 'ascending') return 1;
  if (value === -1 || value === '-1' || value === 'desc' || value === 'descending') return -1;
  return undefined;
}

/** A sort as mongoose or the driver may hold it: an object, a Map, `[[k, d], …]`, `[k, d]` or a string. */
export function sortKeys(sort: unknown): [string, Direction][] {
  if (sort === undefined || sort === null) return [];
  if (typeof sort === 'string') {
    return sort
      .split(/\s+/)
      .filter(Boolean)
      .map((key) => (key.startsWith('-') ? [key.slice(1), -1] : [key, 1]));
  }
  if (sort instanceof Map) return sortKeys(Object.fromEntries(sort));
  if (Array.isArray(sort)) {
    if (sort.length === 2 && typeof sort[0] === 'string' && directionOf(sort[1])) return [[sort[0], directionOf(sort[1])!]];
    return sort.flatMap((entry) => (Array.isArray(entry) ? sortKeys([entry[0], entry[1]]) : sortKeys(entry)));
  }
  if (typeof sort === 'object') {
    // { $meta: 'textScore' } and the like are not index orders.
    return Object.entries(sort).flatMap(([key, value]) => {
      const direction = directionOf(value);
      return direction ? [[key, direction] as [string, Direction]] : [];
    });
  }
  return [];
}

/** The shapes of one filter (one per $or branch) with a sort. */
export function filterShapes(collection: string, filter: unknown, sort: unknown = undefined): QueryShape[] {
  const alternatives = isPlainObject(filter) ? conjunctions(filter) : [emptyConditions()];
  const order = sortKeys(sort);
  const seen = new Map<string, QueryShape>();
  for (const c of alternatives) {
    const shape: QueryShape = {
      collection,
      equality: [...c.equality].sort(),
      range: [...c.range].filter((field) => !c.equality.has(field)).sort(),
      sort: order.filter(([field]) => !c.equality.has(field)),
      missing: [...c.missing].sort(),
      residual: [...c.residual].filter((field) => !c.equality.has(field) && !c.range.has(field)).sort(),
    };
    seen.set(shapeKey(shape), shape);
  }
  return [...seen.values()];
}

function optionSort(options: unknown): unknown {
  return isPlainObject(options) ? options.sort : undefined;
}

/** The shapes one collection call issues, from the arguments mongoose's debug hook receives. */
export function callShapes(collection: string, method: string, args: unknown[]): QueryShape[] {
  const [first, second, third] = args;
  switch (method) {
    case 'find':
    case 'findOne':
    case 'findOneAndDelete':
      return filterShapes(collection, first, optionSort(second));
    case 'findOneAndUpdate':
    case 'findOneAndReplace':
      return filterShapes(collection, first, optionSort(third));
    case 'countDocuments':
    case 'count':
    case 'updateOne':
    case 'updateMany':
    case 'replaceOne':
    case 'deleteOne':
    case 'deleteMany':
      return filterShapes(collection, first);
    case 'distinct':
      return filterShapes(collection, second, { [String(first)]: 1 });
    case 'aggregate':
      return pipelineShapes(collection, Array.isArray(first) ? first : []);
    case 'bulkWrite':
      return (Array.isArray(first) ? first : []).flatMap((op: unknown) => {
        if (!isPlainObject(op)) return [];
        const [kind, body] = Object.entries(op)[0] ?? [];
        if (!kind || kind === 'insertOne' || !isPlainObject(body)) return [];
        return filterShapes(collection, body.filter);
      });
    default:
      // Inserts, index management, estimatedDocumentCount, watch: no filter to serve.
      return [];
  }
}

/** An aggregation uses an index only for a leading $match and a $sort right after it (or first). */
function pipelineShapes(collection: string, pipeline: unknown[]): QueryShape[] {
  const stages = pipeline.filter(isPlainObject);
  const first = stages[0];
  if (!first) return [];
  if ('$match' in first) {
    const next = stages[1];
    return filterShapes(collection, first.$match, next && '$sort' in next ? next.$sort : undefined);
  }
  if ('$sort' in first) return filterShapes(collection, {}, first.$sort);
  return [];
}

export function shapeKey(shape: QueryShape): string {
  const parts = [shape.collection];
  if (shape.equality.length) parts.push(`eq(${shape.equality.join(', ')})`);
  if (shape.range.length) parts.push(`range(${shape.range.join(', ')})`);
  if (shape.sort.length) parts.push(`sort(${shape.sort.map(([field, d]) => `${field}:${d}`).join(', ')})`);
  if (shape.residual.length) parts.push(`filtered(${shape.residual.join(', ')})`);
  const sparseBlind = shape.missing.filter((field) => shape.equality.includes(field) || shape.range.includes(field));
  if (sparseBlind.length) parts.push(`orMissing(${sparseBlind.join(', ')})`);
  if (parts.length === 1) parts.push('(no filter, no sort)');
  return parts.join(' ');
}

/** The indexes a model declares (schema.index() and `index`/`unique` paths) plus the implicit _id one. */
export function declaredIndexes(schema: { indexes(): unknown[] }): IndexSpec[] {
  const specs: IndexSpec[] = [{ keys: [['_id', 1]], unique: true, sparse: false }];
  for (const entry of schema.indexes()) {
    const [fields, options] = entry as [Record<string, unknown>, Record<string, unknown> | undefined];
    const keys = Object.entries(fields).map(([field, value]) => [field, directionOf(value)] as const);
    // Text, hashed and geo indexes answer other questions.
    if (keys.some(([, direction]) => direction === undefined)) continue;
    specs.push({
      keys: keys as [string, Direction][],
      unique: Boolean(options?.unique),
      sparse: Boolean(options?.sparse || options?.partialFilterExpression),
    });
  }
  return specs;
}

export function describeIndex(index: IndexSpec): string {
  const keys = index.keys.map(([field, direction]) => `${field}: ${direction}`).join(', ');
  return `{ ${keys} }${index.unique ? ' unique' : ''}${index.sparse ? ' sparse' : ''}`;
}

/**
 * Whether the index answers the shape (the rule is spelled out in
 * tests/coverage/index-coverage.test.ts): a unique index whose every key is matched by a value,
 * or the equality fields as its leading keys, then the sort keys; range fields may follow or be
 * filtered. `filterOnly` fields may be left out of the prefix when another equality field is in it.
 */
export function indexServes(shape: QueryShape, index: IndexSpec, filterOnly: ReadonlySet<string> = new Set()): boolean {
  const equality = new Set(shape.equality);
  const range = new Set(shape.range);
  const missing = new Set(shape.missing);
  const fields = index.keys.map(([field]) => field);
  if (index.sparse && !fields.some((field) => (equality.has(field) || range.has(field)) && !missing.has(field))) return false;
  if (index.unique && fields.every((field) => equality.has(field))) return true;

  let position = 0;
  while (position < fields.length && equality.has(fields[position]!)) position++;
  const prefix = new Set(fields.slice(0, position));
  const required = shape.equality.filter((field) => !filterOnly.has(field));
  // Filter-only fields narrow a set another equality field bounds; alone, they must bound it themselves.
  if (!(required.length ? required : shape.equality).every((field) => prefix.has(field))) return false;

  if (shape.sort.length) {
    const keys = index.keys.slice(position, position + shape.sort.length);
    if (keys.length < shape.sort.length) return false;
    const flip = keys[0]![1] * shape.sort[0]![1];
    if (!shape.sort.every(([field, direction], i) => keys[i]![0] === field && keys[i]![1] * direction === flip)) return false;
  }
  // With no equality prefix and no sort, a range must bound the first key, or the whole index is read.
  if (position === 0 && !shape.sort.length) return range.has(fields[0]!);
  return true;
}

export type Verdict = { served: true; by: string } | { served: false; reason: string };

export function servingIndex(shape: QueryShape, indexes: IndexSpec[], filterOnly: ReadonlySet<string> = new Set()): Verdict {
  if (!shape.equality.length && !shape.range.length && !shape.sort.length) {
    if (!shape.residual.length) return { served: true, by: 'reads the whole collection by design' };
    return { served: false, reason: 'only conditions no index bounds: every query reads the whole collection' };
  }
  // Of the indexes that serve it, the one holding most of its fields, then the shortest (as a planner would).
  const fields = new Set([...shape.equality, ...shape.range, ...shape.sort.map(([field]) => field)]);
  const score = (candidate: IndexSpec) => candidate.keys.filter(([field]) => fields.has(field)).length * 100 - candidate.keys.length;
  const index = indexes.filter((candidate) => indexServes(shape, candidate, filterOnly)).sort((a, b) => score(b) - score(a))[0];
  if (index) return { served: true, by: describeIndex(index) };
  return { served: false, reason: `no declared index serves it (declared: ${indexes.map(describeIndex).join('; ')})` };
}

/** 'setup' is code that only fills a database: tests and seeds/ (the demo and the test factories). */
export type Issuer = 'app' | 'setup';

export interface RecordedShape {
  key: string;
  shape: QueryShape;
  count: number;
  methods: string[];
  /** 'setup' when every occurrence came from tests or seeds/ alone, not through app code. */
  issuer: Issuer;
  /** The innermost project frame that issued it: file and function. */
  origin?: string;
}

export interface RecordedFile {
  file: string;
  shapes: RecordedShape[];
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const APP_CODE = /^(?:app|scripts|models)\/|^server\.ts$/;

/**
 * Who issued the query being sent, from the (async) stack's innermost project frame: app code
 * (app/, scripts/, models/, server.ts), or setup code (tests/, seeds/) calling mongoose itself.
 * No project frame at all counts as the app's, so the check errs on the strict side. Reads raw
 * call sites: a formatted, source-mapped stack costs a millisecond, this a few microseconds.
 */
function issuer(): { issuer: Issuer; origin?: string } {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved only to be put back in `finally`, never called
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  let sites: NodeJS.CallSite[];
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = 40;
    Error.captureStackTrace(holder, issuer);
    // The stack is prepared when first read: read it while the raw preparation is in place.
    sites = holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  for (const site of sites) {
    const name = site.getFileName()?.replace(/^file:\/\//, '');
    if (!name?.startsWith(ROOT + path.sep) || name.includes('/node_modules/')) continue;
    const file = path.relative(ROOT, name);
    if (file === 'tests/support/query-shapes.ts') continue;
    const fn = site.getFunctionName();
    return { issuer: APP_CODE.test(file) ? 'app' : 'setup', origin: fn ? `${file} (${fn})` : file };
  }
  return { issuer: 'app' };
}

/**
 * Records the shape of every query mongoose issues, in memory; `save` writes them as JSON. The
 * stack is read only until a shape is known to come from app code, so the cost stays a walk over
 * each filter and a map lookup.
 */
export function recordQueryShapes(mongoose: Mongoose): { save(dir: string, testFile: string): void; stop(): void } {
  const shapes = new Map<string, RecordedShape>();
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    for (const shape of callShapes(collection, method, args)) {
      const key = shapeKey(shape);
      let recorded = shapes.get(key);
      if (!recorded) {
        recorded = { key, shape, count: 0, methods: [], ...issuer() };
        shapes.set(key, recorded);
      } else if (recorded.issuer === 'setup') {
        const now = issuer();
        if (now.issuer === 'app') Object.assign(recorded, now);
      }
      recorded.count++;
      if (!recorded.methods.includes(method)) recorded.methods.push(method);
    }
  });
  return {
    save(dir, testFile) {
      const relative = path.relative(ROOT, testFile);
      const record: RecordedFile = { file: relative, shapes: [...shapes.values()] };
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${relative.replace(/[\\/]/g, '__')}.json`), JSON.stringify(record, null, 1));
    },
    stop() {
      mongoose.set('debug', false);
    },
  };
}
