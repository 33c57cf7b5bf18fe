import mongoose from 'mongoose';
import { Follow, Proposal } from '#models';
import { currentPhase } from '~/features/competitions/phases';
import { screeningWindowOpen, type ProposalStatus } from './proposals';
import { audit } from '~/core/audit.server';
import { notifyMany } from '~/core/notifications.server';
import type { CompetitionRules } from './competition-rules.server';

/**
 * Screening by the committee: each submitted proposal is found eligible, ineligible (with a reason
 * the authors see) or sent back for changes until a date; duplicates are merged. Allowed while
 * submissions are open and during screening. Every decision is audited.
 */
export type ScreeningDecision = 'eligible' | 'ineligible' | 'changesRequested';
export type ScreenResult = { ok: true } | { ok: false; reason: 'phaseClosed' | 'notFound' | 'notScreenable' | 'dueDateInPast' };

const SCREENABLE: ProposalStatus[] = ['submitted', 'changesRequested', 'eligible', 'ineligible'];

function screeningOpen(rules: CompetitionRules, now: Date): boolean {
  return screeningWindowOpen(currentPhase(rules.phases, now));
}

export async function screenProposal(input: {
  rules: CompetitionRules;
  number: number;
  actorId: string;
  decision: ScreeningDecision;
  reason: string;
  changesDueAt?: Date;
  ip?: string;
  now?: Date;
}): Promise<ScreenResult & { proposalId?: string }> {
  const now = input.now ?? new Date();
  if (!screeningOpen(input.rules, now)) return { ok: false, reason: 'phaseClosed' };
  if (input.decision === 'changesRequested' && (!input.changesDueAt || input.changesDueAt <= now)) {
    return { ok: false, reason: 'dueDateInPast' };
  }
  const actor = new mongoose.Types.ObjectId(input.actorId);
  const before = await Proposal.findOne({ competition: input.rules.id, number: input.number }).select('status screening').lean();
  if (!before) return { ok: false, reason: 'notFound' };
  const result = await Proposal.updateOne(
    { _id: before._id, status: mongoose.trusted({ $in: SCREENABLE }) },
    {
      $set: {
        status: input.decision,
        screening: {
          reason: input.reason || undefined,
          changesDueAt: input.decision === 'changesRequested' ? input.changesDueAt : undefined,
        },
      },
      $push: { statusHistory: { status: input.decision, at: now, by: actor, reason: input.reason || undefined } },
      $inc: { revision: 1 },
    },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'notScreenable' };
  await audit({
    actor,
    action: 'proposal.screened',
    targetType: 'Proposal',
    targetId: String(before._id),
    before: { status: before.status, reason: before.screening?.reason ?? null },
    after: { status: input.decision, reason: input.reason || null, changesDueAt: input.changesDueAt ?? null },
    ip: input.ip,
  });
  await tellAuthorsAndFollowers(String(before._id), input.rules.slug, input.number, input.actorId, input.decision);
  return { ok: true, proposalId: String(before._id) };
}

/** Authors get the screening result, followers a status update: one insert for everyone. */
async function tellAuthorsAndFollowers(proposalId: string, slug: string, number: number, actorId: string, status: ProposalStatus) {
  const [proposal, follows] = await Promise.all([
    Proposal.findById(proposalId).select('authors').lean(),
    Follow.find({ proposal: proposalId }).select('user').lean(),
  ]);
  const event = { competitionSlug: slug, proposalNumber: number, proposalId, actorId, data: { status } };
  await notifyMany([
    { recipientIds: (proposal?.authors ?? []).map(String), event: { ...event, type: 'screeningResult' } },
    { recipientIds: follows.map((f) => String(f.user)), event: { ...event, type: 'followedUpdate' } },
  ]);
}

export type MergeResult =
  | { ok: true; keptId: string; mergedId: string }
  | { ok: false; reason: 'phaseClosed' | 'notFound' | 'sameProposal' | 'notMergeable' };

/**
 * Merges a duplicate into the proposal that is kept: the duplicate becomes "merged" and points to
 * the kept one, and its authors become co-authors of the kept one. Two single-document updates,
 * the first conditional, so a repeated or concurrent merge changes nothing twice.
 */
export async function mergeProposals(input: {
  rules: CompetitionRules;
  keepNumber: number;
  mergeNumber: number;
  actorId: string;
  reason: string;
  ip?: string;
  now?: Date;
}): Promise<MergeResult> {
  const now = input.now ?? new Date();
  if (!screeningOpen(input.rules, now)) return { ok: false, reason: 'phaseClosed' };
  if (input.keepNumber === input.mergeNumber) return { ok: false, reason: 'sameProposal' };
  const [kept, merged] = await Promise.all([
    Proposal.findOne({ competition: input.rules.id, number: input.keepNumber }).select('status authors').lean(),
    Proposal.findOne({ competition: input.rules.id, number: input.mergeNumber }).select('status authors').lean(),
  ]);
  if (!kept || !merged) return { ok: false, reason: 'notFound' };
  if (!SCREENABLE.includes(kept.status)) return { ok: false, reason: 'notMergeable' };
  const actor = new mongoose.Types.ObjectId(input.actorId);
  const moved = await Proposal.updateOne(
    { _id: merged._id, status: mongoose.trusted({ $in: SCREENABLE }) },
    {
      $set: { status: 'merged', mergedInto: kept._id },
      $push: { statusHistory: { status: 'merged', at: now, by: actor, reason: input.reason || undefined } },
      $inc: { revision: 1 },
    },
  );
  if (moved.matchedCount === 0) return { ok: false, reason: 'notMergeable' };
  await Proposal.updateOne({ _id: kept._id }, { $addToSet: { authors: mongoose.trusted({ $each: merged.authors }) } });
  await audit({
    actor,
    action: 'proposal.merged',
    targetType: 'Proposal',
    targetId: String(merged._id),
    before: { status: merged.status },
    after: { status: 'merged', mergedInto: String(kept._id), coAuthorsAdded: merged.authors.map(String) },
    reason: input.reason || undefined,
    ip: input.ip,
  });
  await tellAuthorsAndFollowers(String(merged._id), input.rules.slug, input.mergeNumber, input.actorId, 'merged');
  return { ok: true, keptId: String(kept._id), mergedId: String(merged._id) };
}

/** The committee's queue: every non-draft proposal with what screening needs to see. */
export async function screeningQueue(rules: CompetitionRules, filter: 'pending' | 'decided' | 'all') {
  const statuses: ProposalStatus[] =
    filter === 'pending' ? ['submitted'] : filter === 'decided' ? ['eligible', 'ineligible', 'changesRequested', 'merged'] : [...SCREENABLE, 'merged'];
  const docs = await Proposal.find({ competition: rules.id, status: mongoose.trusted({ $in: statuses }) })
    .select('number title summary category status totalFen submittedAt screening mergedInto')
    .sort({ number: 1 })
    .lean();
  return docs.map((d) => ({
    number: d.number,
    title: d.title,
    summary: d.summary,
    category: d.category,
    status: d.status,
    totalFen: d.totalFen,
    submittedAt: d.submittedAt ? d.submittedAt.toISOString() : null,
    reason: d.screening?.reason ?? null,
    changesDueAt: d.screening?.changesDueAt ? d.screening.changesDueAt.toISOString() : null,
  }));
}
