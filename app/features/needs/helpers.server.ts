import mongoose, { Types } from 'mongoose';
import { Helper, Need } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { notifyMany } from '~/core/notifications.server';
import { hasPermission } from '~/core/permissions.server';
import type { HelperKind, HelperStatus } from './needs';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * Certified helpers (decision 028): anyone signed in applies, once per account (the unique index
 * on `members`); a street committee member certifies or revokes. Certification is district-wide:
 * a caring enterprise helps wherever a need is.
 */

export interface HelperSummary {
  id: string;
  kind: HelperKind;
  name: string;
  status: HelperStatus;
  certifiedAt: string | null;
  openClaims: number;
  fulfilledCount: number;
}

function summary(doc: { _id: Types.ObjectId; kind: HelperKind; name: string; status: HelperStatus; certifiedAt?: Date | null; openClaims: number; fulfilledCount: number }): HelperSummary {
  return {
    id: String(doc._id),
    kind: doc.kind,
    name: doc.name,
    status: doc.status,
    certifiedAt: doc.certifiedAt?.toISOString() ?? null,
    openClaims: doc.openClaims,
    fulfilledCount: doc.fulfilledCount,
  };
}

const SUMMARY_FIELDS = 'kind name status certifiedAt openClaims fulfilledCount';

/** The helper the account belongs to (any status), or null. */
export async function helperOf(userId: string): Promise<HelperSummary | null> {
  const doc = await Helper.findOne({ members: new Types.ObjectId(userId) }).select(SUMMARY_FIELDS).lean();
  return doc ? summary(doc) : null;
}

export type ApplyResult = { ok: true; id: string } | { ok: false; reason: 'alreadyApplied' };

export async function applyAsHelper(input: { user: SessionUser; kind: HelperKind; name: string; introduction: string; contactPhone: string; ip?: string }): Promise<ApplyResult> {
  try {
    const doc = await Helper.create({
      kind: input.kind,
      name: input.name,
      introduction: input.introduction,
      contactPhone: input.contactPhone,
      street: input.user.streetId ?? undefined,
      members: [input.user.id],
      appliedBy: input.user.id,
    });
    await audit({ actor: input.user.id, action: 'helper.applied', targetType: 'Helper', targetId: String(doc._id), after: { kind: input.kind, name: input.name }, ip: input.ip });
    return { ok: true, id: String(doc._id) };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'alreadyApplied' };
    throw error;
  }
}

export const HELPERS_PAGE = 20;

/** The order of the committee's list: applications waiting for a decision first. */
const LIST_ORDER: readonly HelperStatus[] = ['pending', 'certified', 'revoked'];

/**
 * The committee's list: pending applications first, then the certified, then the revoked, each
 * newest first; contacts included (committee only). One read per status the page reaches, each
 * on the (status, createdAt) index: sorting on the status itself would put "certified" first.
 */
export async function listHelpers(status: HelperStatus | null, page: number) {
  const statuses = status ? [status] : LIST_ORDER;
  const counts = await Promise.all(statuses.map((s) => Helper.countDocuments({ status: s })));
  let skip = (page - 1) * HELPERS_PAGE;
  let room = HELPERS_PAGE;
  const reads = statuses.flatMap((s, i) => {
    const count = counts[i] ?? 0;
    if (room === 0 || skip >= count) {
      skip = Math.max(0, skip - count);
      return [];
    }
    const take = Math.min(room, count - skip);
    const read = Helper.find({ status: s })
      .select(`${SUMMARY_FIELDS} introduction contactPhone createdAt revokedReason`)
      .sort({ createdAt: -1, _id: -1 })
      .skip(skip)
      .limit(take)
      .lean();
    room -= take;
    skip = 0;
    return [read];
  });
  const docs = (await Promise.all(reads)).flat();
  const total = counts.reduce((sum, n) => sum + n, 0);
  return {
    items: docs.map((d) => ({ ...summary(d), introduction: d.introduction, contactPhone: d.contactPhone, appliedAt: d.createdAt.toISOString(), revokedReason: d.revokedReason ?? null })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / HELPERS_PAGE)),
  };
}

export type CertifyResult = { ok: true } | { ok: false; reason: 'notAllowed' | 'notFound' | 'unchanged' };

/**
 * Certifies a pending or revoked helper, or revokes a certified one with a reason. Revoking ends
 * the helper's current claims: those needs go back on the board (their claim history kept).
 */
export async function decideHelper(input: { actor: SessionUser; helperId: string; decision: 'certify' | 'revoke'; reason?: string; ip?: string; now?: Date }): Promise<CertifyResult> {
  if (!hasPermission(input.actor.roles, 'helper:certify')) return { ok: false, reason: 'notAllowed' };
  if (!Types.ObjectId.isValid(input.helperId)) return { ok: false, reason: 'notFound' };
  const at = input.now ?? new Date();
  const from: HelperStatus[] = input.decision === 'certify' ? ['pending', 'revoked'] : ['certified'];
  const update =
    input.decision === 'certify'
      ? { $set: { status: 'certified', certifiedBy: input.actor.id, certifiedAt: at }, $unset: { revokedReason: 1 } }
      : { $set: { status: 'revoked', revokedReason: input.reason ?? '' } };
  const doc = await Helper.findOneAndUpdate({ _id: input.helperId, status: mongoose.trusted({ $in: from }) }, update, { returnDocument: 'after' }).select('members name').lean();
  if (!doc) return (await Helper.exists({ _id: input.helperId })) ? { ok: false, reason: 'unchanged' } : { ok: false, reason: 'notFound' };
  if (input.decision === 'revoke') await endClaimsOf(String(doc._id), at);
  await audit({ actor: input.actor.id, action: input.decision === 'certify' ? 'helper.certified' : 'helper.revoked', targetType: 'Helper', targetId: String(doc._id), after: { name: doc.name }, reason: input.reason, ip: input.ip });
  await notifyMany([{ recipientIds: doc.members.map(String), event: { type: 'helperCertified', competitionSlug: '', actorId: input.actor.id, data: input.decision === 'revoke' ? { revoked: 1 } : {} } }]);
  return { ok: true };
}

/** A revoked helper's current claims end: each need goes back to the board (bounded by the claim cap). */
async function endClaimsOf(helperId: string, at: Date): Promise<void> {
  const claimed = await Need.find({ 'claim.helper': new Types.ObjectId(helperId), status: mongoose.trusted({ $in: ['claimed', 'done'] }) }).select('claim status').lean();
  for (const need of claimed) {
    if (!need.claim) continue;
    const ended = await Need.updateOne(
      { _id: need._id, status: need.status, 'claim.key': need.claim.key },
      { $set: { status: 'open', claim: null }, $unset: { fulfilment: 1 }, $push: { claims: { ...need.claim, endedAt: at, outcome: 'released' } } },
    );
    if (ended.modifiedCount === 1) await Helper.updateOne({ _id: helperId, openClaims: mongoose.trusted({ $gt: 0 }) }, { $inc: { openClaims: -1 } });
  }
}

/** Public: a certified helper's name and kind, for a need's page (never members or contacts). */
export async function helperNames(ids: readonly string[]): Promise<Map<string, { name: string; kind: HelperKind; certified: boolean }>> {
  if (!ids.length) return new Map();
  const docs = await Helper.find({ _id: mongoose.trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }) }).select('name kind status').lean();
  return new Map(docs.map((d) => [String(d._id), { name: d.name, kind: d.kind, certified: d.status === 'certified' }]));
}
