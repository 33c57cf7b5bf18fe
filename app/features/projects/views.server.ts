import mongoose, { type Types } from 'mongoose';
import { Community, Organization, Project, Street, User } from '#models';
import type { LocalizedText } from '~/core/locales';
import { PROJECTS_PAGE_SIZE, type ProjectStatus } from './rules';

/**
 * The public project pages' reads: two round trips each after the competition (the page of
 * projects with its count, then the names it mentions), only the fields shown, lean. Nothing
 * here selects an organization's contact (select: false in the model) or anything of the team's
 * accounts but their display names (public on the proposal page already), the mentor's likewise;
 * budget changes are shown without who made them.
 */

export interface ProjectCard {
  number: number;
  title: string;
  status: ProjectStatus;
  approvedBudgetFen: number;
  organization: string;
  street: LocalizedText | null;
}

const idsOf = (values: (Types.ObjectId | null | undefined)[]) => [...new Set(values.filter((v): v is Types.ObjectId => Boolean(v)).map(String))];

export async function listProjects(competitionId: string, page: number) {
  const filter = { competition: competitionId };
  const [docs, total] = await Promise.all([
    Project.find(filter)
      .select('number title status approvedBudgetFen organization proposedOrganizationName street')
      .sort({ number: 1 })
      .skip((page - 1) * PROJECTS_PAGE_SIZE)
      .limit(PROJECTS_PAGE_SIZE)
      .lean(),
    Project.countDocuments(filter),
  ]);
  const organizationIds = idsOf(docs.map((d) => d.organization));
  const streetIds = idsOf(docs.map((d) => d.street));
  const [organizations, streets] = await Promise.all([
    organizationIds.length ? Organization.find({ _id: mongoose.trusted({ $in: organizationIds }) }).select('name').lean() : [],
    streetIds.length ? Street.find({ _id: mongoose.trusted({ $in: streetIds }) }).select('name').lean() : [],
  ]);
  const organizationName = new Map(organizations.map((o) => [String(o._id), o.name]));
  const streetName = new Map(streets.map((s) => [String(s._id), s.name]));
  const cards: ProjectCard[] = docs.map((d) => ({
    number: d.number,
    title: d.title,
    status: d.status,
    approvedBudgetFen: d.approvedBudgetFen,
    organization: (d.organization && organizationName.get(String(d.organization))) || d.proposedOrganizationName,
    street: (d.street && streetName.get(String(d.street))) || null,
  }));
  return { cards, total, pages: Math.max(1, Math.ceil(total / PROJECTS_PAGE_SIZE)) };
}

export async function getProjectView(competitionId: string, number: number) {
  const doc = await Project.findOne({ competition: competitionId, number })
    .select(
      'number proposalNumber title summary description category street community fundedFen approvedBudgetFen organization proposedOrganizationName team mentor plannedStart plannedEnd status progressPct ' +
        'budgetAdjustments.fromFen budgetAdjustments.toFen budgetAdjustments.reason budgetAdjustments.at',
    )
    .lean();
  if (!doc) return null;
  const people = [...doc.team, ...(doc.mentor ? [doc.mentor] : [])].map(String);
  const [organization, street, community, users] = await Promise.all([
    doc.organization ? Organization.findById(doc.organization).select('name type').lean() : null,
    doc.street ? Street.findById(doc.street).select('name').lean() : null,
    doc.community ? Community.findById(doc.community).select('name').lean() : null,
    people.length ? User.find({ _id: mongoose.trusted({ $in: people }) }).select('name').lean() : [],
  ]);
  const nameOf = new Map(users.map((u) => [String(u._id), u.name]));
  return {
    id: String(doc._id),
    number: doc.number,
    proposalNumber: doc.proposalNumber,
    title: doc.title,
    summary: doc.summary,
    description: doc.description,
    category: doc.category,
    status: doc.status,
    progressPct: doc.progressPct,
    fundedFen: doc.fundedFen,
    approvedBudgetFen: doc.approvedBudgetFen,
    street: street ? (street.name) : null,
    community: community ? (community.name) : null,
    organization: organization
      ? { named: true as const, id: String(organization._id), name: organization.name, type: organization.type }
      : { named: false as const, id: null, name: doc.proposedOrganizationName, type: null },
    teamSize: doc.team.length,
    teamNames: doc.team.flatMap((id) => nameOf.get(String(id)) ?? []),
    mentorName: doc.mentor ? (nameOf.get(String(doc.mentor)) ?? null) : null,
    plannedStart: doc.plannedStart ? doc.plannedStart.toISOString() : null,
    plannedEnd: doc.plannedEnd ? doc.plannedEnd.toISOString() : null,
    // Newest first; who decided stays in the record and the audit log.
    budgetAdjustments: doc.budgetAdjustments
      .map((a) => ({ fromFen: a.fromFen, toFen: a.toFen, reason: a.reason, at: a.at.toISOString() }))
      .reverse(),
  };
}

export type ProjectView = NonNullable<Awaited<ReturnType<typeof getProjectView>>>;
