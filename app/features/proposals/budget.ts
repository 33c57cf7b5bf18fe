/**
 * Budget arithmetic in integer fen. Totals are always computed here, on the server's data,
 * never taken from the form.
 */
export interface BudgetLine {
  item: string;
  quantity: number;
  unitPriceFen: number;
}

export class BudgetOverflowError extends Error {}

export function lineTotalFen(line: BudgetLine): number {
  const total = line.quantity * line.unitPriceFen;
  if (!Number.isSafeInteger(total)) throw new BudgetOverflowError(`line "${line.item}" overflows`);
  return total;
}

export function budgetTotalFen(lines: readonly BudgetLine[]): number {
  let total = 0;
  for (const line of lines) {
    total += lineTotalFen(line);
    if (!Number.isSafeInteger(total)) throw new BudgetOverflowError('budget total overflows');
  }
  return total;
}

export type BudgetCheck = { ok: true; totalFen: number } | { ok: false; reason: 'budgetEmpty' | 'budgetBelowMinimum' | 'budgetAboveMaximum' | 'budgetOverflow'; totalFen?: number };

/** Whether a budget fits the competition's per-proposal minimum and maximum. */
export function checkBudget(lines: readonly BudgetLine[], limits: { minRequestFen: number; maxRequestFen: number }): BudgetCheck {
  if (lines.length === 0) return { ok: false, reason: 'budgetEmpty' };
  let totalFen: number;
  try {
    totalFen = budgetTotalFen(lines);
  } catch (error) {
    if (error instanceof BudgetOverflowError) return { ok: false, reason: 'budgetOverflow' };
    throw error;
  }
  if (totalFen < limits.minRequestFen) return { ok: false, reason: 'budgetBelowMinimum', totalFen };
  if (totalFen > limits.maxRequestFen) return { ok: false, reason: 'budgetAboveMaximum', totalFen };
  return { ok: true, totalFen };
}
