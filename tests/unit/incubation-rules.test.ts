import { describe, expect, it } from 'vitest';
import { checklistProgress, checklistYear, mayEditChecklists, mayMoveStage, mayOpenIncubation, mayRecordSession, nextStages, stageBeforeDormancy, stageMoveRefusal } from '~/features/organizations/rules';
import type { IncubationStage } from '~/features/organizations/organizations';

/** The incubation rules of decision 025: where a stage may move, what a move needs, who may do what. */
const h = (...stages: IncubationStage[]) => stages.map((stage) => ({ stage }));
const complete = checklistProgress([{ key: 'a' }], ['a']);
const open = checklistProgress([{ key: 'a' }, { key: 'b' }], ['b', 'gone']);

describe('stage moves', () => {
  it('go forward along the path or sideways into dormancy, never backward', () => {
    expect(nextStages('idea', [])).toEqual(['incubating', 'dormant']);
    expect(nextStages('incubating', h('idea', 'incubating'))).toEqual(['filed', 'registered', 'dormant']);
    expect(nextStages('filed', [])).toEqual(['registered', 'independent', 'dormant']);
    expect(nextStages('registered', [])).toEqual(['independent', 'dormant']);
    expect(nextStages('independent', [])).toEqual(['dormant']);
  });

  it('a dormant organization resumes the stage it left, and only that one', () => {
    expect(stageBeforeDormancy(h('idea', 'incubating', 'filed', 'dormant'))).toBe('filed');
    expect(nextStages('dormant', h('idea', 'registered', 'dormant'))).toEqual(['registered']);
    expect(nextStages('dormant', [])).toEqual(['idea']);
  });

  it('need the target stage’s list complete, or an override with a reason', () => {
    const base = { from: 'incubating' as const, to: 'filed' as const, history: h('incubating'), override: false, reason: '' };
    expect(stageMoveRefusal({ ...base, progress: complete })).toBeNull();
    expect(stageMoveRefusal({ ...base, progress: open })).toBe('incomplete');
    expect(stageMoveRefusal({ ...base, progress: open, override: true, reason: ' \n ' })).toBe('reasonRequired');
    expect(stageMoveRefusal({ ...base, progress: open, override: true, reason: '证书已受理' })).toBeNull();
    expect(stageMoveRefusal({ ...base, to: 'idea', progress: null })).toBe('notAllowed');
    expect(stageMoveRefusal({ ...base, to: 'incubating', progress: complete })).toBe('sameStage');
    expect(stageMoveRefusal({ ...base, to: 'dormant', progress: null })).toBeNull();
    expect(stageMoveRefusal({ ...base, from: 'idea', to: 'registered', progress: complete })).toBe('notAllowed');
  });

  it('count only the confirmations of items still listed', () => {
    expect(open).toEqual({ done: 1, total: 2, missing: ['a'], complete: false });
    expect(checklistProgress([], ['x']).complete).toBe(true);
  });

  it('use the calendar year in China', () => {
    expect(checklistYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027);
    expect(checklistYear(new Date('2026-12-31T15:30:00Z'))).toBe(2026);
  });
});

describe('who may do what in incubation', () => {
  const org = { id: 'o1', createdBy: 'c1' };
  const mentor = { id: 'm', roles: [{ role: 'mentor' as const, scopeType: 'organization' as const, scopeId: 'o1' }] };
  const platformMentor = { id: 'p', roles: [{ role: 'mentor' as const, scopeType: 'platform' as const, scopeId: null }] };
  const otherMentor = { id: 'm2', roles: [{ role: 'mentor' as const, scopeType: 'organization' as const, scopeId: 'o2' }] };
  const registrar = { id: 'c1', roles: [{ role: 'committee' as const, scopeType: 'competition' as const, scopeId: 'A' }] };
  const otherCommittee = { id: 'c2', roles: [{ role: 'committee' as const, scopeType: 'competition' as const, scopeId: 'B' }] };
  const admin = { id: 'a', roles: [{ role: 'admin' as const, scopeType: 'platform' as const, scopeId: null }] };

  it('the organization’s mentor opens it and records sessions, but does not move the stage', () => {
    expect(mayOpenIncubation(mentor, org, [])).toBe(true);
    expect(mayRecordSession(mentor, org)).toBe(true);
    expect(mayMoveStage(mentor, org, [])).toBe(false);
  });

  it('a mentor of another organization, or one with no organization, sees nothing of it', () => {
    for (const actor of [otherMentor, platformMentor]) {
      expect(mayOpenIncubation(actor, org, [])).toBe(false);
      expect(mayRecordSession(actor, org)).toBe(false);
    }
  });

  it('its managers move the stage; another committee only when the organization implements one of its projects', () => {
    expect(mayMoveStage(registrar, org, [])).toBe(true);
    expect(mayRecordSession(registrar, org)).toBe(false);
    expect(mayOpenIncubation(otherCommittee, org, [])).toBe(false);
    expect(mayMoveStage(otherCommittee, org, ['B'])).toBe(true);
    expect(mayMoveStage(admin, org, [])).toBe(true);
  });

  it('any committee member or admin edits the checklists; a mentor does not', () => {
    expect(mayEditChecklists(otherCommittee)).toBe(true);
    expect(mayEditChecklists(admin)).toBe(true);
    expect(mayEditChecklists(mentor)).toBe(false);
  });
});
