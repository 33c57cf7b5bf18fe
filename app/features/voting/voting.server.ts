import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Ballot, JudgingSheet, newReceipt, Proposal, RECEIPT_PATTERN, Residency, User } from '#models';
import { votingOpen, type Phase, type PhaseWindow } from '~/features/competitions/phases';
import { checkChoices, DEFAULT_VOTING_RULES, type ChoiceFailure, type VotingRules } from './rules';
import { countingVerification } from './residency';
import { inVisitorOrder } from '~/features/proposals/random-order.server';
import { audit } from '~/core/audit.server';
import { saveFrozenSetting } from '~/features/competitions/competitions.server';
import { loadCompetition, type LoadedCompetition } from '~/features/competitions/context.server';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * Resident voting (docs/decisions/006-voting.md): the committee's rules, the ballot, paper and
 * assisted ballots, voiding. A ballot is one document per (competition, voter), always written as
 * a complete set of choices in one write, so neither the one-ballot rule nor K/B can be broken
 * by parallel requests; no counter is ever read back to decide anything.
 */

export interface VotingContext {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
  eligibleStreets: string[];
  rules: VotingRules;
}

export async function getVotingContext(slug: string, now = new Date()): Promise<VotingContext | null> {
  const loaded = await loadCompetition(slug, now);
  return loaded ? votingContext(loaded) : null;
}

/** The voting view of a loaded competition (see requireCompetition). */
export function votingContext({ doc, base }: LoadedCompetition): VotingContext {
  return { ...base, eligibleStreets: doc.eligibleStreets.map(String), rules: toRules(doc.voting) };
}

function toRules(stored: Partial<VotingRules> | null | undefined): VotingRules {
  const rules = { ...DEFAULT_VOTING_RULES, ...(stored ?? {}) };
  return {
    method: rules.method,
    maxChoices: rules.maxChoices,
    ballotBudgetFen: rules.ballotBudgetFen,
    scope: rules.scope,
    publicTotals: rules.publicTotals,
    residentWeight: rules.residentWeight,
    judgesMayVote: rules.judgesMayVote,
  };
}

// --- Rules (committee) -------------------------------------------------------------------------

export type RulesResult = { ok: true } | { ok: false; reason: 'notFound' | 'votingStarted' | 'changedMeanwhile' };

/**
 * Saves the voting rules while voting has not opened yet. The write is conditional on the
 * competition being as read (its updatedAt), so a phase moved at the same moment makes it fail
 * rather than slip through. Audited with before and after.
 */
export async function updateVotingRules(input: { slug: string; rules: VotingRules; actorId: string; ip?: string; now?: Date }): Promise<RulesResult> {
  const saved = await saveFrozenSetting({
    slug: input.slug,
    field: 'voting',
    frozenFrom: 'voting',
    value: input.rules,
    describe: (stored) => toRules(stored as Partial<VotingRules> | null | undefined),
    action: 'voting.rulesChanged',
    actorId: input.actorId,
    ip: input.ip,
    now: input.now,
  });
  if (saved.ok) return saved;
  return { ok: false, reason: saved.reason === 'phaseStarted' ? 'votingStarted' : saved.reason };
}

// --- Who may vote, on what -------------------------------------------------------------------

export type StandingFailure = 'notVerified' | 'streetNotEligible' | 'judgeMayNotVote';
type Standing = { ok: true; street: string; community: string; judge: boolean } | { ok: false; reason: StandingFailure };

/**
 * A voter is a resident with a verification that counts for this competition at `now`: not
 * revoked, and either given for this competition or for an area whose period covers `now`, in
 * an eligible street (countingVerification, docs/decisions/011-residency-scopes.md). The ballot
 * is counted where that verification places the voter. Whether a judge of the competition may
 * vote for a given proposal is decided with the choices (judgeMayChoose).
 */
export async function voterStanding(ctx: VotingContext, voterId: string, now = new Date()): Promise<Standing> {
  if (!Types.ObjectId.isValid(voterId)) return { ok: false, reason: 'notVerified' };
  const [user, verifications] = await Promise.all([
    User.findById(voterId).select('roles').lean(),
    Residency.find({ resident: new Types.ObjectId(voterId) }).select('scope competition street community validFrom validUntil verifiedAt revokedAt').lean(),
  ]);
  if (!user || !user.roles.some((r) => r.role === 'resident')) return { ok: false, reason: 'notVerified' };
  const counting = countingVerification(verifications, ctx, now);
  if (!counting.ok) return counting;
  const judge = user.roles.some((r) => r.role === 'judge' && String(r.scopeId) === ctx.id);
  return { ok: true, street: String(counting.verification.street), community: String(counting.verification.community), judge };
}

