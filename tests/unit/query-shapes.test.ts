import { Types } from 'mongoose';
import { describe, expect, test } from 'vitest';
import { callShapes, declaredIndexes, filterShapes, indexServes, servingIndex, shapeKey, type IndexSpec } from '../support/query-shapes';

const index = (keys: Record<string, 1 | -1>, options: Partial<IndexSpec> = {}): IndexSpec => ({
  keys: Object.entries(keys),
  unique: false,
  sparse: false,
  ...options,
});
const idIndex = index({ _id: 1 }, { unique: true });
const only = (filter: unknown, sort?: unknown) => {
  const shapes = filterShapes('things', filter, sort);
  expect(shapes).toHaveLength(1);
  return shapes[0]!;
};

describe('query shapes', () => {
  test('values, $in and null are equality; comparisons and anchored regexes are ranges; the rest is filtered', () => {
    const shape = only({
      a: new Types.ObjectId(),
      b: { $in: ['x', 'y'] },
      c: null,
      d: { $gte: 1, $lt: 5 },
      e: /^abc/,
      f: /abc/,
      g: { $regex: '^abc', $options: 'i' },
      h: { $exists: true },
      i: { $size: 2 },
    });
    expect(shape).toMatchObject({ equality: ['a', 'b', 'c'], range: ['d', 'e', 'h'], residual: ['f', 'g', 'i'], missing: ['c'] });
  });

  test('each $or branch is a shape with the outer conditions; $and merges; $elemMatch names element fields', () => {
    const shapes = filterShapes('users', {
      $or: [{ street: { $in: [1] } }, { community: { $in: [2] } }],
      $and: [{ 'roles.role': 'resident' }],
      roles: { $elemMatch: { scopeType: 'competition', scopeId: 3 } },
    });
    expect(shapes.map(shapeKey)).toEqual([
      'users eq(roles.role, roles.scopeId, roles.scopeType, street)',
      'users eq(community, roles.role, roles.scopeId, roles.scopeType)',
    ]);
  });

  test('sort keys on equality fields are dropped; a distinct key is a sort; aggregate takes the leading $match and $sort', () => {
    expect(only({ competition: 1 }, { competition: 1, number: -1 }).sort).toEqual([['number', -1]]);
    expect(callShapes('auditlogs', 'distinct', ['action', {}]).map(shapeKey)).toEqual(['auditlogs sort(action:1)']);
    expect(callShapes('ballots', 'aggregate', [[{ $match: { competition: 1 } }, { $sort: { _id: 1 } }, { $group: { _id: '$x' } }]]).map(shapeKey)).toEqual([
      'ballots eq(competition) sort(_id:1)',
    ]);
    expect(callShapes('ballots', 'aggregate', [[{ $match: { competition: 1 } }, { $group: { _id: '$x' } }, { $sort: { n: -1 } }]]).map(shapeKey)).toEqual([
      'ballots eq(competition)',
    ]);
    expect(callShapes('users', 'bulkWrite', [[{ updateOne: { filter: { phone: '1' }, update: {} } }, { insertOne: { document: {} } }]]).map(shapeKey)).toEqual([
      'users eq(phone)',
    ]);
    expect(callShapes('users', 'insertMany', [[{ phone: '1' }]])).toEqual([]);
    expect(callShapes('sheets', 'findOneAndUpdate', [{ judge: 1 }, { $set: {} }, { sort: { createdAt: -1 } }]).map(shapeKey)).toEqual([
      'sheets eq(judge) sort(createdAt:-1)',
    ]);
    expect(callShapes('sheets', 'countDocuments', [{}, {}]).map(shapeKey)).toEqual(['sheets (no filter, no sort)']);
  });

  test('declared indexes come from schema.indexes() plus _id; text indexes are skipped', () => {
    const schema = { indexes: () => [[{ a: 1, b: -1 }, { unique: true }], [{ body: 'text' }, {}], [{ c: 1 }, { sparse: true }]] };
    expect(declaredIndexes(schema)).toEqual([idIndex, index({ a: 1, b: -1 }, { unique: true }), index({ c: 1 }, { sparse: true })]);
  });
});

