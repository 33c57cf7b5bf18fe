import mongoose, { Types } from 'mongoose';
import { MilestoneReport, Project, ProjectRating } from '#models';
import { figuresFor, type DashboardFigures, type RawFigures } from './figures';
import { loadRawFigures } from './figures.server';

/**
 * What the annual report of a year shows (docs/decisions/026-district-dashboard.md): the
 * dashboard's figures for the year, and its competitions' funded projects with status, approved
 * budget, spent, people served and their residents' rating. Three more round trips, whatever the
 * number of projects: the projects, their approved reports' sums, their ratings' sums.
 */
export interface ReportProject {
  competition: string;
  number: number;
  title: string;
  category: string;
  street: string | null;
  status: string;
  organization: string | null;
  approvedFen: number;
  spentFen: number;
  peopleServed: number;
  ratingAverage: number | null;
  ratings: number;
}

export interface AnnualReport {
  year: number;
  raw: RawFigures;
  figures: DashboardFigures;
  projects: ReportProject[];
}

/** The year's report, or null when no competition was held that year. */
export async function annualReport(year: number): Promise<AnnualReport | null> {
  const raw = await loadRawFigures();
  const competitions = raw.competitions.filter((c) => c.year === year);
  if (!competitions.length) return null;
  const ids = competitions.map((c) => c.id);
  const objectIds = ids.map((id) => new Types.ObjectId(id));
  const [projects, reports, ratings] = await Promise.all([
    Project.find({ competition: mongoose.trusted({ $in: ids }) })
      .select('competition number title category street status organization approvedBudgetFen')
      .sort({ competition: 1, number: 1 })
      .lean(),
    MilestoneReport.aggregate<{ spent: { _id: Types.ObjectId; fen: number }[]; served: { _id: Types.ObjectId; count: number }[] }>([
      { $match: { competition: { $in: objectIds }, status: 'approved' } },
      { $project: { project: 1, served: 1, expenses: 1 } },
      {
        $facet: {
          spent: [{ $unwind: '$expenses' }, { $match: { 'expenses.held': false } }, { $group: { _id: '$project', fen: { $sum: '$expenses.amountFen' } } }],
          served: [{ $unwind: '$served' }, { $group: { _id: '$project', count: { $sum: '$served.count' } } }],
        },
      },
    ]),
    ProjectRating.aggregate<{ _id: Types.ObjectId; stars: number; count: number }>([
      { $match: { competition: { $in: objectIds } } },
      { $group: { _id: '$project', stars: { $sum: '$stars' }, count: { $sum: 1 } } },
    ]),
  ]);
  const [facets] = reports;
  const spent = new Map((facets?.spent ?? []).map((s) => [String(s._id), s.fen]));
  const served = new Map((facets?.served ?? []).map((s) => [String(s._id), s.count]));
  const rated = new Map(ratings.map((r) => [String(r._id), r]));
  const names = new Map(raw.organizations.map((o) => [o.id, o.name]));
  return {
    year,
    raw,
    figures: figuresFor(raw, year),
    projects: projects.map((p) => {
      const rating = rated.get(String(p._id));
      // The dashboard's rule: only completed projects' ratings count.
      const counted = p.status === 'completed' && rating ? rating : null;
      return {
        competition: String(p.competition),
        number: p.number,
        title: p.title,
        category: p.category ?? '',
        street: p.street ? String(p.street) : null,
        status: p.status,
        organization: p.organization ? (names.get(String(p.organization)) ?? null) : null,
        approvedFen: p.approvedBudgetFen,
        spentFen: spent.get(String(p._id)) ?? 0,
        peopleServed: served.get(String(p._id)) ?? 0,
        ratingAverage: counted ? counted.stars / counted.count : null,
        ratings: counted?.count ?? 0,
      };
    }),
  };
}