/**
 * When the rules forbid it, a judge may not vote for a proposal they judge. Before any
 * assignment exists (judges are usually assigned after voting), a judge of the competition
 * counts as judging every proposal; once they have assignments, only those are barred.
 */
export async function judgeMayChoose(ctx: VotingContext, standing: { judge: boolean }, voterId: string, ids: readonly Types.ObjectId[]): Promise<boolean> {
  if (ctx.rules.judgesMayVote || !standing.judge) return true;
  const assigned = await JudgingSheet.find({ competition: ctx.id, judge: voterId }).select('proposal').lean();
  if (assigned.length === 0) return false;
  const judged = new Set(assigned.map((a) => String(a.proposal)));
  return ids.every((id) => !judged.has(String(id)));
}

export interface BallotOption {
  id: string;
  number: number;
  title: string;
  summary: string;
  category: string;
  totalFen: number;
  photoId: string | null;
}

/**
 * The eligible proposals on this voter's ballot: all of them, or those of the voter's street. With
 * the visitor's seed they come in the visitor's random order, as on the proposals list
 * (proposals/random-order.server.ts, as the proposals list); without it, by number.
 */
export async function ballotOptions(ctx: VotingContext, voterStreet: string | null, seed?: string): Promise<BallotOption[]> {
  const filter: Record<string, unknown> = { competition: ctx.id, status: 'eligible' };
  if (ctx.rules.scope === 'street') filter.street = voterStreet ?? new Types.ObjectId();
  const docs = await Proposal.find(filter).select('number title summary category totalFen photos').sort({ number: 1 }).lean();
  const options = docs.map((d) => ({
    id: String(d._id),
    number: d.number,
    title: d.title,
    summary: d.summary,
    category: d.category,
    totalFen: d.totalFen,
    photoId: d.photos[0]?.fileId ?? null,
  }));
  return seed ? inVisitorOrder(options, seed) : options;
}

type ChoiceCheck = { ok: true; ids: Types.ObjectId[]; totalFen: number } | { ok: false; reason: ChoiceFailure };

export async function checkBallot(ctx: VotingContext, street: string, numbers: readonly number[]): Promise<ChoiceCheck> {
  return checkAgainst(ctx, await ballotOptions(ctx, street), numbers);
}

function checkAgainst(ctx: VotingContext, options: readonly BallotOption[], numbers: readonly number[]): ChoiceCheck {
  const byNumber = new Map(options.map((o) => [String(o.number), o]));
  const keys = numbers.map(String);
  const check = checkChoices(ctx.rules, keys, byNumber);
  if (!check.ok) return check;
  return { ok: true, ids: keys.map((k) => new Types.ObjectId(byNumber.get(k)!.id)), totalFen: check.totalFen };
}

type Admissible =
  | { ok: true; standing: Extract<Standing, { ok: true }>; options: BallotOption[]; check: Extract<ChoiceCheck, { ok: true }> }
  | { ok: false; reason: 'votingClosed' | StandingFailure | ChoiceFailure };

/**
 * What the review and the cast both decide first, in this order: voting is open, the voter may
 * vote, the choices fit the rules on this voter's ballot, and a judge does not choose what they
 * judge. The options come back in the visitor's order when a seed is given.
 */
async function admissibleChoices(ctx: VotingContext, voterId: string, choices: readonly number[], now: Date, seed?: string): Promise<Admissible> {
  if (!votingOpen(ctx.phases, now)) return { ok: false, reason: 'votingClosed' };
  const standing = await voterStanding(ctx, voterId);
  if (!standing.ok) return standing;
  const options = await ballotOptions(ctx, standing.street, seed);
  const check = checkAgainst(ctx, options, choices);
  if (!check.ok) return check;
  if (!(await judgeMayChoose(ctx, standing, voterId, check.ids))) return { ok: false, reason: 'judgeMayNotVote' };
  return { ok: true, standing, options, check };
}

// --- Casting -----------------------------------------------------------------------------------

export type CastFailure = 'votingClosed' | StandingFailure | ChoiceFailure | 'votedOtherChannel' | 'ballotVoided' | 'confirmReplace';
export type CastResult = { ok: true; ballotId: string; submittedAt: Date } | { ok: false; reason: CastFailure };

