import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, ResolvedRefs } from '~/core/audit';
import type { Language } from '~/core/locales';
import { describeEntry, KNOWN_ACTIONS, type DescribedEntry, type Part } from '~/routes/admin.audit/describe';

const NAMESPACES = ['admin', 'common', 'proposals', 'judging', 'voting', 'results'];
const load = (language: string, ns: string) => JSON.parse(readFileSync(path.resolve(`public/locales/${language}/${ns}.json`), 'utf8')) as Record<string, unknown>;
const ts: Partial<Record<Language, TFunction>> = {};

beforeAll(async () => {
  for (const language of ['zh', 'en'] as const) {
    const i18n = createInstance();
    await i18n.init({
      lng: language,
      fallbackLng: 'zh',
      ns: NAMESPACES,
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      resources: { [language]: Object.fromEntries(NAMESPACES.map((ns) => [ns, load(language, ns)])) },
    });
    ts[language] = i18n.t.bind(i18n);
  }
});

const ADMIN = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const RESIDENT = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const PROPOSAL = 'cccccccccccccccccccccccc';
const COMPETITION = 'dddddddddddddddddddddddd';
const OTHER = 'eeeeeeeeeeeeeeeeeeeeeeee';
const refs: ResolvedRefs = {
  [ADMIN]: { kind: 'user', name: { zh: '王芳' }, href: `/admin/users/${ADMIN}`, detail: 'a***@demo.cn' },
  [RESIDENT]: { kind: 'user', name: { zh: '李建国' }, href: `/admin/users/${RESIDENT}`, detail: '139****0001' },
  [PROPOSAL]: { kind: 'proposal', name: { zh: '社区食堂助餐' }, href: '/competitions/2026-laoshanxing/proposals/7', competition: COMPETITION },
  [COMPETITION]: { kind: 'competition', name: { zh: '2026 崂善行大赛', en: '2026 Laoshanxing competition' }, href: '/competitions/2026-laoshanxing' },
};

function entry(fields: Partial<AuditRecord> & Pick<AuditRecord, 'action' | 'targetType'>): AuditRecord {
  return { id: 'ffffffffffffffffffffffff', at: '2026-03-01T02:00:00.000Z', actor: ADMIN, targetId: null, before: null, after: null, reason: null, ...fields };
}

const describeIn = (language: Language, e: AuditRecord) => describeEntry(e, refs, ts[language]!, language);
const text = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
const links = (parts: Part[]) => parts.filter((p): p is Exclude<Part, string> => typeof p !== 'string').map((p) => [p.text, p.href]);
const everything = (d: DescribedEntry) => [text(d.sentence), d.reason ?? '', ...d.changes.flatMap((c) => [c.field, c.before ?? '', c.after ?? ''])].join('\n');

