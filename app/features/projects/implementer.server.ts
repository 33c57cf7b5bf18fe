import mongoose, { Types } from 'mongoose';
import { Competition, MilestoneReport, Organization, Project } from '#models';
import { audit } from '~/core/audit.server';
import type { ProjectStatus } from './rules';

/**
 * The implementing organization of a project: the committee of the project's competition picks
 * one from the registry (the route guards with competition:manage), and the organization pages
 * ask which projects an organization implements. Only an organization's id and public fields
 * are read here.
 */

const OBJECT_ID = /^[0-9a-f]{24}$/i;

export type NameImplementerResult = { ok: true; changed: boolean } | { ok: false; reason: 'notFound' | 'organizationNotFound' | 'conflict' };

/**
 * Names (or, with null, clears) the implementer. `expected` is the implementer the committee
 * saw on the form (empty for none): the write only applies when the project still has it, so
 * two committee members naming different organizations at once cannot both win, and neither
 * silently overwrites the other.
 */
export async function nameImplementer(input: {
  competitionId: string;
  projectNumber: number;
  organizationId: string | null;
  expected: string | null;
  actorId: string;
  ip?: string;
}): Promise<NameImplementerResult> {
  const project = await Project.findOne({ competition: input.competitionId, number: input.projectNumber }).select('organization').lean();
  if (!project) return { ok: false, reason: 'notFound' };
  if (input.organizationId !== null) {
    if (!OBJECT_ID.test(input.organizationId) || !(await Organization.exists({ _id: input.organizationId }))) return { ok: false, reason: 'organizationNotFound' };
  }
  if (input.expected !== null && !OBJECT_ID.test(input.expected)) return { ok: false, reason: 'conflict' };
  const current = project.organization ? String(project.organization) : null;
  if (current !== input.expected) return { ok: false, reason: 'conflict' };
  if (current === input.organizationId) return { ok: true, changed: false };
  const expected = input.expected ? new Types.ObjectId(input.expected) : null;
  const result = await Project.updateOne(
    // null matches a project with no implementer (the field is absent until one is named).
    { _id: project._id, organization: expected },
    input.organizationId ? { $set: { organization: new Types.ObjectId(input.organizationId) } } : { $unset: { organization: 1 } },
  );
  if (result.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({
    actor: input.actorId,
    action: 'project.organizationNamed',
    targetType: 'Project',
    targetId: String(project._id),
    before: { organization: current },
    after: { organization: input.organizationId },
    ip: input.ip,
  });
  return { ok: true, changed: true };
}

export interface ImplementedProject {
  id: string;
  competitionId: string;
  slug: string;
  year: number;
  number: number;
  title: string;
  status: ProjectStatus;
  progressPct: number;
}

/** The projects an organization implements, newest competition first, with their competitions' ids (for who may manage it). */
export async function projectsOfOrganization(organizationId: string): Promise<ImplementedProject[]> {
  if (!OBJECT_ID.test(organizationId)) return [];
  const projects = await Project.find({ organization: organizationId }).select('competition number title status progressPct').limit(200).lean();
  if (!projects.length) return [];
  const competitionIds = [...new Set(projects.map((p) => String(p.competition)))];
  const competitions = await Competition.find({ _id: mongoose.trusted({ $in: competitionIds }) }).select('slug year').lean();
  const byId = new Map(competitions.map((c) => [String(c._id), c]));
  return projects
    .flatMap((p) => {
      const competition = byId.get(String(p.competition));
      return competition
        ? [{ id: String(p._id), competitionId: String(p.competition), slug: competition.slug, year: competition.year, number: p.number, title: p.title, status: p.status, progressPct: p.progressPct ?? 0 }]
        : [];
    })
    .sort((a, b) => b.year - a.year || a.slug.localeCompare(b.slug) || a.number - b.number);
}

/** The competitions in which the organization implements a project: their committees may manage it. */
export const implementingCompetitions = (projects: ImplementedProject[]) => [...new Set(projects.map((p) => p.competitionId))];

/** What the naming page shows of the project: its title and the implementer named now, or the group the proposal named. */
export async function getImplementerChoice(competitionId: string, number: number) {
  const project = await Project.findOne({ competition: competitionId, number }).select('number title organization proposedOrganizationName street').lean();
  if (!project) return null;
  return {
    number: project.number,
    title: project.title,
    organizationId: project.organization ? String(project.organization) : null,
    proposedOrganizationName: project.proposedOrganizationName,
    streetId: project.street ? String(project.street) : null,
  };
}

export interface ProjectOutcome {
  /** Volunteer hours reported in the project's approved milestone reports. */
  volunteerHours: number;
  /** People served, all groups, in its approved reports. */
  peopleServed: number;
  approvedReports: number;
}

/**
 * What these projects achieved, from their approved milestone reports only (a draft or a report
 * under review is not an outcome yet): one query whatever the number of projects. For an
 * organization's public profile (the route composes it with the organizations feature).
 */
export async function outcomesOfProjects(projectIds: readonly string[]): Promise<Map<string, ProjectOutcome>> {
  const ids = projectIds.filter((id) => OBJECT_ID.test(id));
  const outcomes = new Map<string, ProjectOutcome>(ids.map((id) => [id, { volunteerHours: 0, peopleServed: 0, approvedReports: 0 }]));
  if (!ids.length) return outcomes;
  const reports = await MilestoneReport.find({ project: mongoose.trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }), status: 'approved' })
    .select('project volunteerHours served.count')
    .lean();
  for (const report of reports) {
    const outcome = outcomes.get(String(report.project));
    if (!outcome) continue;
    outcome.volunteerHours += report.volunteerHours ?? 0;
    outcome.peopleServed += report.served.reduce((sum, s) => sum + (s.count ?? 0), 0);
    outcome.approvedReports += 1;
  }
  return outcomes;
}
