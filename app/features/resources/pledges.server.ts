import { Types } from 'mongoose';
import { Competition, Need, Pledge, Project, ResourcePartner } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify } from '~/core/notifications.server';
import { hasPermission } from '~/core/permissions.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import { isPublicNeedStatus } from '~/features/needs/needs';
import { districtFund, namedPartner, selfPartner, type PartnerRef } from './partners.server';
import { dueDateFits, type PledgeInput } from './pledge.schema';
import { mayConfirmDelivery, mayWithdraw, type PledgeActor } from './rules';

/**
 * Recording pledges, their delivery and their withdrawal (docs/decisions/031-resources-and-pledges.md).
 * Without transactions every change of status is one conditional update on `status` of the one
 * pledge, carrying its target in the filter: delivered once, only from pledged; withdrawn only
 * while pledged; so a parallel deliver and withdraw cannot both win, and a delivered pledge is
 * never changed again. Who may act is decided from the pledge's own project (read in the same
 * step), never from what the form says.
 */

export type PledgeTarget = { type: 'project'; competitionId: string; number: number } | { type: 'need'; number: number };

export type RecordResult =
  | { ok: true; number: number }
  | { ok: false; reason: 'notFound' | 'forbidden' | 'needNotPublic' | 'dueDateOutOfRange' | 'fundStaffOnly' };

/** May manage every pledge and record the fund's allocations: district staff (any committee member) and admins. */
export const mayManageResources = (user: SessionUser) => hasPermission(user.roles, 'resource:manage');

async function projectTarget(competitionId: string, number: number) {
  return Project.findOne({ competition: competitionId, number }).select('_id competition number title street team').lean();
}

type TargetDoc = { project?: Types.ObjectId; competition?: Types.ObjectId; need?: Types.ObjectId; needNumber?: number; street?: Types.ObjectId | null };

