import type { LocalizedText } from '~/core/locales';
import { PHASES, type Phase } from './phases';

/**
 * What an admin may correct once it is frozen (issue 11, finding 4): the start or the end of a
 * phase that has begun, the budget, the eligible streets. Pure, so the manage page, the public
 * list of corrections and the service agree on the names.
 */
export type CorrectionSetting = `start:${Phase}` | `end:${Phase}` | 'budget' | 'streets';

/** Every setting name; the last phase has no end to correct (it runs on after the competition). */
export const CORRECTION_SETTINGS: readonly CorrectionSetting[] = [
  ...PHASES.flatMap((phase) => [`start:${phase}` as const, ...(phase === 'closed' ? [] : [`end:${phase}` as const])]),
  'budget',
  'streets',
];

export type ParsedSetting = { kind: 'start' | 'end'; phase: Phase } | { kind: 'budget' } | { kind: 'streets' };

export function parseSetting(setting: CorrectionSetting): ParsedSetting {
  if (setting === 'budget' || setting === 'streets') return { kind: setting };
  const [kind, phase] = setting.split(':') as ['start' | 'end', Phase];
  return { kind, phase };
}

export function isCorrectionSetting(value: unknown): value is CorrectionSetting {
  return typeof value === 'string' && (CORRECTION_SETTINGS as readonly string[]).includes(value);
}

/** A correction as residents see it: public, like the budget it corrects. Dates are ISO instants. */
export type CorrectionView = { at: string; setting: CorrectionSetting; reason: string } & (
  | { kind: 'start' | 'end'; phase: Phase; before: string; after: string }
  | { kind: 'budget'; before: number; after: number }
  | { kind: 'streets'; before: LocalizedText[]; after: LocalizedText[] }
);

/** A correction as stored on the competition (models/competition.ts). */
export interface StoredCorrection {
  at: Date;
  setting: string;
  before?: unknown;
  after?: unknown;
  reason: string;
}

function streetsOf(value: unknown): LocalizedText[] {
  return Array.isArray(value) ? value.map((s: { name?: LocalizedText }) => s.name ?? { zh: '' }) : [];
}

/** The stored corrections, newest first, as the public pages show them. */
export function correctionViews(stored: readonly StoredCorrection[] | null | undefined): CorrectionView[] {
  return [...(stored ?? [])]
    .filter((c) => isCorrectionSetting(c.setting))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map((c): CorrectionView => {
      const setting = c.setting as CorrectionSetting;
      const common = { at: c.at.toISOString(), setting, reason: c.reason };
      const parsed = parseSetting(setting);
      if (parsed.kind === 'budget') return { ...common, kind: 'budget', before: Number(c.before), after: Number(c.after) };
      if (parsed.kind === 'streets') return { ...common, kind: 'streets', before: streetsOf(c.before), after: streetsOf(c.after) };
      return { ...common, kind: parsed.kind, phase: parsed.phase, before: String(c.before), after: String(c.after) };
    });
}
