import { Types } from 'mongoose';
import { Organization, Project } from '#models';
import type { SessionUser } from '~/core/auth.server';
import { CERTIFIED_STAGES } from './rules';

/**
 * Who organises activities (docs/decisions/030-volunteers.md): a project's team (the accounts in
 * Project.team), or the members of an organization that is filed, registered or independent.
 * Access is asked of the database each time, never kept on the activity, so a member who leaves
 * a team stops managing its activities at once.
 */

export interface Organiser {
  kind: 'project' | 'organization';
  id: string;
  name: string;
}

/** The projects and certified organizations this person may publish activities for. */
export async function organisersOf(user: SessionUser): Promise<Organiser[]> {
  const id = new Types.ObjectId(user.id);
  const [projects, organizations] = await Promise.all([
    Project.find({ team: id }).select('title').limit(50).lean(),
    Organization.find({ 'members.user': id }).select('name stage').limit(50).lean(),
  ]);
  return [
    ...projects.map((p) => ({ kind: 'project' as const, id: String(p._id), name: p.title })),
    ...organizations.filter((o) => (CERTIFIED_STAGES as readonly string[]).includes(o.stage)).map((o) => ({ kind: 'organization' as const, id: String(o._id), name: o.name })),
  ];
}

/** Whether this person is on the team of whoever organises the activity (one indexed look-up). */
export async function isOrganiserMember(activity: { project?: Types.ObjectId | null; organization?: Types.ObjectId | null }, userId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(userId)) return false;
  const id = new Types.ObjectId(userId);
  if (activity.project) return Boolean(await Project.exists({ _id: activity.project, team: id }));
  if (activity.organization) return Boolean(await Organization.exists({ _id: activity.organization, 'members.user': id }));
  return false;
}
