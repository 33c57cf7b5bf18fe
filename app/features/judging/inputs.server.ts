import { Types } from 'mongoose';
import { Competition, JudgingSheet, Proposal } from '#models';
import { automaticRecusal, isScore, namedOrganizations } from './rules';
import { membersOf } from '~/features/organizations/membership.server';
import { toRubric } from './context.server';

/** What the allocation code scores, read from the submitted sheets (issue 6). */

// --- For the results code ----------------------------------------------------------------------

/** One judge's submitted sheet for one proposal, as the scoring code needs it. */
export interface JudgingInputSheet {
  /** The judge's user id: stable across proposals, so scores can be normalised per judge. */
  judgeId: string;
  /** Criterion key → whole score 1–10; every criterion of the rubric is present. */
  scores: Record<string, number>;
  submittedAt: string;
}

export interface JudgingInputs {
  competitionId: string;
  rubric: {
    /** In the rubric's order; weights are percentages summing to 100. */
    criteria: { key: string; name: { zh: string; en?: string }; weight: number }[];
    /** Per-judge z-score normalisation on (the default) or off. */
    normalize: boolean;
  };
  /** Every eligible proposal, ordered by number, even those without any sheet (sheets: []). */
  proposals: {
    proposalId: string;
    number: number;
    category: string;
    totalFen: number;
    /** Submitted sheets of non-recused judges who are neither authors nor members of its organization, by judge id. */
    sheets: JudgingInputSheet[];
  }[];
}

/**
 * What the results code (app/features/results/allocation/) scores: the rubric, the normalisation flag and,
 * per eligible proposal, the submitted sheets that count. Drafts, recused sheets and sheets of a
 * judge who is an author (co-authors included) or a member of the proposal's registry
 * organization are left out, as is a sheet lacking a score for a
 * criterion (impossible while the rubric stays locked through judging). Plain data, no mongoose documents;
 * the order is deterministic (proposals by number, sheets by judge id). Null for an unknown id.
 */
export async function loadJudgingInputs(competitionId: string): Promise<JudgingInputs | null> {
  if (!Types.ObjectId.isValid(competitionId)) return null;
  const competition = await Competition.findById(competitionId).select('judging').lean();
  if (!competition) return null;
  const rubric = toRubric(competition.judging as Parameters<typeof toRubric>[0]);
  const keys = rubric.criteria.map((c) => c.key);
  const [proposals, sheets] = await Promise.all([
    Proposal.find({ competition: competition._id, status: 'eligible' }).select('number category totalFen authors organization.ref').sort({ number: 1 }).lean(),
    JudgingSheet.find({ competition: competition._id, status: 'submitted' }).select('judge proposal scores submittedAt').lean(),
  ]);
  const members = await membersOf(namedOrganizations(proposals));
  const byProposal = new Map<string, typeof sheets>();
  for (const sheet of sheets) {
    const list = byProposal.get(String(sheet.proposal)) ?? [];
    list.push(sheet);
    byProposal.set(String(sheet.proposal), list);
  }
  return {
    competitionId: String(competition._id),
    rubric: {
      criteria: rubric.criteria.map((c) => ({ key: c.key, name: { zh: c.name.zh, ...(c.name.en ? { en: c.name.en } : {}) }, weight: c.weight })),
      normalize: rubric.normalize,
    },
    proposals: proposals.map((p) => {
      const counted = (byProposal.get(String(p._id)) ?? [])
        .filter((s) => !automaticRecusal(p, String(s.judge), members))
        .map((s) => ({ judgeId: String(s.judge), scores: Object.fromEntries(s.scores.map((x) => [x.criterion, x.score])), submittedAt: s.submittedAt }))
        .filter((s) => keys.every((k) => isScore(s.scores[k])))
        .map((s) => ({
          judgeId: s.judgeId,
          scores: Object.fromEntries(keys.map((k) => [k, s.scores[k] as number])),
          submittedAt: s.submittedAt ? s.submittedAt.toISOString() : '',
        }))
        .sort((a, b) => a.judgeId.localeCompare(b.judgeId));
      return { proposalId: String(p._id), number: p.number, category: p.category, totalFen: p.totalFen, sheets: counted };
    }),
  };
}
