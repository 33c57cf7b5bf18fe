import { describe, expect, it } from 'vitest';
import { daysOverdue, heldExpenses, peopleServed, spending } from '~/features/projects/reports';

const day = (d: string) => new Date(`${d}T00:00:00+08:00`);

describe('held expenses', () => {
  it('holds nothing within the tranche and the budget, to the fen', () => {
    const lines = [
      { amountFen: 1200_50, date: day('2027-03-01') },
      { amountFen: 1799_50, date: day('2027-03-02') },
    ];
    expect(heldExpenses(lines, { trancheFen: 3000_00, budgetFen: 10_000_00, spentElsewhereFen: 0 })).toEqual([false, false]);
    // One fen more than the tranche holds the line that passes it.
    expect(heldExpenses([...lines, { amountFen: 1, date: day('2027-03-03') }], { trancheFen: 3000_00, budgetFen: 10_000_00, spentElsewhereFen: 0 })).toEqual([false, false, true]);
  });

  it('takes lines in date order, then as listed, and a held line does not count towards the next', () => {
    const lines = [
      { amountFen: 500_00, date: day('2027-03-05') },
      { amountFen: 2800_00, date: day('2027-03-01') },
      { amountFen: 200_00, date: day('2027-03-06') },
    ];
    // 2800 first (earliest), then 500 passes 3000 and is held, then 200 still fits.
    expect(heldExpenses(lines, { trancheFen: 3000_00, budgetFen: 10_000_00, spentElsewhereFen: 0 })).toEqual([true, false, false]);
  });

  it('holds what passes the budget with what other reports spent', () => {
    const lines = [{ amountFen: 2000_00, date: day('2027-04-01') }, { amountFen: 1000_00, date: day('2027-04-02') }];
    expect(heldExpenses(lines, { trancheFen: 7000_00, budgetFen: 10_000_00, spentElsewhereFen: 8000_00 })).toEqual([false, true]);
    expect(heldExpenses(lines, { trancheFen: 7000_00, budgetFen: 10_000_00, spentElsewhereFen: 10_000_00 })).toEqual([true, true]);
  });
});

describe('the ledger', () => {
  it('sums spent and held apart, spent by category, in whole fen', () => {
    const result = spending([
      { amountFen: 10, category: 'materials', held: false },
      { amountFen: 20, category: 'materials', held: false },
      { amountFen: 5, category: 'venue', held: true },
      { amountFen: 1, category: 'venue', held: false },
    ]);
    expect(result).toEqual({ spentFen: 31, heldFen: 5, byCategory: { materials: 30, venue: 1 } });
  });

  it('sums people served per group', () => {
    expect(peopleServed([{ group: 'elderly', count: 3 }, { group: 'children', count: 2 }, { group: 'elderly', count: 4 }])).toEqual({ total: 9, byGroup: { elderly: 7, children: 2 } });
  });

  it('counts whole days overdue from the due day', () => {
    const due = day('2027-03-01');
    expect(daysOverdue(due, day('2027-02-28'))).toBe(0);
    expect(daysOverdue(due, new Date(due.getTime() + 3_600_000))).toBe(0);
    expect(daysOverdue(due, day('2027-03-04'))).toBe(3);
  });
});
