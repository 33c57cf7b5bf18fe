import { describe, expect, it } from 'vitest';
import { hasPermission } from '~/core/permissions.server';
import { correctionSchema } from '~/features/competitions/correction.schema';
import { correctionViews, CORRECTION_SETTINGS } from '~/features/competitions/corrections';

const competitionId = '64b000000000000000000001';

describe('correcting a frozen competition setting', () => {
  it('is for admins only: not the committee of that competition, not any other role', () => {
    expect(hasPermission([{ role: 'admin', scopeType: 'platform', scopeId: null }], 'competition:correct', { competitionId })).toBe(true);
    for (const role of ['committee', 'judge', 'gridWorker', 'resident'] as const) {
      const grant = { role, scopeType: role === 'committee' || role === 'judge' ? ('competition' as const) : ('platform' as const), scopeId: competitionId };
      expect(hasPermission([grant], 'competition:correct', { competitionId }), role).toBe(false);
    }
    // The same committee member may manage the competition.
    expect(hasPermission([{ role: 'committee', scopeType: 'competition', scopeId: competitionId }], 'competition:manage', { competitionId })).toBe(true);
  });

  it('names every phase start, every phase end but the last, the budget and the streets', () => {
    expect(CORRECTION_SETTINGS).toHaveLength(7 + 6 + 2);
    expect(CORRECTION_SETTINGS).not.toContain('end:closed');
  });

  it('needs a reason of 10 characters and the ticked box; the value by the setting', () => {
    const base = { intent: 'correct', reason: '日期录入错误，按纪要更正', understood: 'on' };
    expect(correctionSchema.safeParse({ ...base, setting: 'end:voting', day: '2026-12-20' }).data).toEqual({
      setting: 'end:voting',
      reason: base.reason,
      kind: 'end',
      phase: 'voting',
      day: '2026-12-20',
    });
    expect(correctionSchema.safeParse({ ...base, setting: 'budget', budget: '1,900,000' }).data).toMatchObject({ kind: 'budget', budgetFen: 190_000_000 });
    const issues = (input: Record<string, unknown>) => correctionSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(issues({ ...base, setting: 'end:voting' })).toEqual(['day:required']);
    expect(issues({ ...base, setting: 'budget', budget: '-5' })).toEqual(['budget:moneyInvalid']);
    expect(issues({ ...base, setting: 'end:voting', day: '2026-12-20', reason: '填错了' })).toEqual(['reason:correctionReasonRequired']);
    expect(issues({ ...base, setting: 'end:voting', day: '2026-12-20', understood: undefined })).toEqual(['understood:correctionConfirmRequired']);
    expect(issues({ ...base, setting: 'end:closed', day: '2026-12-20' })).toEqual(['setting:invalidChoice']);
  });

  it('lists stored corrections newest first, as residents read them', () => {
    const views = correctionViews([
      { at: new Date('2026-12-01T00:00:00Z'), setting: 'budget', before: 200_000_000, after: 190_000_000, reason: '预算录入错误' },
      { at: new Date('2026-12-02T00:00:00Z'), setting: 'streets', before: [{ id: 'a', name: { zh: '中韩街道' } }], after: [], reason: '街道选择错误' },
      { at: new Date('2026-12-03T00:00:00Z'), setting: 'nonsense', before: 1, after: 2, reason: 'x' },
    ]);
    expect(views).toEqual([
      { at: '2026-12-02T00:00:00.000Z', setting: 'streets', kind: 'streets', before: [{ zh: '中韩街道' }], after: [], reason: '街道选择错误' },
      { at: '2026-12-01T00:00:00.000Z', setting: 'budget', kind: 'budget', before: 200_000_000, after: 190_000_000, reason: '预算录入错误' },
    ]);
  });
});
