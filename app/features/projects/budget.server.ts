import mongoose from 'mongoose';
import { Competition, Project } from '#models';
import { audit } from '~/core/audit.server';
import { BUDGET_REASON_MAX, budgetChangeFits } from './rules';
import { withLedgerLock } from './ledger-lock.server';
import { milestonesInForce, spentElsewhere } from './reports.server';

/**
 * The committee changes a project's approved budget, with a reason, never taking the
 * competition's projects together above what its result funded.
 *
 * Safe without transactions. The competition keeps the running total of approved budgets
 * (`projectBudget.approvedFen`, set to the funded sum when the projects are created). The
 * total may only ever count at least what the projects hold, so:
 * - an increase first reserves the difference with ONE conditional update of the competition
 *   (`approvedFen <= fundedFen - delta`, then `$inc delta`): MongoDB applies it atomically to
 *   the one document, so parallel increases cannot pass the check together; then it moves the
 *   project; if that fails (another change moved the project first) it releases the reservation;
 * - a decrease first lowers the project, then releases the difference. It never goes beneath
 *   what the project has committed (the tranches of its plan in force, or what its approved
 *   reports spent, if more): that is checked and written under the project's ledger lock, which
 *   a plan's approval and a report's approval also hold, so none of them can pass on a stale read.
 * A crash between the two writes leaves the total too high (some headroom unusable until the
 * total is recomputed), never too low. The project's own update names the amount it read
 * (optimistic concurrency), so two changes to one project cannot both apply.
 */

export type AdjustBudgetResult =
  | { ok: true; fromFen: number; toFen: number }
  | {
      ok: false;
      reason: 'notFound' | 'reasonRequired' | 'amountInvalid' | 'unchanged' | 'exceedsFunded' | 'belowCommitted' | 'conflict';
      /** With `belowCommitted`: the least the budget may be lowered to, in fen. */
      committedFen?: number;
    };

export async function adjustProjectBudget(input: {
  competitionId: string;
  projectNumber: number;
  toFen: number;
  reason: string;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<AdjustBudgetResult> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reasonRequired' };
  if (reason.length > BUDGET_REASON_MAX) return { ok: false, reason: 'reasonRequired' };
  if (!Number.isSafeInteger(input.toFen) || input.toFen < 0) return { ok: false, reason: 'amountInvalid' };
  const [project, competition] = await Promise.all([
    Project.findOne({ competition: input.competitionId, number: input.projectNumber }).select('approvedBudgetFen').lean(),
    Competition.findById(input.competitionId).select('projectBudget').lean(),
  ]);
  const ledger = competition?.projectBudget;
  if (!project || typeof ledger?.fundedFen !== 'number' || typeof ledger.approvedFen !== 'number') return { ok: false, reason: 'notFound' };
  const fromFen = project.approvedBudgetFen;
  const delta = input.toFen - fromFen;
  if (delta === 0) return { ok: false, reason: 'unchanged' };
  if (!budgetChangeFits({ fundedFen: ledger.fundedFen, approvedFen: ledger.approvedFen }, delta)) return { ok: false, reason: 'exceedsFunded' };

  const moveLedger = (by: number) => Competition.updateOne({ _id: input.competitionId }, { $inc: { 'projectBudget.approvedFen': by } });
  if (delta > 0) {
    const reserved = await Competition.updateOne(
      {
        _id: input.competitionId,
        'projectBudget.fundedFen': ledger.fundedFen,
        'projectBudget.approvedFen': mongoose.trusted({ $lte: ledger.fundedFen - delta }),
      },
      { $inc: { 'projectBudget.approvedFen': delta } },
    );
    if (reserved.modifiedCount !== 1) return { ok: false, reason: 'exceedsFunded' };
  }
  const at = input.now ?? new Date();
  const move = () =>
    Project.updateOne(
      { _id: project._id, approvedBudgetFen: fromFen },
      {
        $set: { approvedBudgetFen: input.toFen },
        $push: { budgetAdjustments: { fromFen, toFen: input.toFen, reason, by: input.actorId, at } },
      },
    );
  let moved: Awaited<ReturnType<typeof move>> | null;
  if (delta > 0) moved = await move();
  else {
    const projectId = String(project._id);
    const lowered = await withLedgerLock(projectId, async () => {
      const [milestones, spentFen] = await Promise.all([milestonesInForce(projectId), spentElsewhere(projectId, null)]);
      const committedFen = Math.max(milestones.reduce((sum, m) => sum + m.trancheFen, 0), spentFen);
      return input.toFen < committedFen ? { committedFen } : { write: await move() };
    });
    if (lowered !== 'busy' && 'committedFen' in lowered) return { ok: false, reason: 'belowCommitted', committedFen: lowered.committedFen };
    moved = lowered === 'busy' ? null : lowered.write;
  }
  if (moved?.modifiedCount !== 1) {
    if (delta > 0) await moveLedger(-delta);
    return { ok: false, reason: 'conflict' };
  }
  if (delta < 0) await moveLedger(delta);
  await audit({
    actor: input.actorId,
    action: 'project.budgetAdjusted',
    targetType: 'Project',
    targetId: String(project._id),
    before: { approvedBudgetFen: fromFen },
    after: { approvedBudgetFen: input.toFen },
    reason,
    ip: input.ip,
  });
  return { ok: true, fromFen, toFen: input.toFen };
}

/** What the committee's budget form shows: the funded total and how much of it is approved now. */
export async function getBudgetLedger(competitionId: string): Promise<{ fundedFen: number; approvedFen: number } | null> {
  const competition = await Competition.findById(competitionId).select('projectBudget').lean();
  const ledger = competition?.projectBudget;
  if (typeof ledger?.fundedFen !== 'number' || typeof ledger.approvedFen !== 'number') return null;
  return { fundedFen: ledger.fundedFen, approvedFen: ledger.approvedFen };
}
