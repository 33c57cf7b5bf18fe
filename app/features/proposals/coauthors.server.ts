import mongoose, { Types } from 'mongoose';
import { Competition, Proposal, User } from '#models';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { currentPhase } from '~/features/competitions/phases';
import { notify } from '~/core/notifications.server';
import type { CompetitionRules } from './competition-rules.server';
import { editWindowOpen } from './drafts.server';

/**
 * Co-authors: an author invites someone by phone number or e-mail; the person (once registered
 * with that number or address) accepts and becomes an author. Matching is done on the server
 * against the invitee's own account, never on anything the form says about them.
 */
export const MAX_PENDING_INVITATIONS = 5;

export type InviteResult =
  | { ok: true }
  | { ok: false; reason: 'notFound' | 'notEditable' | 'identifierInvalid' | 'alreadyAuthor' | 'alreadyInvited' | 'tooManyInvitations' };

export async function inviteCoAuthor(input: { rules: CompetitionRules; number: number; inviterId: string; identifier: string; now?: Date }): Promise<InviteResult> {
  const now = input.now ?? new Date();
  const identifier = normalizeIdentifier(input.identifier);
  if (!identifier) return { ok: false, reason: 'identifierInvalid' };
  const inviter = new Types.ObjectId(input.inviterId);
  const proposal = await Proposal.findOne({ competition: input.rules.id, number: input.number, authors: inviter })
    .select('status screening authors invitations')
    .lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  if (!editWindowOpen(proposal, currentPhase(input.rules.phases, now), now)) return { ok: false, reason: 'notEditable' };
  const invitee = await User.findOne({ [identifier.kind]: identifier.value }).select('_id').lean();
  if (invitee && proposal.authors.some((a) => String(a) === String(invitee._id))) return { ok: false, reason: 'alreadyAuthor' };
  const pending = proposal.invitations.filter((i) => i.status === 'pending');
  if (pending.some((i) => i.identifier === identifier.value)) return { ok: false, reason: 'alreadyInvited' };
  if (pending.length >= MAX_PENDING_INVITATIONS) return { ok: false, reason: 'tooManyInvitations' };
  // Conditional: the same identifier cannot be pending twice, even when invited twice at once.
  const result = await Proposal.updateOne(
    {
      _id: proposal._id,
      authors: inviter,
      invitations: mongoose.trusted({ $not: { $elemMatch: { identifier: identifier.value, status: 'pending' } } }),
    },
    { $push: { invitations: { identifier: identifier.value, invitedBy: inviter, at: now, status: 'pending' } } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'alreadyInvited' };
  if (invitee) {
    await notify([String(invitee._id)], {
      type: 'coAuthorInvitation',
      competitionSlug: input.rules.slug,
      proposalNumber: input.number,
      proposalId: String(proposal._id),
      actorId: input.inviterId,
    });
  }
  return { ok: true };
}

async function identifiersOf(userId: string): Promise<string[]> {
  const user = await User.findById(userId).select('phone email').lean();
  return [user?.phone, user?.email].filter((v): v is string => Boolean(v));
}

/** Invitations waiting for this user, found by the phone number and e-mail of their own account. */
export async function pendingInvitations(userId: string) {
  const identifiers = await identifiersOf(userId);
  if (!identifiers.length) return [];
  const proposals = await Proposal.find({
    invitations: mongoose.trusted({ $elemMatch: { identifier: { $in: identifiers }, status: 'pending' } }),
    status: mongoose.trusted({ $nin: ['withdrawn', 'merged'] }),
  })
    .select('competition number title invitations authors')
    .lean();
  const [competitions, inviters] = await Promise.all([
    Competition.find({ _id: mongoose.trusted({ $in: proposals.map((p) => p.competition) }) }).select('slug').lean(),
    User.find({ _id: mongoose.trusted({ $in: proposals.flatMap((p) => p.invitations.map((i) => i.invitedBy)) }) }).select('name').lean(),
  ]);
  const slugs = new Map(competitions.map((c) => [String(c._id), c.slug]));
  const names = new Map(inviters.map((u) => [String(u._id), u.name]));
  return proposals.flatMap((p) =>
    p.invitations
      .filter((i) => i.status === 'pending' && identifiers.includes(i.identifier))
      .map((i) => ({
        invitationId: String(i._id),
        competitionSlug: slugs.get(String(p.competition)) ?? '',
        number: p.number,
        title: p.title,
        invitedBy: names.get(String(i.invitedBy)) ?? '',
      })),
  );
}

export type AnswerResult = { ok: true; competitionSlug: string; number: number } | { ok: false; reason: 'notFound' };

/** Accepts or declines; only the account whose phone or e-mail was invited can. */
export async function answerInvitation(userId: string, invitationId: string, accept: boolean): Promise<AnswerResult> {
  if (!Types.ObjectId.isValid(invitationId)) return { ok: false, reason: 'notFound' };
  const identifiers = await identifiersOf(userId);
  if (!identifiers.length) return { ok: false, reason: 'notFound' };
  const filter: Record<string, unknown> = {
    invitations: mongoose.trusted({
      $elemMatch: { _id: new Types.ObjectId(invitationId), identifier: { $in: identifiers }, status: 'pending' },
    }),
    status: mongoose.trusted({ $nin: ['withdrawn', 'merged'] }),
  };
  const proposal = await Proposal.findOne(filter).select('competition number').lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  const update = accept
    ? { $set: { 'invitations.$[invitation].status': 'accepted' }, $addToSet: { authors: new Types.ObjectId(userId) } }
    : { $set: { 'invitations.$[invitation].status': 'declined' } };
  // arrayFilters rather than the positional "$": the stand-in database cannot position on $elemMatch.
  const result = await Proposal.updateOne({ _id: proposal._id, ...filter }, update, {
    arrayFilters: [{ 'invitation._id': new Types.ObjectId(invitationId), 'invitation.status': 'pending' }],
  });
  if (result.matchedCount === 0) return { ok: false, reason: 'notFound' };
  const competition = await Competition.findById(proposal.competition).select('slug').lean();
  return { ok: true, competitionSlug: competition?.slug ?? '', number: proposal.number };
}
