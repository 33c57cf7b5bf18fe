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
  return phasePassed(phase, 'voting');
}

/** Where a phase stands in the order of PHASES. */
export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** Orders phase windows (or anything with a phase `key`) as PHASES does. */
export function byPhaseOrder(a: { key: Phase }, b: { key: Phase }): number {
  return phaseIndex(a.key) - phaseIndex(b.key);
}

/** The competition is in `phase` or a later one; an upcoming competition (null) has reached none. */
export function phaseReached(current: Phase | null, phase: Phase): boolean {
  return current !== null && phaseIndex(current) >= phaseIndex(phase);
}

/** The competition is in a phase after `phase`. */
export function phasePassed(current: Phase | null, phase: Phase): boolean {
  return current !== null && phaseIndex(current) > phaseIndex(phase);
}

/** The phase that comes after `current` (the first one for an upcoming competition); null after the last. */
export function nextPhase(current: Phase | null): Phase | null {
  return PHASES[current === null ? 0 : phaseIndex(current) + 1] ?? null;
}

/** The window of one phase, if the competition has it. */
export function phaseWindow(phases: readonly PhaseWindow[], phase: Phase): PhaseWindow | null {
  return phases.find((p) => p.key === phase) ?? null;
}

/**
 * A setting that `phase` freezes (the voting rules, the rubric) is frozen once that phase has
 * started, and at once when the competition has no such phase.
 */
export function frozenBy(phases: readonly PhaseWindow[], phase: Phase, now = new Date()): boolean {
  const startsAt = phaseWindow(phases, phase)?.startsAt;
  return !startsAt || now >= startsAt;
}
