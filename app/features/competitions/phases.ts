/** The phases of a competition, in order. */
export const PHASES = [
  'submission',
  'screening',
  'voting',
  'judging',
  'results',
  'implementation',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseWindow {
  key: Phase;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The phase a competition is in at `now`, from its dates: the window containing `now`,
 * else 'closed' after the last window, else null before the first one ("upcoming").
 */
export function currentPhase(phases: readonly PhaseWindow[], now: Date): Phase | null {
  const sorted = [...phases].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const inside = sorted.find((p) => p.startsAt <= now && now < p.endsAt);
  if (inside) return inside.key;
  const last = sorted.at(-1);
  if (last && now >= last.endsAt) return 'closed';
  return null;
}

/** Ballots are accepted only inside the voting window. */
export function votingOpen(phases: readonly PhaseWindow[], now: Date): boolean {
  return currentPhase(phases, now) === 'voting';
}

/** Voting is over: the phase is one of those after it. */
export function votingFinished(phase: Phase | null): boolean {
  return phase !== null && PHASES.indexOf(phase) > PHASES.indexOf('voting');
}
