import { createHash } from 'node:crypto';
import mongoose, { Types, type PipelineStage } from 'mongoose';
import { Ballot, JudgingSheet, newReceipt, Proposal, RECEIPT_PATTERN, Residency, User } from '#models';
import { votingOpen, type Phase, type PhaseWindow } from '~/features/competitions/phases';
import { checkChoices, DEFAULT_VOTING_RULES, type BallotChannel, type ChoiceFailure, type VotingRules } from './rules';
import { countingVerification, type VerificationLike } from './residency';
import { inVisitorOrder } from '~/features/proposals/random-order.server';
import { audit } from '~/core/audit.server';
import { saveFrozenSetting } from '~/features/competitions/competitions.server';
import { loadCompetition, type LoadedCompetition } from '~/features/competitions/context.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { ballotsChanged } from './tally.server';

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

/** The stored roles a standing needs: a session user's grants, or a user document's roles. */
type RoleLike = { role: string; scopeId?: unknown };

type VerificationRow = VerificationLike;

interface OptionRow {
  _id: Types.ObjectId;
  number: number;
  title: string;
  summary: string;
  category: string;
  totalFen: number;
  street?: Types.ObjectId | null;
  photos?: { fileId: string }[];
}

interface OwnBallotRow {
  channel: BallotChannel;
  choices: Types.ObjectId[];
  totalFen: number;
  submittedAt: Date;
  voided?: { at?: Date | null } | null;
  paperSerial?: string | null;
  receipt?: string | null;
  replacedAssisted?: { serial?: string | null; at?: Date | null } | null;
}

const VERIFICATION_FIELDS = ['scope', 'competition', 'street', 'community', 'validFrom', 'validUntil', 'verifiedAt', 'revokedAt'];
const OWN_BALLOT_FIELDS = ['channel', 'choices', 'totalFen', 'submittedAt', 'voided', 'paperSerial', 'receipt', 'replacedAssisted'];
const project = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, 1]));

/**
 * Everything a ballot page or a cast needs about one voter, in one round trip: their
 * verifications, the competition's eligible proposals (a few hundred at most; the street scope
 * is applied in JS), their roles when the caller has none (a session user brings theirs), and
 * their own ballot when asked. One aggregate over the voter's residencies ({ resident } index)
 * whose $facet branches $lookup the rest; the stand-in has no $unionWith. A voter without any
 * verification gets no rows, so no options either: they cannot vote anyway.
 */
async function voterFacts(ctx: VotingContext, voterId: string, want: { roles: boolean; ballot: boolean }) {
  const resident = new Types.ObjectId(voterId);
  const competition = new Types.ObjectId(ctx.id);
  const joined = (from: string, pipeline: PipelineStage.Lookup['$lookup']['pipeline']): PipelineStage.FacetPipelineStage[] => [
    { $limit: 1 },
    { $lookup: { from, pipeline, as: 'rows' } },
    { $project: { _id: 0, rows: 1 } },
  ];
  const facets: Record<string, PipelineStage.FacetPipelineStage[]> = {
    verifications: [{ $project: project(VERIFICATION_FIELDS) }],
    options: joined(Proposal.collection.name, [
      { $match: { competition, status: 'eligible' } },
      { $project: project(['number', 'title', 'summary', 'category', 'totalFen', 'street', 'photos.fileId']) },
    ]),
  };
  if (want.roles) facets.user = joined(User.collection.name, [{ $match: { _id: resident } }, { $project: { roles: 1 } }]);
  if (want.ballot) facets.ballot = joined(Ballot.collection.name, [{ $match: { competition, voter: resident } }, { $project: project(OWN_BALLOT_FIELDS) }]);
  const [facts] = await Residency.aggregate<{
    verifications: VerificationRow[];
    options: { rows: OptionRow[] }[];
    user?: { rows: { roles: RoleLike[] }[] }[];
    ballot?: { rows: OwnBallotRow[] }[];
  }>([{ $match: { resident } }, { $facet: facets }]);
  return {
    verifications: facts?.verifications ?? [],
    proposals: (facts?.options[0]?.rows ?? []).sort((a, b) => a.number - b.number),
    roles: facts?.user?.[0]?.rows[0]?.roles ?? null,
    ballot: facts?.ballot?.[0]?.rows[0] ?? null,
  };
}

