import { describe, expect, it } from 'vitest';
import type { ResultInputs } from '~/features/results/allocation/outcome';
import { previewOf } from '~/features/results/results.server';

function inputs(ballots: string[][], budgetFen = 100_000): ResultInputs {
  return {
    budgetFen,
    residentWeight: 0.5,
    normalise: true,
    criteria: [{ key: 'impact', weight: 1 }],
    proposals: ['p1', 'p2', 'p3'].map((id, i) => ({ id, number: i + 1, title: id, category: 'green', street: 's', cost: 40_000 + i * 10_000 })),
    sheets: [],
    ballots,
  };
}

describe('the committee preview is cached by the hash of its inputs', () => {
  it('a reload with unchanged inputs returns the outcome computed before, not a new computation', () => {
    const first = previewOf(inputs([['p1'], ['p1', 'p2'], ['p3']]));
    // Equal inputs built anew (another request, another instance would build the same).
    const again = previewOf(inputs([['p1'], ['p1', 'p2'], ['p3']]));
    expect(again).toBe(first);
  });

  it('one more ballot, or another budget, is another hash and a fresh outcome', () => {
    const before = previewOf(inputs([['p2'], ['p2', 'p3']]));
    const moreVotes = previewOf(inputs([['p2'], ['p2', 'p3'], ['p3']]));
    const moreMoney = previewOf(inputs([['p2'], ['p2', 'p3']], 200_000));
    expect(moreVotes).not.toBe(before);
    expect(moreVotes.mes.voters).toBe(3);
    expect(moreMoney).not.toBe(before);
    expect(moreMoney.greedy.budgetFen).toBe(200_000);
    expect(previewOf(inputs([['p2'], ['p2', 'p3']]))).toBe(before);
  });

  it('keeps only a few: the least recently used preview is recomputed after eight others', () => {
    const kept = previewOf(inputs([['p1', 'p3']], 123_400));
    for (let i = 0; i < 8; i++) previewOf(inputs([['p1']], 300_000 + i * 100));
    const recomputed = previewOf(inputs([['p1', 'p3']], 123_400));
    expect(recomputed).not.toBe(kept);
    expect(recomputed).toEqual(kept);
  });
});