describe('the audit log as sentences', () => {
  it('a screening decision names the actor and the proposal, with links, in both languages', () => {
    const screened = entry({ action: 'proposal.screened', targetType: 'Proposal', targetId: PROPOSAL, before: { status: 'submitted', reason: null }, after: { status: 'eligible', reason: null, changesDueAt: null } });
    const zh = describeIn('zh', screened);
    expect(text(zh.sentence)).toBe('王芳 将提案《社区食堂助餐》标记为通过审查');
    expect(links(zh.sentence)).toEqual([
      ['王芳', `/admin/users/${ADMIN}`],
      ['社区食堂助餐', '/competitions/2026-laoshanxing/proposals/7'],
    ]);
    expect(zh.changes).toEqual([{ field: '状态', before: '已提交', after: '通过审查' }]);
    const en = describeIn('en', screened);
    expect(text(en.sentence)).toBe('王芳 marked proposal “社区食堂助餐” eligible');
    expect(en.changes).toEqual([{ field: 'Status', before: 'Submitted', after: 'Eligible' }]);
  });

  it('sending back for changes shows the due date in Asia/Shanghai', () => {
    const e = entry({ action: 'proposal.screened', targetType: 'Proposal', targetId: PROPOSAL, before: { status: 'submitted', reason: null }, after: { status: 'changesRequested', reason: '请补充预算明细', changesDueAt: '2026-03-10T15:59:59.999Z' } });
    const zh = describeIn('zh', e);
    expect(text(zh.sentence)).toBe('王芳 将提案《社区食堂助餐》退回修改');
    // 15:59 UTC is 23:59 in Shanghai, the same day.
    expect(zh.changes).toContainEqual({ field: '修改截止', before: null, after: '2026年3月10日 23:59' });
    expect(zh.changes).toContainEqual({ field: '理由', before: '—', after: '请补充预算明细' });
    expect(describeIn('en', e).changes).toContainEqual({ field: 'Changes due', before: null, after: 'Mar 10, 2026, 11:59 PM' });
  });

  it('a competition edit shows money in yuan and translated field labels and statuses', () => {
    const e = entry({
      action: 'competition.updated',
      targetType: 'Competition',
      targetId: COMPETITION,
      before: { budgetFen: 200_000_000, maxRequestFen: 5_000_000, phases: [{ key: 'voting', startsAt: '2026-05-31T16:00:00.000Z', endsAt: '2026-06-14T16:00:00.000Z' }] },
      after: { budgetFen: 225_000_050, maxRequestFen: 6_000_000, phases: [{ key: 'voting', startsAt: '2026-06-07T16:00:00.000Z', endsAt: '2026-06-14T16:00:00.000Z' }] },
    });
    const zh = describeIn('zh', e);
    expect(text(zh.sentence)).toBe('王芳 修改了大赛《2026 崂善行大赛》的设置');
    expect(zh.changes).toEqual([
      { field: '总预算', before: '¥2,000,000', after: '¥2,250,000.50' },
      { field: '单个提案最高申请额', before: '¥50,000', after: '¥60,000' },
      { field: '赛程', before: '居民投票 2026年6月1日–2026年6月15日', after: '居民投票 2026年6月8日–2026年6月15日' },
    ]);
    const en = describeIn('en', e);
    expect(text(en.sentence)).toBe('王芳 changed the settings of competition “2026 Laoshanxing competition”');
    expect(en.changes[0]).toEqual({ field: 'Budget', before: '¥2,000,000', after: '¥2,250,000.50' });
    expect(en.changes[2]).toEqual({ field: 'Timeline', before: 'Voting Jun 1, 2026–Jun 15, 2026', after: 'Voting Jun 8, 2026–Jun 15, 2026' });
  });

  it('a role grant names the role and its scope; a residency check hides the document number and masks phones', () => {
    const granted = entry({ action: 'role.granted', targetType: 'User', targetId: RESIDENT, after: { role: 'committee', scopeType: 'competition', scopeId: COMPETITION } });
    expect(text(describeIn('zh', granted).sentence)).toBe('王芳 授予 李建国 “评审委员会”角色（大赛 2026 崂善行大赛）');
    expect(text(describeIn('en', granted).sentence)).toBe('王芳 granted 李建国 the role “Committee” (Competition 2026 Laoshanxing competition)');
    expect(describeIn('zh', granted).changes).toEqual([]);
    expect(links(describeIn('zh', granted).sentence)[1]).toEqual(['李建国', `/admin/users/${RESIDENT}`]);

    const verified = entry({
      action: 'resident.verified',
      targetType: 'User',
      targetId: RESIDENT,
      after: { scope: `competition:${COMPETITION}`, method: 'idCard', evidence: '370212199001011234', validFrom: '2026-03-01T02:00:00.000Z', revoked: false, passwordHash: 'x' },
      reason: '本人来电 13900000001 确认',
    });
    const zh = describeIn('zh', verified);
    expect(text(zh.sentence)).toBe('王芳 核实了 李建国 的居住地');
    expect(zh.reason).toBe('本人来电 139****0001 确认');
    expect(zh.changes).toEqual([
      { field: '核实范围', before: null, after: '大赛 2026 崂善行大赛' },
      { field: '方式', before: null, after: '查看身份证' },
      { field: '证件号', before: null, after: '已记录（不显示）' },
      { field: '有效期自', before: null, after: '2026年3月1日' },
      { field: '已撤销', before: null, after: '否' },
    ]);
    expect(everything(zh)).not.toContain('370212199001011234');
    expect(everything(describeIn('en', verified))).toContain('recorded (not shown)');
  });

  it('results name the method, the funded proposals and the total in yuan', () => {
    const e = entry({ action: 'results.published', targetType: 'Competition', targetId: COMPETITION, after: { method: 'greedy', inputsHash: 'abc123', funded: [3, 1], spent: 10_570_000 } });
    const en = describeIn('en', e);
    expect(text(en.sentence)).toBe('王芳 published the results of competition “2026 Laoshanxing competition”');
    expect(en.changes.map((c) => c.field)).toEqual(['Method', 'Funded proposals', 'Total funded']);
    expect(en.changes[1]!.after).toBe('#3, #1');
    expect(en.changes[2]!.after).toBe('¥105,700');
    expect(everything(en)).not.toContain('abc123');
  });

  it('an unknown action, an unknown target and unknown fields read as words, never JSON or ids', () => {
    const e = entry({ action: 'something.new', targetType: 'Gadget', targetId: OTHER, before: { maxChoices: 3 }, after: { maxChoices: 5, nested: { depth: 2, owner: OTHER }, ratio: 0.5 } });
    for (const language of ['zh', 'en'] as const) {
      const d = describeIn(language, e);
      const all = everything(d);
      expect(all).not.toMatch(/[{}"]/);
      expect(all).not.toMatch(/[0-9a-f]{24}/);
      expect(all).toContain('something.new');
    }
    const en = describeIn('en', e);
    expect(text(en.sentence)).toBe('王芳 performed “something.new” on a Gadget record');
    expect(en.changes).toEqual([
      { field: 'Most choices', before: '3', after: '5' },
      { field: 'nested', before: null, after: 'depth: 2; owner: an internal record' },
      { field: 'ratio', before: null, after: '0.5' },
    ]);
    expect(text(describeIn('zh', e).sentence)).toBe('王芳 对一个Gadget对象执行了操作（something.new）');
  });

  it('an object deleted since, and an entry without an actor, still read as a sentence', () => {
    const e = entry({ action: 'proposal.merged', targetType: 'Proposal', targetId: PROPOSAL, actor: null, before: { status: 'submitted' }, after: { status: 'merged', mergedInto: OTHER, coAuthorsAdded: [RESIDENT] } });
    const zh = describeIn('zh', e);
    expect(text(zh.sentence)).toBe('系统 将提案《社区食堂助餐》合并到提案《（已删除的提案）》');
    expect(zh.changes).toContainEqual({ field: '新增共同提案人', before: null, after: '李建国' });
    expect(zh.changes).toContainEqual({ field: '状态', before: '已提交', after: '已合并' });
  });
});

describe('every action the app writes has a sentence', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) ? [full] : [];
    });
  }
  const written = new Set<string>();
  for (const file of files(path.resolve('app'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/action:\s*(?:[^,}]*\?\s*)?'([a-zA-Z]+\.[a-zA-Z]+)'(?:\s*:\s*'([a-zA-Z]+\.[a-zA-Z]+)')?/g)) {
      written.add(match[1]!);
      if (match[2]) written.add(match[2]);
    }
  }

  it('finds the actions in the code and knows each one', () => {
    expect(written.size).toBeGreaterThan(25);
    expect([...written].filter((a) => !(KNOWN_ACTIONS as readonly string[]).includes(a)).sort()).toEqual([]);
  });

  it.each(KNOWN_ACTIONS)('%s has a sentence and a name in zh and en', (action) => {
    for (const language of ['zh', 'en'] as const) {
      const t = ts[language]!;
      expect(t(`admin:audit.actions.${action}`, { defaultValue: '' }), language).toMatch(/\{\{actor\}\}|[^\s]/);
      expect(t(`admin:audit.actions.${action}`, { defaultValue: '' }), language).not.toBe('');
      expect(t(`admin:audit.actionNames.${action}`, { defaultValue: '' }), language).not.toBe('');
    }
  });
});
