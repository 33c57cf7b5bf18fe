import { describe, expect, it } from 'vitest';
import { greedy } from '~/features/results/allocation/greedy';

const yuan = (n: number) => n * 100;

describe('greedy selection within the budget', () => {
  // Budget ¥500,000; ranked costs ¥100,000, ¥88,000, ¥48,000, ¥252,000, ¥60,000.
  const ranked = [
    { id: '11', cost: yuan(100_000) },
    { id: '12', cost: yuan(88_000) },
    { id: '13', cost: yuan(48_000) },
    { id: '14', cost: yuan(252_000) },
    { id: '15', cost: yuan(60_000) },
  ];

  it('funds in rank order and skips a proposal that no longer fits, keeping the numbers for the reason', () => {
    const result = greedy(ranked, yuan(500_000));
    expect(result.selected).toEqual(['11', '12', '13', '14']);
    expect(result.spent).toBe(yuan(488_000));
    expect(result.remaining).toBe(yuan(12_000));
    // "funded: rank 3, ¥48,000 fitted the remaining ¥312,000"
    expect(result.lines[2]).toEqual({
      id: '13',
      rank: 3,
      cost: yuan(48_000),
      funded: true,
      reason: 'fitted',
      remainingBefore: yuan(312_000),
      remainingAfter: yuan(264_000),
    });
    // "not funded: ¥60,000 exceeded the remaining ¥12,000"
    expect(result.lines[4]).toMatchObject({ id: '15', rank: 5, funded: false, reason: 'exceeded', remainingBefore: yuan(12_000) });
  });

  it('keeps going after a skip: a cheaper proposal further down still gets funded', () => {
    const result = greedy(
      [
        { id: 'a', cost: 70 },
        { id: 'b', cost: 50 },
        { id: 'c', cost: 30 },
      ],
      100,
    );
    expect(result.selected).toEqual(['a', 'c']);
    expect(result.lines[1]).toMatchObject({ funded: false, remainingBefore: 30 });
  });

  it('with a minimum per street, first funds the best of each street, then the rest by rank', () => {
    const streets = [
      { id: '1', cost: 40, street: 'A' },
      { id: '2', cost: 40, street: 'A' },
      { id: '3', cost: 40, street: 'A' },
      { id: '4', cost: 30, street: 'B' },
      { id: '5', cost: 10, street: 'C' },
    ];
    expect(greedy(streets, 100).selected).toEqual(['1', '2', '5']);
    const result = greedy(streets, 100, { minimumPerStreet: 1 });
    expect(result.selected).toEqual(['1', '4', '5']);
    expect(result.lines.map((l) => l.reason)).toEqual(['street-minimum', 'exceeded', 'exceeded', 'street-minimum', 'street-minimum']);
    expect(result.lines[1]).toMatchObject({ remainingBefore: 20 });
  });

  it('refuses money that is not a non-negative integer', () => {
    expect(() => greedy([{ id: 'x', cost: 1.5 }], 10)).toThrow(RangeError);
    expect(() => greedy([], -1)).toThrow(RangeError);
  });
});