function standingOf(ctx: VotingContext, roles: readonly RoleLike[] | null, verifications: readonly VerificationRow[], now: Date): Standing {
  if (!roles || !roles.some((r) => r.role === 'resident')) return { ok: false, reason: 'notVerified' };
  const counting = countingVerification(verifications, ctx, now);
  if (!counting.ok) return counting;
  const judge = roles.some((r) => r.role === 'judge' && String(r.scopeId) === ctx.id);
  return { ok: true, street: String(counting.verification.street), community: String(counting.verification.community), judge };
}

/** The eligible proposals on the ballot of a voter of `street` (all of them in district scope), by number. */
function optionsFor(ctx: VotingContext, proposals: readonly OptionRow[], street: string | null): BallotOption[] {
  return proposals
    .filter((p) => ctx.rules.scope !== 'street' || (street !== null && String(p.street ?? '') === street))
    .map((p) => ({
      id: String(p._id),
      number: p.number,
      title: p.title,
      summary: p.summary,
      category: p.category,
      totalFen: p.totalFen,
      photoId: p.photos?.[0]?.fileId ?? null,
    }));
}

export interface VoterBallot {
  standing: Standing;
  /** The proposals on this voter's ballot, in the visitor's order when a seed is given; none when they may not vote. */
  options: BallotOption[];
  /** Their own ballot (when asked), as getMyBallot shows it. */
  mine: MyBallot | null;
}

/**
 * A voter's standing, ballot options and (when `withBallot`) own ballot in one round trip
 * (voterFacts). `roles` are the voter's grants when the caller has them (the session user);
 * without them the user's roles are read in the same trip.
 */
export async function voterBallot(
  ctx: VotingContext,
  voterId: string,
  options: { roles?: readonly RoleLike[]; seed?: string; withBallot?: boolean; now?: Date } = {},
): Promise<VoterBallot> {
  if (!Types.ObjectId.isValid(voterId)) return { standing: { ok: false, reason: 'notVerified' }, options: [], mine: null };
  const facts = await voterFacts(ctx, voterId, { roles: !options.roles, ballot: Boolean(options.withBallot) });
  const standing = standingOf(ctx, options.roles ?? facts.roles, facts.verifications, options.now ?? new Date());
  if (!standing.ok) return { standing, options: [], mine: null };
  const byNumber = optionsFor(ctx, facts.proposals, standing.street);
  const mine = facts.ballot ? await myBallotView(facts.ballot, facts.proposals) : null;
  return { standing, options: options.seed ? inVisitorOrder(byNumber, options.seed) : byNumber, mine };
}

/**
 * A voter is a resident with a verification that counts for this competition at `now`: not
 * revoked, and either given for this competition or for an area whose period covers `now`, in
 * an eligible street (countingVerification, docs/decisions/011-residency-scopes.md). The ballot
 * is counted where that verification places the voter. Whether a judge of the competition may
 * vote for a given proposal is decided with the choices (judgeMayChoose).
 */