describe('an index serves a shape', () => {
  test('equality fields in any order as the prefix, then the sort, then ranges (ESR)', () => {
    const esr = index({ recipient: 1, status: 1, createdAt: -1, _id: -1 });
    expect(indexServes(only({ status: 'x', recipient: 1 }, { createdAt: -1, _id: -1 }), esr)).toBe(true);
    expect(indexServes(only({ status: 'x', recipient: 1 }, { createdAt: 1, _id: 1 }), esr)).toBe(true);
    expect(indexServes(only({ recipient: 1 }), esr)).toBe(true);
    expect(indexServes(only({ recipient: 1, status: 'x', createdAt: { $lt: new Date() } }), esr)).toBe(true);
  });

  test('a query no index serves is reported: a missing equality field, a sort out of place, mixed directions, a bare range', () => {
    const indexes = [idIndex, index({ recipient: 1, createdAt: -1 })];
    for (const [filter, sort] of [
      [{ proposal: 1 }, undefined],
      [{ recipient: 1, type: 'x' }, undefined],
      [{ recipient: 1 }, { createdAt: -1, _id: -1 }],
      [{ recipient: 1 }, { readAt: 1 }],
      [{}, { createdAt: -1 }],
      [{ readAt: { $gt: new Date() } }, undefined],
      [{ text: /anywhere/ }, undefined],
    ] as const) {
      expect(servingIndex(only(filter, sort), indexes), JSON.stringify([filter, sort])).toMatchObject({ served: false });
    }
    expect(indexServes(only({ a: 1 }, { b: 1, c: 1 }), index({ a: 1, b: 1, c: -1 }))).toBe(false);
  });

  test('a unique index whose keys are all matched is a point lookup, whatever else the filter says', () => {
    const indexes = [idIndex, index({ competition: 1, voter: 1 }, { unique: true })];
    expect(servingIndex(only({ _id: 1, author: 2, status: { $ne: 'x' } }, { number: 1 }), indexes)).toMatchObject({ served: true, by: '{ _id: 1 } unique' });
    expect(servingIndex(only({ _id: null }), indexes)).toMatchObject({ served: true });
    expect(servingIndex(only({ competition: 1, voter: 2, channel: 'x' }), indexes)).toMatchObject({ served: true });
    expect(servingIndex(only({ competition: 1 }), indexes)).toMatchObject({ served: true });
    expect(servingIndex(only({ voter: 2 }), indexes)).toMatchObject({ served: false });
  });

  test('a sparse index never answers for documents without the field', () => {
    const sparse = index({ phone: 1 }, { unique: true, sparse: true });
    expect(indexServes(only({ phone: '1' }), sparse)).toBe(true);
    expect(indexServes(only({ phone: null }), sparse)).toBe(false);
    expect(indexServes(only({}, { phone: 1 }), sparse)).toBe(false);
    expect(indexServes(only({ phone: { $gt: '' } }, { phone: 1 }), sparse)).toBe(true);
  });

  test('filter-only fields may stay out of the prefix only when another equality field is in it', () => {
    const byCompetition = index({ competition: 1, status: 1, number: 1 });
    const filterOnly = new Set(['category']);
    expect(indexServes(only({ competition: 1, status: 'x', category: 'c' }, { number: 1 }), byCompetition, filterOnly)).toBe(true);
    expect(indexServes(only({ competition: 1, status: 'x', category: 'c' }, { number: 1 }), byCompetition)).toBe(false);
    expect(indexServes(only({ category: 'c' }, { number: 1 }), index({ number: 1 }), filterOnly)).toBe(false);
  });

  test('no filter and no sort reads everything by design; only unboundable conditions do not', () => {
    expect(servingIndex(only({}), [idIndex])).toMatchObject({ served: true });
    expect(servingIndex(only({ searchText: /x/ }), [idIndex, index({ searchText: 1 })])).toMatchObject({ served: false });
  });
});
