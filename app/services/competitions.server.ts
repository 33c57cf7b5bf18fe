import { Competition } from '#models';
import { currentPhase, type Phase, type PhaseWindow } from '~/utils/phases';

export interface CompetitionSummary {
  id: string;
  slug: string;
  year: number;
  title: { zh: string; en?: string | null };
  summary: { zh: string; en?: string | null };
  budgetFen: number;
  phase: Phase | null;
  phases: { key: Phase; startsAt: string; endsAt: string }[];
  categories: { code: string; name: { zh: string; en?: string | null } }[];
}

function toSummary(doc: {
  _id: unknown;
  slug: string;
  year: number;
  title: { zh: string; en?: string | null };
  summary: { zh: string; en?: string | null };
  budgetFen: number;
  phases: { key: string; startsAt: Date; endsAt: Date }[];
  categories: { code: string; name: { zh: string; en?: string | null } }[];
}, now: Date): CompetitionSummary {
  const phases = doc.phases as PhaseWindow[];
  return {
    id: String(doc._id),
    slug: doc.slug,
    year: doc.year,
    title: doc.title,
    summary: doc.summary,
    budgetFen: doc.budgetFen,
    phase: currentPhase(phases, now),
    phases: phases.map((p) => ({ key: p.key, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
    categories: doc.categories.map((c) => ({ code: c.code, name: c.name })),
  };
}

const FIELDS = 'slug year title summary budgetFen phases categories';

export async function listCompetitions(now = new Date()): Promise<CompetitionSummary[]> {
  const docs = await Competition.find().select(FIELDS).sort({ year: -1 }).lean();
  return docs.map((doc) => toSummary(doc, now));
}

export async function getCompetition(slug: string, now = new Date()): Promise<CompetitionSummary | null> {
  const doc = await Competition.findOne({ slug }).select(FIELDS).lean();
  return doc ? toSummary(doc, now) : null;
}
