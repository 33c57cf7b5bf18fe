import { createHmac } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Competition, Project, TeamInvitation, User } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { notify } from '~/core/notifications.server';
import { cookieSecrets } from '~/core/session.server';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { planAccess, type PlanProject } from './milestones.server';
import { findReportProject } from './reports.server';
import { INVITATION_TTL_MS, OPEN_INVITATIONS_MAX, TEAM_MAX } from './team';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * A project's team and mentor (issue 14; docs/decisions/023-project-team.md).
 *
 * Project.team is the one list of members: the proposal's authors at creation, plus whoever
 * accepts an invitation. No `team` grant is written (an admin may still grant one; planAccess
 * honours both). Without transactions every change is one conditional update of one document:
 * an invitation moves from pending once, a member is added while the team has room and is not
 * on it, a mentor is set only over the mentor the committee saw.
 *
 * An invitation names a phone number, stored only as a keyed hash. The inviter is always told
 * the same thing, whether or not the number belongs to anyone; the resident who proved that
 * number sees it on the project's team page (linked from an in-app notification).
 */

export interface TeamProject extends PlanProject {
  proposalId: string;
  mentor: string | null;
}

export interface TeamAccess {
  team: boolean;
  committee: boolean;
  mentor: boolean;
  /** Listed in Project.team (may leave; a grant holder is not a member to leave). */
  member: boolean;
}

/** The project as the team page needs it: the same reference the report pages use. */
export function findTeamProject(competitionId: string, number: number): Promise<TeamProject | null> {
  return findReportProject(competitionId, number);
}

export function teamAccess(user: SessionUser, project: TeamProject): TeamAccess {
  const plan = planAccess(user, project);
  return { team: plan.team, committee: plan.committee, mentor: plan.mentor, member: project.team.includes(user.id) };
}

/** The keyed hash an invitation names its phone number by (the session secret is the key: a leaked collection cannot be reversed by trying every number). */
export function phoneHash(phone: string): string {
  return createHmac('sha256', cookieSecrets()[0]!).update(`team-invitation:${phone}`).digest('hex');
}

/** The hash of the phone number this account proved, or null (an unproven number may be a squatter's). */
async function provenPhoneHash(userId: string): Promise<string | null> {
  const user = await User.findById(userId).select('phone phoneProvenAt').lean();
  return user?.phone && user.phoneProvenAt ? phoneHash(user.phone) : null;
}

export type InviteResult = { ok: true } | { ok: false; reason: 'phoneInvalid' | 'teamFull' | 'tooManyInvitations' };

/**
 * The team or the committee invites a phone number. `{ ok: true }` means "sent, if the number
 * belongs to a resident": the same answer, and the same writes to the invitation collection,
 * whether the number has an account, is on the team already, or was invited before. The refusals
 * say only what the inviter can see anyway (the team is full, too many invitations are open).
 */
