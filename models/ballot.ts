import { randomInt } from 'node:crypto';
import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { BALLOT_CHANNELS } from '~/features/voting/rules';

// Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const RECEIPT_PATTERN = /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/;

const pick = (length: number) => Array.from({ length }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');

/** A voter's receipt: random, unrelated to the ballot's id or time (50 bits). */
export function newReceipt(): string {
  return `${pick(5)}-${pick(5)}`;
}

export const ASSISTED_SERIAL_PATTERN = /^A-[A-HJ-NP-Z2-9]{6}$/;

/**
 * The serial of an assisted ballot, which the grid worker writes on the consent form: random
 * (30 bits), so it tells nothing about how many came before or when; the unique paperKey index
 * decides, and a rare collision is retried.
 */
export function newAssistedSerial(): string {
  return `A-${pick(6)}`;
}

const CONSENT_METHODS = ['signedForm', 'verbalWitnessed'] as const;

/**
 * A resident's whole ballot in one competition: one document per (competition, voter) whatever
 * the channel, enforced by a unique index and written with a single upsert (decision 006).
 * Voided ballots stay, with who voided them and why; the tally leaves them out.
 */
const ballotSchema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    voter: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    channel: { type: String, enum: BALLOT_CHANNELS, required: true },
    choices: { type: [{ type: Schema.Types.ObjectId, ref: 'Proposal' }], default: [] },
    totalFen: { type: Number, min: 0, default: 0 },
    // The voter's verified place when the ballot was cast (for the tally by street).
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    community: { type: Schema.Types.ObjectId, ref: 'Community' },
    // Paper and assisted ballots: the grid worker who entered it (kept when the resident
    // replaces an assisted ballot, so the worker's totals on the anomalies page stay true).
    enteredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    // The serial typed from a paper ballot, or generated for an assisted one (newAssistedSerial).
    paperSerial: { type: String, trim: true },
    // "<competition id>:<serial>", set only on paper and assisted ballots: unique and sparse,
    // because the stand-in has no partial indexes and a sparse compound index would still cover
    // every ballot.
    paperKey: { type: String },
    // An assisted ballot's consent record, as on an assisted proposal: a private photo of the
    // signed form, or verbal consent with a named witness; and the day it was given.
    consent: {
      method: { type: String, enum: CONSENT_METHODS },
      at: { type: Date },
      witness: { type: String, trim: true, maxlength: 50 },
      formFileId: { type: String },
    },
    // The resident replaced the assisted ballot with their own online one (castBallot): its
    // serial and when. The consent record and enteredBy stay, for the committee.
    replacedAssisted: {
      serial: { type: String },
      at: { type: Date },
    },
    ip: { type: String },
    device: { type: String },
    // Cast on a kiosk (a shared tablet at a service station): its id, for the anomalies page (decision 032).
    kiosk: { type: Schema.Types.ObjectId, ref: 'Kiosk' },
    submittedAt: { type: Date, required: true },
    // What the voter is shown; an upsert sets it once, on insert (setDefaultsOnInsert).
    receipt: { type: String, default: newReceipt },
    changes: { type: Number, default: 0 },
    voided: {
      at: { type: Date },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      reason: { type: String, maxlength: 500 },
    },
  },
  { timestamps: true, strict: true },
);
ballotSchema.index({ competition: 1, voter: 1 }, { unique: true });
// The voters of one proposal, told of its project's milestones (app/features/projects/reports.server.ts).
ballotSchema.index({ competition: 1, choices: 1, 'voided.at': 1 });
ballotSchema.index({ paperKey: 1 }, { unique: true, sparse: true });
ballotSchema.index({ receipt: 1 }, { unique: true, sparse: true });
// Who may see a consent form depends on the ballot it belongs to (features/proposals/image-access.server.ts).
ballotSchema.index({ 'consent.formFileId': 1 }, { sparse: true });
// The tally and the results read a competition's counted (not voided) ballots, in _id order.
ballotSchema.index({ competition: 1, 'voided.at': 1, _id: 1 });

export type BallotDoc = InferSchemaType<typeof ballotSchema>;
export const Ballot = (mongoose.models.Ballot as Model<BallotDoc>) ?? mongoose.model('Ballot', ballotSchema);