export async function recordPledge(input: { user: SessionUser; target: PledgeTarget; values: PledgeInput; ip?: string; now?: Date }): Promise<RecordResult> {
  const { user, values } = input;
  const now = input.now ?? new Date();
  if (!dueDateFits(values.dueDate, now)) return { ok: false, reason: 'dueDateOutOfRange' };
  const staff = mayManageResources(user);

  let target: TargetDoc;
  let team: string[] = [];
  let project: Awaited<ReturnType<typeof projectTarget>> = null;
  if (input.target.type === 'project') {
    project = await projectTarget(input.target.competitionId, input.target.number);
    if (!project) return { ok: false, reason: 'notFound' };
    team = project.team.map(String);
    target = { project: project._id, competition: project.competition, street: project.street ?? null };
  } else {
    const need = await Need.findOne({ number: input.target.number }).select('_id number status street').lean();
    if (!need) return { ok: false, reason: 'notFound' };
    // A need that is not public (pending, withdrawn, rejected) takes no pledges: its page does not exist for the public.
    if (!isPublicNeedStatus(need.status)) return { ok: false, reason: 'needNotPublic' };
    target = { need: need._id, needNumber: need.number, street: need.street };
  }

  // Recording on someone else's behalf is for this project's team, its committee and district staff;
  // anyone signed in may offer a pledge of their own.
  const onTeam = project ? team.includes(user.id) || hasPermission(user.roles, 'project:report', { projectId: String(project._id) }) : false;
  const committee = staff || (project ? hasPermission(user.roles, 'competition:manage', { competitionId: String(project.competition) }) : false);
  let partner: PartnerRef;
  if (values.partnerKind === 'self') partner = await selfPartner(user);
  else if (values.partnerKind === 'fund') {
    if (!staff) return { ok: false, reason: 'fundStaffOnly' };
    partner = await districtFund();
  } else {
    if (!(onTeam || committee)) return { ok: false, reason: 'forbidden' };
    partner = await namedPartner(values.partnerKind, values.partnerName, user.id);
  }
  const self = values.partnerKind === 'self';
  const money = values.kind === 'money';
  const valueFen = money ? values.amount! : values.estimatedValue!;
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await Pledge.findOne().sort({ number: -1 }).select('number').lean();
    const number = (last?.number ?? 0) + 1;
    try {
      const doc = await Pledge.create({
        number,
        partner: partner.id,
        partnerKind: partner.kind,
        // Organizations, enterprises and the fund are named; an individual only with their explicit consent.
        showName: partner.kind === 'individual' ? values.showName : true,
        ...target,
        kind: values.kind,
        ...(money ? { amountFen: values.amount } : { item: values.item, quantity: values.quantity, unit: values.unit, estimatedValueFen: values.estimatedValue }),
        valueFen,
        dueAt: values.dueDate,
        note: values.note,
        recordedBy: user.id,
        ...(self ? { offeredBy: user.id } : {}),
      });
      await audit({
        actor: user.id,
        action: partner.kind === 'fund' ? 'pledge.allocated' : self ? 'pledge.offered' : 'pledge.recorded',
        targetType: 'Pledge',
        targetId: String(doc._id),
        after: { number, partner: partner.id, kind: values.kind, valueFen, dueAt: values.dueDate.toISOString(), ...(project ? { project: String(project._id) } : { need: String(target.need) }) },
        ip: input.ip,
      });
      // The team hears of a pledge someone else recorded for their project.
      if (project && input.target.type === 'project') {
        await notify(
          team.filter((id) => id !== user.id),
          { type: 'pledgeOffered', competitionSlug: '', actorId: user.id, data: { pledgeNumber: number } },
        );
      }
      return { ok: true, number };
    } catch (error) {
      // Another pledge took this number at the same moment: the next one.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('could not allocate a pledge number');
}

/** A pledge with what deciding who may act on it needs. */
export async function loadPledge(number: number) {
  const pledge = await Pledge.findOne({ number })
    .select('number partner partnerKind showName project competition need needNumber street kind amountFen item quantity unit estimatedValueFen valueFen dueAt note status recordedBy offeredBy delivery withdrawnAt withdrawReason createdAt')
    .lean();
  if (!pledge) return null;
  const [project, partner, competition] = await Promise.all([
    pledge.project ? Project.findById(pledge.project).select('team competition number title').lean() : null,
    ResourcePartner.findById(pledge.partner).select('kind name').lean(),
    pledge.competition ? Competition.findById(pledge.competition).select('slug').lean() : null,
  ]);
  return { pledge, project, partner, competitionSlug: competition?.slug ?? null, needNumber: pledge.needNumber ?? null };
}

export type LoadedPledge = NonNullable<Awaited<ReturnType<typeof loadPledge>>>;

/** Who the viewer is to this pledge: its project's team, its committee (or district staff), the one who offered it. */
export function pledgeActor(user: SessionUser | null, loaded: LoadedPledge): PledgeActor {
  if (!user) return { team: false, committee: false, pledger: false };
  const { pledge, project } = loaded;
  const team = project ? project.team.some((id) => String(id) === user.id) || hasPermission(user.roles, 'project:report', { projectId: String(project._id) }) : false;
  const committee = mayManageResources(user) || (project ? hasPermission(user.roles, 'competition:manage', { competitionId: String(project.competition) }) : false);
  const pledger = pledge.offeredBy ? String(pledge.offeredBy) === user.id : false;
  return { team, committee, pledger };
}

export type MoveResult = { ok: true } | { ok: false; reason: 'notFound' | 'forbidden' | 'wrongStatus' | 'receiptRefused' | 'deliveredInFuture' };

export async function deliverPledge(input: {
  user: SessionUser;
  number: number;
  deliveredOn: Date;
  note: string;
  receipt?: { data: Uint8Array; filename: string } | null;
  ip?: string;
  now?: Date;
}): Promise<MoveResult> {
  const now = input.now ?? new Date();
  const loaded = await loadPledge(input.number);
  if (!loaded) return { ok: false, reason: 'notFound' };
  if (!mayConfirmDelivery(pledgeActor(input.user, loaded))) return { ok: false, reason: 'forbidden' };
  if (loaded.pledge.status !== 'pledged') return { ok: false, reason: 'wrongStatus' };
  // The date is the end of the day typed: today is fine, tomorrow is not.
  if (input.deliveredOn.getTime() > now.getTime() + 86_400_000) return { ok: false, reason: 'deliveredInFuture' };
  let receiptFileId: string | undefined;
  if (input.receipt) {
    const stored = await storeImage({ data: input.receipt.data, filename: input.receipt.filename, uploaderId: input.user.id, kind: 'receipt', visibility: 'private' });
    if (!stored.ok) return { ok: false, reason: 'receiptRefused' };
    receiptFileId = stored.fileId;
  }
  const { pledge } = loaded;
  const moved = await Pledge.updateOne(
    { _id: pledge._id, status: 'pledged' },
    {
      $set: {
        status: 'delivered',
        delivery: { at: input.deliveredOn, note: input.note, ...(receiptFileId ? { receiptFileId } : {}), recordedBy: new Types.ObjectId(input.user.id), recordedAt: now },
      },
    },
  );
  if (moved.modifiedCount !== 1) {
    // Withdrawn or delivered by someone else meanwhile: the receipt belongs to nothing.
    if (receiptFileId) await deleteImage(receiptFileId);
    return { ok: false, reason: 'wrongStatus' };
  }
  await audit({
    actor: input.user.id,
    action: 'pledge.delivered',
    targetType: 'Pledge',
    targetId: String(pledge._id),
    before: { status: 'pledged' },
    after: { status: 'delivered', at: input.deliveredOn.toISOString(), receipt: Boolean(receiptFileId) },
    ip: input.ip,
  });
  return { ok: true };
}

export async function withdrawPledge(input: { user: SessionUser; number: number; reason: string; ip?: string; now?: Date }): Promise<MoveResult> {
  const loaded = await loadPledge(input.number);
  if (!loaded) return { ok: false, reason: 'notFound' };
  if (!mayWithdraw(pledgeActor(input.user, loaded))) return { ok: false, reason: 'forbidden' };
  const { pledge } = loaded;
  const moved = await Pledge.updateOne(
    { _id: pledge._id, status: 'pledged' },
    { $set: { status: 'withdrawn', withdrawnAt: input.now ?? new Date(), withdrawnBy: new Types.ObjectId(input.user.id), withdrawReason: input.reason } },
  );
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await audit({
    actor: input.user.id,
    action: 'pledge.withdrawn',
    targetType: 'Pledge',
    targetId: String(pledge._id),
    before: { status: 'pledged' },
    after: { status: 'withdrawn' },
    reason: input.reason,
    ip: input.ip,
  });
  // The team hears when someone else takes a promise back.
  if (loaded.project) {
    const team = loaded.project.team.map(String).filter((id) => id !== input.user.id);
    await notify(team, { type: 'pledgeWithdrawn', competitionSlug: '', actorId: input.user.id, data: { pledgeNumber: pledge.number } });
  }
  return { ok: true };
}

/** Who may see a stored receipt, or null when the file is no pledge's receipt. */
export async function receiptAccess(user: SessionUser | null, fileId: string): Promise<boolean | null> {
  const pledge = await Pledge.findOne({ 'delivery.receiptFileId': fileId }).select('number').lean();
  if (!pledge) return null;
  if (!user) return false;
  const loaded = await loadPledge(pledge.number);
  if (!loaded) return false;
  const actor = pledgeActor(user, loaded);
  return actor.team || actor.committee || actor.pledger || hasPermission(user.roles, 'admin:access');
}