export async function inviteMember(input: {
  project: TeamProject;
  phone: string;
  actorId: string;
  byCommittee: boolean;
  competitionSlug: string;
  ip?: string;
  now?: Date;
}): Promise<InviteResult> {
  const now = input.now ?? new Date();
  const identifier = normalizeIdentifier(input.phone);
  if (!identifier || identifier.kind !== 'phone') return { ok: false, reason: 'phoneInvalid' };
  const project = await Project.findById(input.project.id).select('team').lean();
  if (!project) return { ok: false, reason: 'teamFull' };
  if (project.team.length >= TEAM_MAX) return { ok: false, reason: 'teamFull' };
  const open = { project: project._id, status: 'pending' as const, expiresAt: mongoose.trusted({ $gt: now }) };
  if ((await TeamInvitation.countDocuments(open)) >= OPEN_INVITATIONS_MAX) return { ok: false, reason: 'tooManyInvitations' };

  const hash = phoneHash(identifier.value);
  const fresh = { invitedBy: new Types.ObjectId(input.actorId), byCommittee: input.byCommittee, status: 'pending' as const, sentAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) };
  let round: number | null = null;
  try {
    await TeamInvitation.create({ project: project._id, competition: input.project.competitionId, phoneHash: hash, round: 1, ...fresh });
    round = 1;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Invited before: reopen the one document unless it is still open (then nothing changes).
    // An accepted one reopens too (the person left or was removed); accepting checks the team.
    const reopened = await TeamInvitation.findOneAndUpdate(
      {
        project: project._id,
        phoneHash: hash,
        $or: [{ status: mongoose.trusted({ $in: ['declined', 'cancelled', 'accepted'] }) }, { status: 'pending', expiresAt: mongoose.trusted({ $lte: now }) }],
      },
      { $set: fresh, $inc: { round: 1 }, $unset: { answeredBy: 1, answeredAt: 1 } },
      { returnDocument: 'after', projection: { round: 1 } },
    ).lean();
    round = reopened?.round ?? null;
  }
  if (round !== null) {
    // The count above and this write are two steps: parallel invitations could pass it together.
    // Counting again after the write and withdrawing our own over the cap keeps the cap hard
    // (at worst every racer withdraws, which errs on the safe side).
    if ((await TeamInvitation.countDocuments(open)) > OPEN_INVITATIONS_MAX) {
      await TeamInvitation.updateOne({ project: project._id, phoneHash: hash, round, status: 'pending' }, { $set: { status: 'cancelled' } });
      return { ok: false, reason: 'tooManyInvitations' };
    }
    await audit({ actor: input.actorId, action: 'team.invited', targetType: 'Project', targetId: input.project.id, after: { round, byCommittee: input.byCommittee }, ip: input.ip });
    // Told in the app only when an account proved the number, and is not on the team already.
    const holder = await User.findOne({ phone: identifier.value }).select('phoneProvenAt').lean();
    if (holder?.phoneProvenAt && !project.team.some((m) => String(m) === String(holder._id))) {
      await notify([String(holder._id)], {
        type: 'teamInvitation',
        competitionSlug: input.competitionSlug,
        proposalId: input.project.proposalId,
        actorId: input.actorId,
        data: { projectNumber: input.project.number },
      });
    }
  }
  return { ok: true };
}

/** The open invitations of a project, for its team and committee: when sent and until when, never to which number. */
export async function listOpenInvitations(projectId: string, now = new Date()) {
  const docs = await TeamInvitation.find({ project: projectId, status: 'pending', expiresAt: mongoose.trusted({ $gt: now }) })
    .select('invitedBy sentAt expiresAt')
    .sort({ expiresAt: 1 })
    .lean();
  const inviters = docs.length ? await User.find({ _id: mongoose.trusted({ $in: [...new Set(docs.map((d) => String(d.invitedBy)))] }) }).select('name').lean() : [];
  const names = new Map(inviters.map((u) => [String(u._id), u.name]));
  return docs.map((d) => ({ id: String(d._id), invitedBy: names.get(String(d.invitedBy)) ?? '', sentAt: d.sentAt.toISOString(), expiresAt: d.expiresAt.toISOString() }));
}

/** The team or the committee withdraws an open invitation of this project. */
export async function cancelInvitation(input: { project: TeamProject; invitationId: string; actorId: string; ip?: string }): Promise<boolean> {
  if (!Types.ObjectId.isValid(input.invitationId)) return false;
  const cancelled = await TeamInvitation.updateOne({ _id: input.invitationId, project: input.project.id, status: 'pending' }, { $set: { status: 'cancelled' } });
  if (cancelled.modifiedCount !== 1) return false;
  await audit({ actor: input.actorId, action: 'team.invitationCancelled', targetType: 'Project', targetId: input.project.id, after: { invitation: input.invitationId }, ip: input.ip });
  return true;
}

/** The open invitation of this project to the signed-in resident (matched by the phone number they proved), or null. */
export async function myInvitation(userId: string, projectId: string, now = new Date()) {
  const hash = await provenPhoneHash(userId);
  if (!hash) return null;
  const doc = await TeamInvitation.findOne({ project: projectId, phoneHash: hash, status: 'pending', expiresAt: mongoose.trusted({ $gt: now }) })
    .select('invitedBy expiresAt round')
    .lean();
  if (!doc) return null;
  const inviter = await User.findById(doc.invitedBy).select('name').lean();
  return { id: String(doc._id), round: doc.round, invitedBy: inviter?.name ?? '', expiresAt: doc.expiresAt.toISOString() };
}

