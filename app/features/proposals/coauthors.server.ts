import { createHash, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Competition, Proposal, User } from '#models';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { holderOf, sendIdentityNotice } from '~/features/accounts/identity-codes.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { currentPhase } from '~/features/competitions/phases';
import { notify } from '~/core/notifications.server';
import type { CompetitionRules } from './competition-rules.server';
import { editWindowOpen } from './drafts.server';

/**
 * Co-authors: an author invites someone by phone number or e-mail, who is told by a message to
 * that number. The invitation is answered by the account that PROVED that number or address
 * (issue 11, finding 2: registering a number someone was invited at no longer steals the
 * invitation), or by whoever types the one-time code the inviter was shown and handed over in
 * person. Matching is done on the server against the invitee's own account, never on anything
 * the form says about them.
 */
export const MAX_PENDING_INVITATIONS = 5;
/** Handover codes one account may try per 15 minutes. */
export const HANDOVER_CODE_LIMIT: Limit = { max: 10, windowMs: 15 * 60 * 1000 };

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newHandoverCode(): string {
  const raw = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

function handoverHash(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

export type InviteResult =
  | { ok: true; handoverCode: string; messaged: boolean }
  | { ok: false; reason: 'notFound' | 'notEditable' | 'identifierInvalid' | 'alreadyAuthor' | 'alreadyInvited' | 'tooManyInvitations' };

export async function inviteCoAuthor(input: {
  rules: CompetitionRules;
  number: number;
  inviterId: string;
  identifier: string;
  ip?: string;
  now?: Date;
}): Promise<InviteResult> {
  const now = input.now ?? new Date();
  const identifier = normalizeIdentifier(input.identifier);
  if (!identifier) return { ok: false, reason: 'identifierInvalid' };
  const inviter = new Types.ObjectId(input.inviterId);
  const proposal = await Proposal.findOne({ competition: input.rules.id, number: input.number, authors: inviter })
    .select('status screening authors invitations')
    .lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  if (!editWindowOpen(proposal, currentPhase(input.rules.phases, now), now)) return { ok: false, reason: 'notEditable' };
  const invitee = await holderOf(identifier);
  if (invitee && proposal.authors.some((a) => String(a) === invitee.id)) return { ok: false, reason: 'alreadyAuthor' };
  const pending = proposal.invitations.filter((i) => i.status === 'pending');
  if (pending.some((i) => i.identifier === identifier.value)) return { ok: false, reason: 'alreadyInvited' };
  if (pending.length >= MAX_PENDING_INVITATIONS) return { ok: false, reason: 'tooManyInvitations' };
  const handoverCode = newHandoverCode();
  // Conditional: the same identifier cannot be pending twice, even when invited twice at once.
  const result = await Proposal.updateOne(
    {
      _id: proposal._id,
      authors: inviter,
      invitations: mongoose.trusted({ $not: { $elemMatch: { identifier: identifier.value, status: 'pending' } } }),
    },
    { $push: { invitations: { identifier: identifier.value, invitedBy: inviter, at: now, status: 'pending', handoverHash: handoverHash(handoverCode) } } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'alreadyInvited' };
  // Only the proposal's number: a name or a title is text the inviter chose, and would let anyone
  // send their own words to any number under the platform's signature.
  const messaged = await sendIdentityNotice({
    identifier,
    notice: 'invitation',
    values: { number: String(input.number) },
    language: invitee?.language ?? 'zh',
    ip: input.ip ?? 'unknown',
    now,
  });
  // Told in the app only when the account proved the number (else it may be a squatter's).
  if (invitee?.proven) {
    await notify([invitee.id], {
      type: 'coAuthorInvitation',
      competitionSlug: input.rules.slug,
      proposalNumber: input.number,
      proposalId: String(proposal._id),
      actorId: input.inviterId,
    });
  }
  return { ok: true, handoverCode, messaged: messaged.ok };
}

/** The account's phone number and e-mail, each with whether it was proven by a code. */
async function identifiersOf(userId: string): Promise<{ all: string[]; proven: string[] }> {
  const user = await User.findById(userId).select('phone email phoneProvenAt emailProvenAt').lean();
  const rows = [
    { value: user?.phone, proven: Boolean(user?.phoneProvenAt) },
    { value: user?.email, proven: Boolean(user?.emailProvenAt) },
  ].filter((row): row is { value: string; proven: boolean } => Boolean(row.value));
  return { all: rows.map((r) => r.value), proven: rows.filter((r) => r.proven).map((r) => r.value) };
}

/**
 * Invitations waiting for this user, found by the phone number and e-mail of their own account;
 * those sent to a number the account has not proven say so (they need the handover code, or
 * the number proven on the profile).
 */
export async function pendingInvitations(userId: string) {
  const { all: identifiers, proven } = await identifiersOf(userId);
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
      .map((i) => {
        // To a number this account has not proven: it may be a squatter's, so nothing about the
        // proposal (a draft's title, the inviter) is shown until the number is proven.
        const needsCode = !proven.includes(i.identifier);
        return {
          invitationId: String(i._id),
          competitionSlug: needsCode ? '' : (slugs.get(String(p.competition)) ?? ''),
          number: needsCode ? 0 : p.number,
          title: needsCode ? '' : p.title,
          invitedBy: needsCode ? '' : (names.get(String(i.invitedBy)) ?? ''),
          needsCode,
        };
      }),
  );
}

export type AnswerResult = { ok: true; competitionSlug: string; number: number } | { ok: false; reason: 'notFound' | 'codeInvalid' | 'tooManyAttempts' };

async function answer(userId: string, proposalFilter: Record<string, unknown>, arrayFilter: Record<string, unknown>, accept: boolean): Promise<AnswerResult> {
  const proposal = await Proposal.findOne(proposalFilter).select('competition number').lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  const user = new Types.ObjectId(userId);
  const update = accept
    ? { $set: { 'invitations.$[invitation].status': 'accepted', 'invitations.$[invitation].answeredBy': user }, $addToSet: { authors: user } }
    : { $set: { 'invitations.$[invitation].status': 'declined', 'invitations.$[invitation].answeredBy': user } };
  // arrayFilters rather than the positional "$": the stand-in database cannot position on
  // $elemMatch. The filter names the invitation by what does not change (its id or code hash):
  // the stand-in re-evaluates it per field, so a status condition would stop after the first
  // field. "Still pending" is decided by the query's $elemMatch, in the same single update.
  const result = await Proposal.updateOne({ _id: proposal._id, ...proposalFilter }, update, { arrayFilters: [arrayFilter] });
  if (result.matchedCount === 0) return { ok: false, reason: 'notFound' };
  const competition = await Competition.findById(proposal.competition).select('slug').lean();
  return { ok: true, competitionSlug: competition?.slug ?? '', number: proposal.number };
}

const LIVE = { $nin: ['withdrawn', 'merged'] };

/** Accepts or declines; only the account that proved the invited phone number or e-mail can. */
export async function answerInvitation(userId: string, invitationId: string, accept: boolean): Promise<AnswerResult> {
  if (!Types.ObjectId.isValid(invitationId)) return { ok: false, reason: 'notFound' };
  const { proven } = await identifiersOf(userId);
  if (!proven.length) return { ok: false, reason: 'notFound' };
  const id = new Types.ObjectId(invitationId);
  return answer(
    userId,
    { invitations: mongoose.trusted({ $elemMatch: { _id: id, identifier: { $in: proven }, status: 'pending' } }), status: mongoose.trusted(LIVE) },
    { 'invitation._id': id },
    accept,
  );
}

/**
 * Accepts with the code the inviter handed over: any signed-in account that has it (the inviter
 * gave it to this person), once; guesses are limited per account.
 */
export async function acceptWithHandoverCode(userId: string, code: string): Promise<AnswerResult> {
  if (!(await consumeAttempt(`handover:user:${userId}`, HANDOVER_CODE_LIMIT)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  const hash = handoverHash(code);
  const found = await answer(
    userId,
    { invitations: mongoose.trusted({ $elemMatch: { handoverHash: hash, status: 'pending' } }), status: mongoose.trusted(LIVE) },
    { 'invitation.handoverHash': hash },
    true,
  );
  return found.ok ? found : { ok: false, reason: 'codeInvalid' };
}
