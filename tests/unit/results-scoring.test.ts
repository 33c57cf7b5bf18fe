import { describe, expect, it } from 'vitest';
import { normaliseByJudge, scoreProposals, sheetScore, type ProposalInput, type SheetInput } from '~/features/results/allocation/scoring';

const criteria = [
  { key: 'need', weight: 3 },
  { key: 'cost', weight: 1 },
];
const sheet = (judge: string, proposal: string, score: number): SheetInput => ({
  judge,
  proposal,
  scores: { need: score, cost: score },
});
const proposal = (id: string, number: number, votes: number, cost = 1000): ProposalInput => ({ id, number, votes, cost });

describe('rubric scoring', () => {
  it('weights criteria relative to each other on the 1–10 scale', () => {
    expect(sheetScore(criteria, { need: 8, cost: 4 })).toBe(7);
  });

  it('refuses a sheet with a missing or out-of-range criterion', () => {
    expect(() => sheetScore(criteria, { need: 8 })).toThrow(/cost/);
    expect(() => sheetScore(criteria, { need: 11, cost: 5 })).toThrow(/need/);
  });
});

describe('per-judge normalisation', () => {
  it('makes a lenient and a harsh judge with the same preferences count alike', () => {
    const sheets = [
      { judge: 'lenient', proposal: 'p1', raw: 9 },
      { judge: 'lenient', proposal: 'p2', raw: 8 },
      { judge: 'lenient', proposal: 'p3', raw: 10 },
      { judge: 'harsh', proposal: 'p1', raw: 6 },
      { judge: 'harsh', proposal: 'p2', raw: 5 },
      { judge: 'harsh', proposal: 'p3', raw: 7 },
    ];
    const out = normaliseByJudge(sheets);
    for (const p of ['p1', 'p2', 'p3']) {
      const [a, b] = out.filter((s) => s.proposal === p);
      expect(a!.normalised).toBeCloseTo(b!.normalised, 12);
    }
    // Mapped onto the pooled scale: the middle proposal lands on the pooled mean 7.5.
    expect(out[0]!.normalised).toBeCloseTo(7.5, 12);
  });

  it('counts a judge with one sheet, or with all sheets equal, as the pooled mean', () => {
    const out = normaliseByJudge([
      { judge: 'a', proposal: 'p1', raw: 4 },
      { judge: 'a', proposal: 'p2', raw: 8 },
      { judge: 'single', proposal: 'p1', raw: 10 },
      { judge: 'flat', proposal: 'p1', raw: 9 },
      { judge: 'flat', proposal: 'p2', raw: 9 },
    ]);
    const pooledMean = (4 + 8 + 10 + 9 + 9) / 5;
    expect(out.find((s) => s.judge === 'single')!.normalised).toBeCloseTo(pooledMean, 12);
    out.filter((s) => s.judge === 'flat').forEach((s) => expect(s.normalised).toBeCloseTo(pooledMean, 12));
  });

  it('a lenient judge no longer lifts the proposals they happened to score', () => {
    // Judge L scores p1 only among the top; judge H scores p2. Both give their own average.
    const proposals = [proposal('p1', 1, 0), proposal('p2', 2, 0), proposal('p3', 3, 0), proposal('p4', 4, 0)];
    const sheets = [sheet('L', 'p1', 9), sheet('L', 'p3', 10), sheet('L', 'p4', 8), sheet('H', 'p2', 5), sheet('H', 'p3', 6), sheet('H', 'p4', 4)];
    const raw = scoreProposals(proposals, sheets, { criteria, residentWeight: 0, normalise: false });
    expect(raw.find((p) => p.id === 'p1')!.judgeMean).toBe(9);
    expect(raw.find((p) => p.id === 'p2')!.judgeMean).toBe(5);
    const normalised = scoreProposals(proposals, sheets, { criteria, residentWeight: 0 });
    expect(normalised.find((p) => p.id === 'p1')!.judgeMean).toBeCloseTo(normalised.find((p) => p.id === 'p2')!.judgeMean!, 9);
  });
});

describe('combined score and ranking', () => {
  it('combines votes (relative to the most voted) and judges (1–10 mapped to 0–1) by the resident weight', () => {
    const [first, second] = scoreProposals(
      [proposal('a', 1, 50), proposal('b', 2, 100)],
      [sheet('j', 'a', 10), sheet('j', 'b', 1)],
      { criteria, residentWeight: 0.3, normalise: false },
    );
    expect(first).toMatchObject({ id: 'a', rank: 1, voteScore: 0.5, judgeScore: 1, combined: 0.85 });
    expect(second).toMatchObject({ id: 'b', rank: 2, voteScore: 1, judgeScore: 0, combined: 0.3 });
  });

  it('gives a proposal without sheets (all judges recused) judge score 0 and no mean', () => {
    const [, lone] = scoreProposals([proposal('a', 1, 10), proposal('b', 2, 10)], [sheet('j', 'a', 5)], {
      criteria,
      residentWeight: 0.5,
    });
    expect(lone).toMatchObject({ id: 'b', judgeMean: null, judges: 0, judgeScore: 0, combined: 0.5 });
  });

  it('breaks ties by judge score, then votes, then lower cost, then lower proposal number', () => {
    const opts = { criteria, residentWeight: 0.5, normalise: false };
    // Equal combined 0.5: b has the judges, a the votes → b first.
    expect(
      scoreProposals([proposal('a', 1, 10), proposal('b', 2, 0)], [sheet('j', 'a', 1), sheet('j', 'b', 10)], opts).map((p) => p.id),
    ).toEqual(['b', 'a']);
    // Same combined and judge score, more votes first (resident weight 0: votes do not enter the combined score).
    expect(
      scoreProposals([proposal('a', 1, 3), proposal('b', 2, 7)], [sheet('j', 'a', 6), sheet('j', 'b', 6)], { ...opts, residentWeight: 0 }).map(
        (p) => p.id,
      ),
    ).toEqual(['b', 'a']);
    // Everything equal but cost: cheaper first; then number.
    const same = [sheet('j', 'a', 6), sheet('j', 'b', 6), sheet('j', 'c', 6)];
    expect(
      scoreProposals([proposal('a', 3, 5, 900), proposal('b', 2, 5, 500), proposal('c', 1, 5, 900)], same, opts).map((p) => p.id),
    ).toEqual(['b', 'c', 'a']);
  });

  it('is deterministic whatever the input order', () => {
    const proposals = [proposal('a', 1, 5), proposal('b', 2, 5), proposal('c', 3, 9)];
    const sheets = [sheet('j', 'a', 7), sheet('j', 'b', 7), sheet('j', 'c', 3), sheet('k', 'a', 2), sheet('k', 'c', 9)];
    const forward = scoreProposals(proposals, sheets, { criteria, residentWeight: 0.3 });
    const backward = scoreProposals([...proposals].reverse(), [...sheets].reverse(), { criteria, residentWeight: 0.3 });
    expect(backward).toEqual(forward);
  });
});