/** Every open invitation of the signed-in resident, across projects (their account page). */
export async function myInvitations(userId: string, now = new Date()) {
  const hash = await provenPhoneHash(userId);
  if (!hash) return [];
  const docs = await TeamInvitation.find({ phoneHash: hash, status: 'pending', expiresAt: mongoose.trusted({ $gt: now }) }).select('project competition').lean();
  if (!docs.length) return [];
  const [projects, competitions] = await Promise.all([
    Project.find({ _id: mongoose.trusted({ $in: docs.map((d) => d.project) }) }).select('number title').lean(),
    Competition.find({ _id: mongoose.trusted({ $in: docs.map((d) => d.competition) }) }).select('slug').lean(),
  ]);
  const projectOf = new Map(projects.map((p) => [String(p._id), p]));
  const slugOf = new Map(competitions.map((c) => [String(c._id), c.slug]));
  return docs.flatMap((d) => {
    const project = projectOf.get(String(d.project));
    const slug = slugOf.get(String(d.competition));
    return project && slug ? [{ competitionSlug: slug, number: project.number, title: project.title }] : [];
  });
}

export type AnswerResult = { ok: true } | { ok: false; reason: 'notFound' | 'teamFull' | 'removed' | 'conflict' };

/**
 * The invitee accepts or declines. The invitation must be of THIS project (the page's), open,
 * to the number this account proved, and of the round the page showed. Accepting moves it out
 * of pending first (only one of parallel accepts gets past that), then adds the member in one
 * conditional update: room on the team, and not removed by the committee unless the committee
 * sent this invitation. If that fails the invitation is open again as it was.
 */
export async function answerInvitation(input: {
  project: TeamProject;
  userId: string;
  invitationId: string;
  round: number;
  accept: boolean;
  ip?: string;
  now?: Date;
}): Promise<AnswerResult> {
  const now = input.now ?? new Date();
  if (!Types.ObjectId.isValid(input.invitationId)) return { ok: false, reason: 'notFound' };
  const hash = await provenPhoneHash(input.userId);
  if (!hash) return { ok: false, reason: 'notFound' };
  const user = new Types.ObjectId(input.userId);
  const filter = { _id: new Types.ObjectId(input.invitationId), project: input.project.id, phoneHash: hash, round: input.round, status: 'pending' as const, expiresAt: mongoose.trusted({ $gt: now }) };
  const claimed = await TeamInvitation.findOneAndUpdate(
    filter,
    { $set: { status: input.accept ? 'accepted' : 'declined', answeredBy: user, answeredAt: now } },
    { returnDocument: 'after', projection: { byCommittee: 1 } },
  ).lean();
  if (!claimed) return { ok: false, reason: 'notFound' };
  if (!input.accept) {
    await audit({ actor: input.userId, action: 'team.invitationDeclined', targetType: 'Project', targetId: input.project.id, ip: input.ip });
    return { ok: true };
  }
  const joined = await Project.updateOne(
    {
      _id: input.project.id,
      team: mongoose.trusted({ $ne: user }),
      [`team.${TEAM_MAX - 1}`]: mongoose.trusted({ $exists: false }),
      ...(claimed.byCommittee ? {} : { 'removedMembers.user': mongoose.trusted({ $ne: user }) }),
    },
    { $addToSet: { team: user }, ...(claimed.byCommittee ? { $pull: { removedMembers: { user } } } : {}) },
  );
  if (joined.modifiedCount !== 1) {
    await TeamInvitation.updateOne({ _id: claimed._id, status: 'accepted', answeredBy: user }, { $set: { status: 'pending' }, $unset: { answeredBy: 1, answeredAt: 1 } });
    const after = await Project.findById(input.project.id).select('team removedMembers.user').lean();
    if (after?.team.some((m) => String(m) === input.userId)) return { ok: false, reason: 'conflict' };
    if (after?.removedMembers.some((r) => String(r.user) === input.userId)) return { ok: false, reason: 'removed' };
    return { ok: false, reason: 'teamFull' };
  }
  await audit({ actor: input.userId, action: 'team.joined', targetType: 'Project', targetId: input.project.id, after: { member: input.userId }, ip: input.ip });
  return { ok: true };
}

export type LeaveResult = { ok: true } | { ok: false; reason: 'notMember' | 'lastMember' };

/** A member leaves the team; the last member stays (a project needs someone to report). */
export async function leaveTeam(input: { project: TeamProject; userId: string; ip?: string }): Promise<LeaveResult> {
  const user = new Types.ObjectId(input.userId);
  const left = await Project.updateOne({ _id: input.project.id, team: user, 'team.1': mongoose.trusted({ $exists: true }) }, { $pull: { team: user } });
  if (left.modifiedCount !== 1) {
    const still = await Project.exists({ _id: input.project.id, team: user });
    return { ok: false, reason: still ? 'lastMember' : 'notMember' };
  }
  await audit({ actor: input.userId, action: 'team.left', targetType: 'Project', targetId: input.project.id, before: { member: input.userId }, ip: input.ip });
  return { ok: true };
}

