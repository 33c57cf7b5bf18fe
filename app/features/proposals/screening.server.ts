import mongoose from 'mongoose';
import { Follow, Proposal } from '#models';
import { currentPhase } from '~/features/competitions/phases';
import { screeningWindowOpen, type ProposalStatus } from './proposals';
import { audit } from '~/core/audit.server';
import { notifyMany } from '~/core/notifications.server';
import type { CompetitionRules } from './competition-rules.server';
import type { ScreeningFilter } from './screening.schema';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';

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

// Fifteen rows keep the phone page near 3,500 px with the decision forms folded.
export const SCREENING_PAGE_SIZE = 15;

/** What bulk "eligible" may change: proposals still waiting for a decision. */
const AWAITING: ProposalStatus[] = ['submitted'];

/**
 * The committee's queue, one page of compact rows with street and community names. Three round
 * trips whatever the number of proposals: the page (one row more than shown tells whether there
 * is a next page; served by { competition, status, number }), the streets and the communities.
 */
export async function screeningQueue(rules: CompetitionRules, filter: ScreeningFilter) {
  const statuses: ProposalStatus[] =
    filter.show === 'pending' ? ['submitted'] : filter.show === 'decided' ? ['eligible', 'ineligible', 'changesRequested', 'merged'] : [...SCREENABLE, 'merged'];
  const query: Record<string, unknown> = { competition: new mongoose.Types.ObjectId(rules.id), status: mongoose.trusted({ $in: statuses }) };
  if (filter.category) query.category = filter.category;
  if (filter.street) query.street = new mongoose.Types.ObjectId(filter.street);
  const [docs, streets] = await Promise.all([
    Proposal.find(query)
      .select('number title category status street community screening.changesDueAt')
      .sort({ number: 1 })
      .skip((filter.page - 1) * SCREENING_PAGE_SIZE)
      .limit(SCREENING_PAGE_SIZE + 1)
      .lean(),
    listStreetsWithCommunities(),
  ]);
  const streetNames = new Map(streets.map((s) => [s.id, s.name]));
  const communityNames = new Map(streets.flatMap((s) => s.communities.map((c) => [c.id, c.name] as const)));
  const rows = docs.slice(0, SCREENING_PAGE_SIZE).map((d) => ({
    number: d.number,
    title: d.title,
    category: d.category,
    status: d.status,
    street: d.street ? (streetNames.get(String(d.street)) ?? null) : null,
    community: d.community ? (communityNames.get(String(d.community)) ?? null) : null,
    changesDueAt: d.screening?.changesDueAt ? d.screening.changesDueAt.toISOString() : null,
  }));
  return {
    rows,
    page: filter.page,
    hasNext: docs.length > SCREENING_PAGE_SIZE,
    streets: streets.map((s) => ({ id: s.id, name: s.name })),
  };
}

/**
 * Bulk "eligible": one conditional update per proposal, so a proposal withdrawn, merged or
 * already decided meanwhile is skipped, never overwritten; each change is audited and its
 * authors and followers told, as for a single decision.
 */
export async function markEligible(input: {
  rules: CompetitionRules;
  numbers: number[];
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<{ ok: true; marked: number[]; skipped: number[] } | { ok: false; reason: 'phaseClosed' }> {
  const now = input.now ?? new Date();
  if (!screeningOpen(input.rules, now)) return { ok: false, reason: 'phaseClosed' };
  const actor = new mongoose.Types.ObjectId(input.actorId);
  const marked: number[] = [];
  const skipped: number[] = [];
  for (const number of [...new Set(input.numbers)]) {
    const before = await Proposal.findOneAndUpdate(
      { competition: input.rules.id, number, status: mongoose.trusted({ $in: AWAITING }) },
      {
        $set: { status: 'eligible', screening: {} },
        $push: { statusHistory: { status: 'eligible', at: now, by: actor } },
        $inc: { revision: 1 },
      },
      { returnDocument: 'before', projection: { _id: 1, status: 1 } },
    ).lean();
    if (!before) {
      skipped.push(number);
      continue;
    }
    marked.push(number);
    await audit({
      actor,
      action: 'proposal.screened',
      targetType: 'Proposal',
      targetId: String(before._id),
      before: { status: before.status },
      after: { status: 'eligible', bulk: true },
      ip: input.ip,
    });
    await tellAuthorsAndFollowers(String(before._id), input.rules.slug, number, input.actorId, 'eligible');
  }
  return { ok: true, marked, skipped };
}
