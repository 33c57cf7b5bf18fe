import { Types } from 'mongoose';
import { Ballot, newAssistedSerial, User } from '#models';
import { phaseWindow, votingOpen } from '~/features/competitions/phases';
import { shanghaiDay } from '~/utils/dates';
import type { BallotChannel, ChoiceFailure } from './rules';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify } from '~/core/notifications.server';
import { hasPermission } from '~/core/permissions.server';
import { checkChoicesOn, judgeMayChoose, voterBallot, type StandingFailure, type VotingContext } from './voting.server';
import { ballotsChanged } from './tally.server';

/**
 * Ballots a grid worker enters for a resident (docs/decisions/006-voting.md): a paper ballot with
 * the form's serial, or an assisted one with the resident's consent and a serial the server
 * draws. The resident's own online ballot may replace an assisted one (castBallot).
 */

export type ConsentFailure = 'consentRequired' | 'witnessRequired' | 'consentFormRequired' | 'consentDateInvalid';
export type PaperFailure = 'votingClosed' | 'outsideArea' | 'serialRequired' | 'serialTaken' | 'alreadyVoted' | ConsentFailure | StandingFailure | ChoiceFailure;
export type PaperResult = { ok: true; ballotId: string; serial: string } | { ok: false; reason: PaperFailure };

/** The resident's consent to an assisted ballot, as for an assisted proposal (recordConsent). */
export interface BallotConsent {
  method: 'signedForm' | 'verbalWitnessed';
  at: Date;
  witness?: string;
  /** The private photo of the signed form (uploads, kind consentForm). */
  formFileId?: string;
}

/** How long before voting opens a resident's consent may have been given (a form signed early). */
const CONSENT_LEAD_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A signed form counts with its photo, verbal consent with a named witness; both with a date that
 * is not in the future and not long before voting opened.
 */
function consentFailure(consent: BallotConsent | undefined, votingStartsAt: Date | null, now: Date): ConsentFailure | null {
  if (!consent || !['signedForm', 'verbalWitnessed'].includes(consent.method) || !(consent.at instanceof Date) || Number.isNaN(consent.at.getTime())) {
    return 'consentRequired';
  }
  // Compared by Shanghai day: a date typed as today is stored at noon.
  if (shanghaiDay(consent.at) > shanghaiDay(now) || (votingStartsAt && consent.at.getTime() < votingStartsAt.getTime() - CONSENT_LEAD_MS)) return 'consentDateInvalid';
  if (consent.method === 'verbalWitnessed' && !consent.witness?.trim()) return 'witnessRequired';
  if (consent.method === 'signedForm' && !consent.formFileId) return 'consentFormRequired';
  return null;
}

/**
 * A grid worker enters a paper ballot (with the form's serial number) or an assisted one (with
 * the resident's consent; the server draws its serial) for a verified resident of their area.
 * An insert: if the resident already has a ballot on any channel, or the serial is used in this
 * competition, the unique indexes refuse it (an assisted serial that collides is drawn again).
 * The resident is told of an assisted ballot and may replace it online (castBallot).
 */
export async function enterPaperBallot(input: {
  ctx: VotingContext;
  worker: SessionUser;
  residentId: string;
  channel: Exclude<BallotChannel, 'online'>;
  serial?: string;
  consent?: BallotConsent;
  choices: readonly number[];
  ip?: string;
  now?: Date;
}): Promise<PaperResult> {
  const { ctx } = input;
  const now = input.now ?? new Date();
  if (!votingOpen(ctx.phases, now)) return { ok: false, reason: 'votingClosed' };
  // Serials are matched without regard to case: "p-0002" is the form "P-0002".
  const typed = (input.serial?.trim() ?? '').toUpperCase();
  if (input.channel === 'paper' && !typed) return { ok: false, reason: 'serialRequired' };
  const consent = input.channel === 'assisted' ? input.consent : undefined;
  const missingConsent = input.channel === 'assisted' ? consentFailure(consent, phaseWindow(ctx.phases, 'voting')?.startsAt ?? null, now) : null;
  if (missingConsent) return { ok: false, reason: missingConsent };
  // The resident's standing and ballot options in one round trip.
  const { standing, options } = await voterBallot(ctx, input.residentId, { now });
  if (!standing.ok) return standing;
  if (!hasPermission(input.worker.roles, 'resident:assist', { streetId: standing.street, communityId: standing.community })) {
    return { ok: false, reason: 'outsideArea' };
  }
  const check = checkChoicesOn(ctx, options, input.choices);
  if (!check.ok) return check;
  if (!(await judgeMayChoose(ctx, standing, input.residentId, check.ids))) return { ok: false, reason: 'judgeMayNotVote' };
  const competition = new Types.ObjectId(ctx.id);
  const voter = new Types.ObjectId(input.residentId);
  let ballotId: string | null = null;
  let serial = typed;
  for (let tries = 0; tries < 5 && !ballotId; tries++) {
    if (input.channel === 'assisted') serial = newAssistedSerial();
    try {
      const ballot = await Ballot.create({
        competition,
        voter,
        channel: input.channel,
        choices: check.ids,
        totalFen: check.totalFen,
        street: standing.street,
        community: standing.community,
        enteredBy: input.worker.id,
        paperSerial: serial,
        paperKey: `${ctx.id}:${serial}`,
        consent,
        ip: input.ip,
        submittedAt: now,
        changes: 1,
      });
      ballotId = String(ballot._id);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // The stand-in gives no keyValue on E11000, so ask which index it was.
      if (await Ballot.exists({ competition, voter })) return { ok: false, reason: 'alreadyVoted' };
      if (input.channel === 'paper') return { ok: false, reason: 'serialTaken' };
    }
  }
  if (!ballotId) throw new Error('assisted ballot serials kept colliding');
  await ballotsChanged(ctx.id);
  await audit({
    actor: input.worker.id,
    action: 'ballot.entered',
    targetType: 'Ballot',
    targetId: ballotId,
    // Who entered which serial for whom (and, when assisted, how they consented); never the choices (ballot secrecy).
    after: { voter: input.residentId, channel: input.channel, serial, ...(consent ? { consent: consent.method } : {}) },
    ip: input.ip,
  });
  if (input.channel === 'assisted') {
    await notify([input.residentId], { type: 'assistedBallotEntered', competitionSlug: ctx.slug, actorId: input.worker.id, data: { serial } });
  }
  return { ok: true, ballotId, serial };
}

/** What the worker is shown after entering a ballot: its serial, for the form, and for whom. Only their own entries. */
export async function enteredBallot(worker: SessionUser, ballotId: string): Promise<{ serial: string; channel: string; residentName: string } | null> {
  if (!Types.ObjectId.isValid(ballotId) || ballotId.length !== 24) return null;
  const ballot = await Ballot.findOne({ _id: new Types.ObjectId(ballotId), enteredBy: new Types.ObjectId(worker.id) }).select('channel paperSerial voter').lean();
  if (!ballot?.paperSerial || ballot.channel === 'online') return null;
  const resident = await User.findById(ballot.voter).select('name').lean();
  return { serial: ballot.paperSerial, channel: ballot.channel, residentName: resident?.name ?? '' };
}
