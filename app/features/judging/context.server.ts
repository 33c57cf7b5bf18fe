import { DEFAULT_RUBRIC, type Rubric } from './rules';
import { currentPhase, frozenBy, type Phase, phasePassed, type PhaseWindow, phaseWindow } from '~/features/competitions/phases';
import { loadCompetition, type LoadedCompetition } from '~/features/competitions/context.server';

/**
 * Judging (issue 6): the committee's rubric, judges assigned to eligible proposals, conflicts of
 * interest, score sheets and progress. One JudgingSheet document per (competition, judge,
 * proposal) is both the assignment and the sheet; a unique index keeps it single. Every state
 * change is one conditional update whose match count decides (docs/decisions/001), so a
 * submitted sheet cannot be changed by parallel or repeated requests. The allocation maths
 * lives in app/features/results/allocation/ and reads `loadJudgingInputs`.
 */

// --- Context -----------------------------------------------------------------------------------

export interface JudgingContext {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
  categories: string[];
  rubric: Rubric;
  judgingStart: Date | null;
}

interface StoredText {
  zh: string;
  en?: string | null;
}
interface StoredCriterion {
  key: string;
  name: StoredText;
  weight: number;
  anchors: { low: StoredText; mid: StoredText; high: StoredText };
}

const plainText = (t: StoredText) => ({ zh: t.zh, en: t.en ?? undefined });

export function toRubric(stored: { criteria?: StoredCriterion[] | null; normalize?: boolean | null } | null | undefined): Rubric {
  const criteria = stored?.criteria?.length ? stored.criteria : DEFAULT_RUBRIC.criteria;
  return {
    criteria: criteria.map((c) => ({
      key: c.key,
      name: plainText(c.name),
      weight: c.weight,
      anchors: { low: plainText(c.anchors.low), mid: plainText(c.anchors.mid), high: plainText(c.anchors.high) },
    })),
    normalize: stored?.normalize ?? DEFAULT_RUBRIC.normalize,
  };
}

export async function getJudgingContext(slug: string, now = new Date()): Promise<JudgingContext | null> {
  const loaded = await loadCompetition(slug, now);
  return loaded ? judgingContext(loaded) : null;
}

/** The judging view of a loaded competition (see requireCompetition). */
export function judgingContext({ doc, base }: LoadedCompetition): JudgingContext {
  return {
    ...base,
    categories: doc.categories.map((c) => c.code),
    rubric: toRubric(doc.judging),
    judgingStart: phaseWindow(base.phases, 'judging')?.startsAt ?? null,
  };
}

/** The rubric is fixed from the moment judging opens (or when the competition has no judging phase). */
export function rubricLocked(ctx: Pick<JudgingContext, 'phases'>, now = new Date()): boolean {
  return frozenBy(ctx.phases, 'judging', now);
}

/** Score sheets are written only inside the judging window. */
export function sheetsOpen(ctx: Pick<JudgingContext, 'phases'>, now = new Date()): boolean {
  return currentPhase(ctx.phases, now) === 'judging';
}

export function judgingOver(phase: Phase | null): boolean {
  return phasePassed(phase, 'judging');
}