export type RemoveResult = { ok: true } | { ok: false; reason: 'notMember' };

/** The committee removes a member, with a reason (kept on the project and in the audit log); the member is told. */
export async function removeMember(input: { project: TeamProject; memberId: string; reason: string; actorId: string; competitionSlug: string; ip?: string; now?: Date }): Promise<RemoveResult> {
  if (!Types.ObjectId.isValid(input.memberId)) return { ok: false, reason: 'notMember' };
  const member = new Types.ObjectId(input.memberId);
  const removed = await Project.updateOne(
    { _id: input.project.id, team: member },
    { $pull: { team: member }, $push: { removedMembers: { user: member, reason: input.reason, by: new Types.ObjectId(input.actorId), at: input.now ?? new Date() } } },
  );
  if (removed.modifiedCount !== 1) return { ok: false, reason: 'notMember' };
  await audit({ actor: input.actorId, action: 'team.memberRemoved', targetType: 'Project', targetId: input.project.id, before: { member: input.memberId }, reason: input.reason, ip: input.ip });
  await notify([input.memberId], {
    type: 'teamRemoved',
    competitionSlug: input.competitionSlug,
    proposalId: input.project.proposalId,
    actorId: input.actorId,
    data: { projectNumber: input.project.number },
  });
  return { ok: true };
}

/** The team's members by display name, in the order they joined; ids only for the forms of the committee. */
export async function listMembers(memberIds: readonly string[]) {
  if (!memberIds.length) return [];
  const users = await User.find({ _id: mongoose.trusted({ $in: memberIds }) }).select('name').lean();
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  return memberIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! }));
}

/** Every account holding role `mentor` (staff social workers), by name, for the committee's choice. */
export async function listMentors() {
  const docs = await User.find({ 'roles.role': 'mentor' }).select('name').sort({ name: 1 }).limit(200).lean();
  return docs.map((d) => ({ id: String(d._id), name: d.name }));
}

export type AssignMentorResult = { ok: true } | { ok: false; reason: 'notMentor' | 'conflict' };

/**
 * The committee assigns (or replaces) the project's mentor. `current` is the mentor the
 * committee saw on the page: of two concurrent choices only the first applies.
 */
export async function assignMentor(input: { project: TeamProject; mentorId: string; current: string | null; actorId: string; competitionSlug: string; ip?: string }): Promise<AssignMentorResult> {
  if (!Types.ObjectId.isValid(input.mentorId) || !(await User.exists({ _id: input.mentorId, 'roles.role': 'mentor' }))) return { ok: false, reason: 'notMentor' };
  if (input.current === input.mentorId) return { ok: true };
  const set = await Project.updateOne(
    { _id: input.project.id, mentor: input.current ? new Types.ObjectId(input.current) : null },
    { $set: { mentor: new Types.ObjectId(input.mentorId) } },
  );
  if (set.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({
    actor: input.actorId,
    action: 'project.mentorAssigned',
    targetType: 'Project',
    targetId: input.project.id,
    before: { mentor: input.current },
    after: { mentor: input.mentorId },
    ip: input.ip,
  });
  await notify([input.mentorId], {
    type: 'mentorAssigned',
    competitionSlug: input.competitionSlug,
    proposalId: input.project.proposalId,
    actorId: input.actorId,
    data: { projectNumber: input.project.number },
  });
  return { ok: true };
}

/** The projects a mentor is assigned to, for their account page. */
export async function mentorProjects(userId: string) {
  if (!Types.ObjectId.isValid(userId)) return [];
  const docs = await Project.find({ mentor: userId }).select('competition number title').sort({ competition: 1, number: 1 }).lean();
  if (!docs.length) return [];
  const competitions = await Competition.find({ _id: mongoose.trusted({ $in: [...new Set(docs.map((d) => String(d.competition)))] }) }).select('slug').lean();
  const slugOf = new Map(competitions.map((c) => [String(c._id), c.slug]));
  return docs.flatMap((d) => {
    const slug = slugOf.get(String(d.competition));
    return slug ? [{ competitionSlug: slug, number: d.number, title: d.title }] : [];
  });
}
