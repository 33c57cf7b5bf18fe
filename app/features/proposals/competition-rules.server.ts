import { type Phase, type PhaseWindow } from '~/features/competitions/phases';
import { loadCompetition, type LoadedCompetition } from '~/features/competitions/context.server';


/** A competition as the proposal rules see it: limits, directions, streets, phases. */

// --- Competitions as rules see them ---------------------------------------------------------

export interface CompetitionRules {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
  minRequestFen: number;
  maxRequestFen: number;
  categories: string[];
  eligibleStreets: string[];
}

export async function getCompetitionRules(slug: string, now = new Date()): Promise<CompetitionRules | null> {
  const loaded = await loadCompetition(slug, now);
  return loaded ? competitionRules(loaded) : null;
}

/** The proposal rules of a loaded competition (see requireCompetition). */
export function competitionRules({ doc, base }: LoadedCompetition): CompetitionRules {
  return {
    ...base,
    minRequestFen: doc.minRequestFen,
    maxRequestFen: doc.maxRequestFen,
    categories: doc.categories.map((c) => c.code),
    eligibleStreets: doc.eligibleStreets.map(String),
  };
}

export function phaseEnd(rules: CompetitionRules, phase: Phase): Date | null {
  return rules.phases.find((p) => p.key === phase)?.endsAt ?? null;
}