export async function voterStanding(ctx: VotingContext, voterId: string, now = new Date()): Promise<Standing> {
  return (await voterBallot(ctx, voterId, { now })).standing;
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
 * The eligible proposals on the ballot of a voter of `voterStreet`: all of them, or those of the
 * voter's street. With the visitor's seed they come in the visitor's random order, as on the
 * proposals list (proposals/random-order.server.ts); without it, by number.
 */
export async function ballotOptions(ctx: VotingContext, voterStreet: string | null, seed?: string): Promise<BallotOption[]> {
  const filter: Record<string, unknown> = { competition: ctx.id, status: 'eligible' };
  if (ctx.rules.scope === 'street') filter.street = voterStreet ?? new Types.ObjectId();
  const docs = await Proposal.find(filter).select('number title summary category totalFen street photos.fileId').sort({ number: 1 }).lean();
  const options = optionsFor(ctx, docs, voterStreet);
  return seed ? inVisitorOrder(options, seed) : options;
}

type ChoiceCheck = { ok: true; ids: Types.ObjectId[]; totalFen: number } | { ok: false; reason: ChoiceFailure };

/** The choices checked against this voter's ballot options (as castBallot checks them). */
export function checkChoicesOn(ctx: VotingContext, options: readonly BallotOption[], numbers: readonly number[]): ChoiceCheck {
  return checkAgainst(ctx, options, numbers);
}

function checkAgainst(ctx: VotingContext, options: readonly BallotOption[], numbers: readonly number[]): ChoiceCheck {
  const byNumber = new Map(options.map((o) => [String(o.number), o]));
  const keys = numbers.map(String);
  const check = checkChoices(ctx.rules, keys, byNumber);
  if (!check.ok) return check;
  return { ok: true, ids: keys.map((k) => new Types.ObjectId(byNumber.get(k)!.id)), totalFen: check.totalFen };
}

type Admissible =
  | { ok: true; standing: Extract<Standing, { ok: true }>; options: BallotOption[]; check: Extract<ChoiceCheck, { ok: true }>; mine: MyBallot | null }
  | { ok: false; reason: 'votingClosed' | StandingFailure | ChoiceFailure };

/**
 * What the review and the cast both decide first, in this order: voting is open, the voter may
 * vote, the choices fit the rules on this voter's ballot, and a judge does not choose what they
 * judge. The options come back in the visitor's order when a seed is given, the voter's own ballot
 * with them when `withBallot` (the same round trip).
 */
async function admissibleChoices(
  ctx: VotingContext,
  voter: { id: string; roles?: readonly RoleLike[] },
  choices: readonly number[],
  now: Date,
  seed?: string,
  withBallot = false,
): Promise<Admissible> {
  if (!votingOpen(ctx.phases, now)) return { ok: false, reason: 'votingClosed' };
  const { standing, options, mine } = await voterBallot(ctx, voter.id, { roles: voter.roles, seed, now, withBallot });
  if (!standing.ok) return standing;
  const check = checkAgainst(ctx, options, choices);
  if (!check.ok) return check;
  if (!(await judgeMayChoose(ctx, standing, voter.id, check.ids))) return { ok: false, reason: 'judgeMayNotVote' };
  return { ok: true, standing, options, check, mine };
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
  /** The voter's grants when the caller has them (the session user): spares reading the user. */
  voterRoles?: readonly RoleLike[];
  choices: readonly number[];
  replaceAssisted?: boolean;
  ip?: string;
  device?: string;
  /** The kiosk it is cast on (the session's, decision 032), for the anomalies page. */
  kiosk?: string | null;
  now?: Date;
}): Promise<CastResult> {
  const { ctx } = input;
  const now = input.now ?? new Date();
  const admissible = await admissibleChoices(ctx, { id: input.voterId, roles: input.voterRoles }, input.choices, now);
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
    ...(input.kiosk ? { kiosk: new Types.ObjectId(input.kiosk) } : {}),
    submittedAt: now,
  };
  // A ballot changed elsewhere was not cast on the kiosk it was first cast on.
  const unsetKiosk = input.kiosk ? {} : { $unset: { kiosk: 1 } };
  for (let tries = 0; tries < 5; tries++) {
    let saved: { _id: Types.ObjectId } | null;
    try {
      // The upsert answers with the ballot's id: no second read.
      saved = await Ballot.findOneAndUpdate(
        { competition, voter, channel: 'online', 'voided.at': mongoose.trusted({ $exists: false }) },
        { $set: ballot, $inc: { changes: 1 }, ...unsetKiosk },
        { upsert: true, returnDocument: 'after' },
      )
        .select('_id')
        .lean();
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
    if (!saved) continue;
    await ballotsChanged(ctx.id);
    return { ok: true, ballotId: String(saved._id), submittedAt: now };
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
  let saved: { _id: Types.ObjectId; enteredBy?: Types.ObjectId | null } | null;
  try {
    saved = await Ballot.findOneAndUpdate(
      filter,
      {
        $set: { ...input.ballot, channel: 'online', receipt: newReceipt(), replacedAssisted: { serial: input.serial, at: input.now } },
        $unset: { paperSerial: 1, paperKey: 1 },
        $inc: { changes: 1 },
      },
      { returnDocument: 'after' },
    )
      .select('_id enteredBy')
      .lean();
  } catch (error) {
    // The new receipt drew one already in use (50 bits: next to never); try again with another.
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
  if (!saved) return null;
  await ballotsChanged(String(input.competition));
  await audit({
    actor: input.voter,
    action: 'ballot.assistedReplaced',
    targetType: 'Ballot',
    targetId: String(saved._id),
    before: { channel: 'assisted', serial: input.serial || null, enteredBy: saved.enteredBy ? String(saved.enteredBy) : null },
    after: { channel: 'online' },
    ip: input.ip,
  });
  return String(saved._id);
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
  await ballotsChanged(input.ctx.id);
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
  voterRoles?: readonly RoleLike[];
  choices: readonly number[];
  replaceAssisted?: boolean;
  seed: string;
  now?: Date;
}): Promise<ReviewResult> {
  const { ctx } = input;
  const admissible = await admissibleChoices(ctx, { id: input.voterId, roles: input.voterRoles }, input.choices, input.now ?? new Date(), input.seed, true);
  if (!admissible.ok) return admissible;
  const { options, check, mine: existing } = admissible;
  if (existing?.voided) return { ok: false, reason: 'ballotVoided' };
  if (existing?.channel === 'assisted' && !input.replaceAssisted) return { ok: false, reason: 'confirmReplace' };
  if (existing && existing.channel !== 'online' && existing.channel !== 'assisted') return { ok: false, reason: 'votedOtherChannel' };
  const chosen = new Set(input.choices);
  const items = options.filter((o) => chosen.has(o.number)).map((o) => ({ number: o.number, title: o.title, totalFen: o.totalFen }));
  return { ok: true, items, totalFen: check.totalFen };
}

export interface MyBallot {
  receipt: string;
  channel: BallotChannel;
  submittedAt: string;
  totalFen: number;
  voided: boolean;
  serial: string | null;
  replacedAssisted: { serial: string; at: string } | null;
  choices: { number: number; title: string; totalFen: number }[];
}

/**
 * A ballot as its voter sees it. The chosen proposals come from `known` when it holds them all
 * (the ballot page has just read the eligible ones); a choice no longer eligible is read.
 */
async function myBallotView(ballot: OwnBallotRow, known: readonly { _id: Types.ObjectId; number: number; title: string; totalFen: number }[]): Promise<MyBallot> {
  const byId = new Map(known.map((p) => [String(p._id), p]));
  const chosen = ballot.choices.every((id) => byId.has(String(id)))
    ? ballot.choices.map((id) => byId.get(String(id))!)
    : await Proposal.find({ _id: mongoose.trusted({ $in: ballot.choices }) }).select('number title totalFen').lean();
  return {
    receipt: ballot.receipt ?? '',
    channel: ballot.channel,
    submittedAt: ballot.submittedAt.toISOString(),
    totalFen: ballot.totalFen,
    voided: Boolean(ballot.voided?.at),
    // A paper ballot's or an assisted ballot's serial; an assisted ballot the voter replaced online.
    serial: ballot.channel === 'online' ? null : (ballot.paperSerial ?? null),
    replacedAssisted: ballot.replacedAssisted?.at ? { serial: ballot.replacedAssisted.serial ?? '', at: ballot.replacedAssisted.at.toISOString() } : null,
    choices: [...chosen].sort((a, b) => a.number - b.number).map((p) => ({ number: p.number, title: p.title, totalFen: p.totalFen })),
  };
}

/** The voter's own ballot for the "my ballot" page and the receipt. */
export async function getMyBallot(ctx: VotingContext, voterId: string): Promise<MyBallot | null> {
  const ballot = await Ballot.findOne({ competition: ctx.id, voter: voterId }).select(OWN_BALLOT_FIELDS.join(' ')).lean();
  return ballot ? myBallotView(ballot, []) : null;
}

// --- Device marks ------------------------------------------------------------------------------

/** A coarse device mark for the anomalies page: a hash of the browser's self-description. */
export function deviceMark(request: Request): string {
  const parts = [request.headers.get('user-agent') ?? '', request.headers.get('accept-language') ?? ''];
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}
