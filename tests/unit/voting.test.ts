import { describe, expect, it } from 'vitest';
import { votingFinished, votingOpen } from '~/features/competitions/phases';
import { checkChoices, findBursts, remaining } from '~/features/voting/rules';

const onBallot = new Map([
  ['1', { totalFen: 30_000_00 }],
  ['2', { totalFen: 20_000_00 }],
  ['3', { totalFen: 25_000_00 }],
]);

describe('a ballot is checked as a whole set', () => {
  const approval = { method: 'approval' as const, maxChoices: 2, ballotBudgetFen: 0 };
  const budget = { method: 'budget' as const, maxChoices: 1, ballotBudgetFen: 50_000_00 };

  it('approval: up to K choices, each once, each on the ballot', () => {
    expect(checkChoices(approval, ['1', '2'], onBallot)).toEqual({ ok: true, totalFen: 50_000_00 });
    expect(checkChoices(approval, ['1', '2', '3'], onBallot)).toEqual({ ok: false, reason: 'tooManyChoices' });
    expect(checkChoices(approval, ['1', '1'], onBallot)).toEqual({ ok: false, reason: 'duplicateChoice' });
    expect(checkChoices(approval, ['9'], onBallot)).toEqual({ ok: false, reason: 'notOnBallot' });
    expect(checkChoices(approval, [], onBallot)).toEqual({ ok: false, reason: 'emptyBallot' });
  });

  it('budget ballot: the total cost at most B, however many proposals (K does not apply)', () => {
    expect(checkChoices(budget, ['1', '2'], onBallot)).toEqual({ ok: true, totalFen: 50_000_00 });
    expect(checkChoices(budget, ['1', '3'], onBallot)).toEqual({ ok: false, reason: 'overBudget' });
  });

  it('what is left as the voter picks', () => {
    expect(remaining(approval, [{ totalFen: 1 }])).toBe(1);
    expect(remaining(budget, [{ totalFen: 30_000_00 }, { totalFen: 25_000_00 }])).toBe(-5_000_00);
  });
});

describe('bursts for the anomalies page', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
  it('counts the most events of one key inside any window, and reports keys at the threshold', () => {
    const events = [
      ...[0, 1, 2, 3, 4].map((m) => ({ key: 'ip-a', at: at(m) })),
      ...[0, 20, 40, 41].map((m) => ({ key: 'ip-b', at: at(m) })),
    ];
    expect(findBursts(events, 10 * 60_000, 5)).toEqual([{ key: 'ip-a', count: 5, from: at(0), to: at(4) }]);
    expect(findBursts(events, 10 * 60_000, 2).map((b) => [b.key, b.count])).toEqual([['ip-a', 5], ['ip-b', 2]]);
  });
});

describe('voting window', () => {
  const phases = [
    { key: 'screening' as const, startsAt: new Date('2026-01-01'), endsAt: new Date('2026-02-01') },
    { key: 'voting' as const, startsAt: new Date('2026-02-01'), endsAt: new Date('2026-03-01') },
    { key: 'judging' as const, startsAt: new Date('2026-03-01'), endsAt: new Date('2026-04-01') },
  ];
  it('is open from its start, up to but not at its end', () => {
    expect(votingOpen(phases, new Date('2026-02-01'))).toBe(true);
    expect(votingOpen(phases, new Date('2026-03-01'))).toBe(false);
    expect(votingFinished('judging')).toBe(true);
    expect(votingFinished('voting')).toBe(false);
    expect(votingFinished(null)).toBe(false);
  });
});