/**
 * The resident's own ballot, new or changed, until voting closes. One upsert whose filter is
 * (competition, voter, online, not voided): a second submission replaces the first; when the
 * voter's ballot is on paper or voided the filter does not match, the insert hits the unique
 * index, and the answer says why. Parallel first submissions lose the insert race the same way
 * and simply update the ballot that won. An assisted ballot is replaced only when the resident
 * confirmed it (`replaceAssisted`); a paper ballot is final, the paper being the record.
 */
export async function castBallot(input: {
  ctx: VotingContext;
  voterId: string;
  choices: readonly number[];
  replaceAssisted?: boolean;
  ip?: string;
  device?: string;
  now?: Date;
}): Promise<CastResult> {
  const { ctx } = input;
  const now = input.now ?? new Date();
  const admissible = await admissibleChoices(ctx, input.voterId, input.choices, now);
  if (!admissible.ok) return admissible;
  const { standing, check } = admissible;
  const competition = new Types.ObjectId(ctx.id);
  const voter = new Types.ObjectId(input.voterId);
  const ballot = {
    choices: check.ids,
    totalFen: check.totalFen,
    street: new Types.ObjectId(standing.street),
    community: new Types.ObjectId(standing.community),
    ip: input.ip,
    device: input.device,
    submittedAt: now,
  };
  for (let tries = 0; tries < 5; tries++) {
    try {
      await Ballot.updateOne(
        { competition, voter, channel: 'online', 'voided.at': mongoose.trusted({ $exists: false }) },
        { $set: ballot, $inc: { changes: 1 } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await Ballot.findOne({ competition, voter }).select('channel voided paperSerial').lean();
      if (existing?.voided?.at) return { ok: false, reason: 'ballotVoided' };
      if (existing?.channel === 'assisted') {
        if (!input.replaceAssisted) return { ok: false, reason: 'confirmReplace' };
        const replaced = await replaceAssistedBallot({ competition, voter, serial: existing.paperSerial ?? '', ballot, ip: input.ip, now });
        if (replaced) return { ok: true, ballotId: replaced, submittedAt: now };
        // Replaced or voided meanwhile: the next round sees which.
        continue;
      }
      if (existing && existing.channel !== 'online') return { ok: false, reason: 'votedOtherChannel' };
      continue;
    }
    const saved = await Ballot.findOne({ competition, voter }).select('_id').lean();
    return { ok: true, ballotId: String(saved!._id), submittedAt: now };
  }
  throw new Error('ballot upsert kept colliding');
}

/**
 * The resident's own ballot replaces the assisted one a grid worker entered, in one conditional
 * update (competition, voter, assisted, not voided), so of parallel replacements and voidings
 * one wins and there is never a second ballot. The ballot becomes online and gets a new receipt:
 * the old one belonged to a ballot someone else entered, possibly shown while the resident was
 * being helped; their own secret ballot gets a code only they have seen. The serial leaves
 * paperKey (voiding by it must not void the resident's own ballot) and stays in
 * `replacedAssisted` with the time, with the consent record and enteredBy, for the committee.
 * Audited without choices. Returns the ballot's id, or null when it no longer
 * matched.
 */
async function replaceAssistedBallot(input: {
  competition: Types.ObjectId;
  voter: Types.ObjectId;
  serial: string;
  ballot: Record<string, unknown>;
  ip?: string;
  now: Date;
}): Promise<string | null> {
  const filter = { competition: input.competition, voter: input.voter, channel: 'assisted' as const, 'voided.at': mongoose.trusted({ $exists: false }) };
  try {
    const result = await Ballot.updateOne(filter, {
      $set: { ...input.ballot, channel: 'online', receipt: newReceipt(), replacedAssisted: { serial: input.serial, at: input.now } },
      $unset: { paperSerial: 1, paperKey: 1 },
      $inc: { changes: 1 },
    });
    if (result.matchedCount === 0) return null;
  } catch (error) {
    // The new receipt drew one already in use (50 bits: next to never); try again with another.
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
  const saved = await Ballot.findOne({ competition: input.competition, voter: input.voter }).select('_id enteredBy').lean();
  await audit({
    actor: input.voter,
    action: 'ballot.assistedReplaced',
    targetType: 'Ballot',
    targetId: String(saved!._id),
    before: { channel: 'assisted', serial: input.serial || null, enteredBy: saved!.enteredBy ? String(saved!.enteredBy) : null },
    after: { channel: 'online' },
    ip: input.ip,
  });
  return String(saved!._id);
}

// --- Voiding (committee) ---------------------------------------------------------------------

export type VoidResult = { ok: true; ballotId: string } | { ok: false; reason: 'ballotNotFound' };

/** Voids a ballot by the voter's receipt, its paper serial, or its id. Never deleted; audited. */
export async function voidBallot(input: { ctx: VotingContext; ballot: string; actorId: string; reason: string; ip?: string; now?: Date }): Promise<VoidResult> {
  const now = input.now ?? new Date();
  const key = input.ballot.trim();
  const filter: Record<string, unknown> = RECEIPT_PATTERN.test(key.toUpperCase())
    ? { receipt: key.toUpperCase(), competition: input.ctx.id }
    : Types.ObjectId.isValid(key) && key.length === 24
      ? { _id: new Types.ObjectId(key), competition: input.ctx.id }
      : { paperKey: `${input.ctx.id}:${key.toUpperCase()}` };
  const before = await Ballot.findOne(filter).select('channel voter paperSerial voided').lean();
  if (!before) return { ok: false, reason: 'ballotNotFound' };
  const result = await Ballot.updateOne(
    { _id: before._id, 'voided.at': mongoose.trusted({ $exists: false }) },
    { $set: { voided: { at: now, by: new Types.ObjectId(input.actorId), reason: input.reason } } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'ballotNotFound' };
  await audit({
    actor: input.actorId,
    action: 'ballot.voided',
    targetType: 'Ballot',
    targetId: String(before._id),
    before: { voided: false, channel: before.channel, voter: String(before.voter), serial: before.paperSerial ?? null },
    after: { voided: true },
    reason: input.reason,
    ip: input.ip,
  });
  return { ok: true, ballotId: String(before._id) };
}

// --- Reading ---------------------------------------------------------------------------------

export type ReviewResult =
  | { ok: true; items: { number: number; title: string; totalFen: number }[]; totalFen: number }
  | { ok: false; reason: CastFailure };

/**
 * The review step before casting: the choices checked as castBallot checks them (voting open,
 * standing, K or B, judges, the voter's existing ballot), the chosen items in the visitor's
 * order with their total. Writes nothing; castBallot checks everything again on confirm.
 */
export async function reviewBallot(input: {
  ctx: VotingContext;
  voterId: string;
  choices: readonly number[];
  replaceAssisted?: boolean;
  seed: string;
  now?: Date;
}): Promise<ReviewResult> {
  const { ctx } = input;
  const admissible = await admissibleChoices(ctx, input.voterId, input.choices, input.now ?? new Date(), input.seed);
  if (!admissible.ok) return admissible;
  const { options, check } = admissible;
  const existing = await Ballot.findOne({ competition: ctx.id, voter: input.voterId }).select('channel voided').lean();
  if (existing?.voided?.at) return { ok: false, reason: 'ballotVoided' };
  if (existing?.channel === 'assisted' && !input.replaceAssisted) return { ok: false, reason: 'confirmReplace' };
  if (existing && existing.channel !== 'online' && existing.channel !== 'assisted') return { ok: false, reason: 'votedOtherChannel' };
  const chosen = new Set(input.choices);
  const items = options.filter((o) => chosen.has(o.number)).map((o) => ({ number: o.number, title: o.title, totalFen: o.totalFen }));
  return { ok: true, items, totalFen: check.totalFen };
}

/** The voter's own ballot for the "my ballot" page and the receipt. */
export async function getMyBallot(ctx: VotingContext, voterId: string) {
  const ballot = await Ballot.findOne({ competition: ctx.id, voter: voterId }).select('channel choices totalFen submittedAt voided paperSerial receipt replacedAssisted').lean();
  if (!ballot) return null;
  const proposals = await Proposal.find({ _id: mongoose.trusted({ $in: ballot.choices }) }).select('number title totalFen').sort({ number: 1 }).lean();
  return {
    receipt: ballot.receipt ?? '',
    channel: ballot.channel,
    submittedAt: ballot.submittedAt.toISOString(),
    totalFen: ballot.totalFen,
    voided: Boolean(ballot.voided?.at),
    // A paper ballot's or an assisted ballot's serial; an assisted ballot the voter replaced online.
    serial: ballot.channel === 'online' ? null : (ballot.paperSerial ?? null),
    replacedAssisted: ballot.replacedAssisted?.at ? { serial: ballot.replacedAssisted.serial ?? '', at: ballot.replacedAssisted.at.toISOString() } : null,
    choices: proposals.map((p) => ({ number: p.number, title: p.title, totalFen: p.totalFen })),
  };
}

// --- Device marks ------------------------------------------------------------------------------

/** A coarse device mark for the anomalies page: a hash of the browser's self-description. */
export function deviceMark(request: Request): string {
  const parts = [request.headers.get('user-agent') ?? '', request.headers.get('accept-language') ?? ''];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}
