import type { Rubric } from './rules';
import { saveFrozenSetting } from '~/features/competitions/competitions.server';
import { toRubric } from './context.server';

/** The committee's rubric, saved only until judging opens (issue 6). */

// --- Rubric (committee) ------------------------------------------------------------------------

export type RubricResult = { ok: true } | { ok: false; reason: 'notFound' | 'judgingStarted' | 'changedMeanwhile' };

/**
 * Saves the rubric while judging has not opened. Conditional on the competition's updatedAt, so
 * a phase moved at the same moment makes the save fail instead of slipping in. Audited.
 */
export async function updateRubric(input: { slug: string; rubric: Rubric; actorId: string; ip?: string; now?: Date }): Promise<RubricResult> {
  const saved = await saveFrozenSetting({
    slug: input.slug,
    field: 'judging',
    frozenFrom: 'judging',
    value: input.rubric,
    describe: (stored) => toRubric(stored as Parameters<typeof toRubric>[0]),
    action: 'judging.rubricChanged',
    actorId: input.actorId,
    ip: input.ip,
    now: input.now,
  });
  if (saved.ok) return saved;
  return { ok: false, reason: saved.reason === 'phaseStarted' ? 'judgingStarted' : saved.reason };
}
