import mongoose, { Types } from 'mongoose';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, ChecklistTemplate, JudgingSheet, MentorSession, Organization, Proposal } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertJudgingSheet, insertProposal, phaseWindows } from '#seeds/factories';
import { assignJudges, judgingProgress } from '~/features/judging/assignment.server';
import { getJudgingContext } from '~/features/judging/context.server';
import { loadJudgingInputs } from '~/features/judging/inputs.server';
import { myAssignments, openSheet } from '~/features/judging/sheets.server';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { storeDefaultChecklists } from '~/features/organizations/checklists.server';
import { checklistYear } from '~/features/organizations/rules';
import { action as checklistsAction, loader as checklistsLoader } from '~/routes/organizations.checklists/route';
import { action as incubationAction, loader as incubationLoader } from '~/routes/organizations.$id_.incubation/route';
import { action as profileAction, loader as profileLoader } from '~/routes/organizations.$id/route';
import { loader as listLoader } from '~/routes/organizations._index/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as uploadLoader } from '~/routes/uploads.$fileId/route';
import { getCompetitionRules } from '~/features/proposals/competition-rules.server';
import { createProposal } from '~/features/proposals/drafts.server';
import { jpegWithGps } from '../support/images';
import { completeForm } from '../support/proposals';
import { call, CookieJar, formRequest, getRequest, multipartRequest, type Outcome } from '../support/http';

/**
 * Incubation of community organizations (issue 15 A, decision 025), through the routes' loaders
 * and actions against the database: who may open and act on an organization's incubation, the
 * checklist with evidence (a private image stripped of its metadata), mentor sessions, stage
 * moves (refused without a complete list unless overridden with a reason; one of parallel moves
 * wins), what never reaches a public page or another organization's people, members' opt-in
 * names, the directory's stage filter, and judges recused as members of a proposal's organization.
 */
const DAY = 86_400_000;
type Who = 'mentorA' | 'mentorB' | 'committeeA' | 'committeeB' | 'admin' | 'resident' | 'member' | 'hidden';
const jars = {} as Record<Who, CookieJar>;
const ids = {} as Record<Who, string>;
let orgA: string;
let orgB: string;
let street: Types.ObjectId;
const SECRET_NOTE = '财务托管协议草稿（内部）';
const SESSION_NOTE = '负责人与成员有分歧（督导私密备注）';
const HIDDEN_NAME = '不愿署名的成员';
const SHOWN_NAME = '愿意署名的成员';

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

type Handler = Parameters<typeof call>[0];
const page = (who: Who | null, id: string, query = '') =>
  call<{ view: { revision: number; subject: { stage: string }; checklists: { stage: string; progress: { done: number; total: number }; items: { key: string; confirmation: { evidenceFileId: string | null; note: string } | null }[] }[]; history: { override: boolean; reason: string; missing: string[] }[]; sessions: { list: { notes: string }[]; total: number; pages: number } } }>(
    incubationLoader,
    getRequest(`/organizations/${id}/incubation${query}`, who ? { jar: jars[who] } : {}),
    { id },
  );
const post = (who: Who | null, id: string, fields: Record<string, string>) =>
  call<{ errors: string[] }>(incubationAction, formRequest(`/organizations/${id}/incubation`, fields, who ? { jar: jars[who] } : {}), { id });
const confirmWithImage = async (who: Who, id: string, key: string, note: string) =>
  call<{ errors: string[] }>(
    incubationAction,
    multipartRequest(`/organizations/${id}/incubation`, { intent: 'confirm', key, note }, [{ name: 'evidence', filename: 'doc.jpg', type: 'image/jpeg', data: await jpegWithGps() }], { jar: jars[who] }),
    { id },
  );
const move = async (who: Who, id: string, fields: Record<string, string>) => {
  const current = await page(who, id);
  return post(who, id, { intent: 'move', expected: current.data.view.subject.stage, revision: String(current.data.view.revision), confirm: 'yes', ...fields });
};
const openUpload = (who: Who | null, fileId: string) => call(uploadLoader as Handler, getRequest(`/uploads/${fileId}`, who ? { jar: jars[who] } : {}), { fileId });
const profile = (who: Who | null, id: string) => call(profileLoader as Handler, getRequest(`/organizations/${id}`, who ? { jar: jars[who] } : {}), { id });
const stageOf = async (id: string) => (await Organization.findById(id).select('stage').lean())!.stage;

beforeAll(async () => {
  street = (await createStreet())._id;
  const community = (await createCommunity({ street }))._id;
  const compA = await createCompetition({ slug: 'incubation-a' });
  const compB = await createCompetition({ slug: 'incubation-b' });
  const committeeA = await createUser({ email: 'inc-committee-a@example.test', roles: [grant('resident'), grant('committee', 'competition', compA._id)] });
  const committeeB = await createUser({ email: 'inc-committee-b@example.test', roles: [grant('resident'), grant('committee', 'competition', compB._id)] });
  const member = await createUser({ email: 'inc-member@example.test', name: SHOWN_NAME });
  const hidden = await createUser({ email: 'inc-hidden@example.test', name: HIDDEN_NAME });
  orgA = String(
    (
      await Organization.create({
        name: '孵化测试互助会',
        type: 'communitySocialOrganization',
        street,
        community,
        members: [
          { user: member._id, role: 'leader' },
          { user: hidden._id, role: 'member' },
        ],
        stage: 'incubating',
        stageHistory: [{ stage: 'incubating', at: new Date(Date.now() - 100 * DAY), by: committeeA._id }],
        createdBy: committeeA._id,
      })
    )._id,
  );
  orgB = String((await Organization.create({ name: '另一个孵化组织', type: 'volunteerTeam', street, createdBy: committeeB._id, stage: 'idea' }))._id);
  await createUser({ email: 'inc-mentor-a@example.test', roles: [grant('resident'), grant('mentor'), grant('mentor', 'organization', orgA)] });
  await createUser({ email: 'inc-mentor-b@example.test', roles: [grant('resident'), grant('mentor'), grant('mentor', 'organization', orgB)] });
  await createUser({ email: 'inc-admin@example.test', roles: [grant('resident'), grant('admin')] });
  await createUser({ email: 'inc-resident@example.test' });
  const emails: Record<Who, string> = {
    mentorA: 'inc-mentor-a@example.test',
    mentorB: 'inc-mentor-b@example.test',
    committeeA: 'inc-committee-a@example.test',
    committeeB: 'inc-committee-b@example.test',
    admin: 'inc-admin@example.test',
    resident: 'inc-resident@example.test',
    member: 'inc-member@example.test',
    hidden: 'inc-hidden@example.test',
  };
  ids.committeeA = String(committeeA._id);
  ids.member = String(member._id);
  ids.hidden = String(hidden._id);
  for (const [who, email] of Object.entries(emails) as [Who, string][]) jars[who] = await signIn(email);
  await storeDefaultChecklists(checklistYear(new Date()));
});

describe('who may open an organization’s incubation', () => {
  it('its mentor, the committee that registered it and admins; any other signed-in reader gets the same 403, an unknown id 404, the anonymous the login', async () => {
    for (const who of ['mentorA', 'committeeA', 'admin'] as const) expect((await page(who, orgA)).status, who).toBe(200);
    const refusals = await Promise.all((['mentorB', 'committeeB', 'resident', 'member'] as const).map((who) => page(who, orgA)));
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    // The same page whoever asks: nothing about the organization's checklist or sessions.
    expect(new Set(refusals.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect((await page('mentorA', new Types.ObjectId().toHexString())).status).toBe(404);
    const anonymous = await page(null, orgA);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?/);
    for (const who of ['mentorB', 'committeeB', 'resident'] as const) {
      expect((await post(who, orgA, { intent: 'confirm', key: 'charter', note: '伪造' })).status, who).toBe(403);
    }
    expect(await MentorSession.countDocuments()).toBe(0);
  });
});

describe('the checklist with evidence', () => {
  it('the mentor confirms an item with a note and a private document image, stored without its location data and audited without its content', async () => {
    const done = await confirmWithImage('mentorA', orgA, 'financialRules', SECRET_NOTE);
    expect(done.status, JSON.stringify(done.data)).toBe(303);
    const view = (await page('committeeA', orgA)).data.view;
    const item = view.checklists.find((l) => l.stage === 'filed')!.items.find((i) => i.key === 'financialRules')!;
    expect(item.confirmation?.note).toBe(SECRET_NOTE);
    const fileId = item.confirmation!.evidenceFileId!;
    expect(fileId).toMatch(/^[0-9a-f]{24}$/);
    // The same item counts for the registered list too (one key, one fact).
    expect(view.checklists.find((l) => l.stage === 'registered')!.items.find((i) => i.key === 'financialRules')!.confirmation).not.toBeNull();
    const served = await call(uploadLoader as Handler, getRequest(`/uploads/${fileId}`, { jar: jars.mentorA }), { fileId });
    expect(served.status).toBe(200);
    const audit = await AuditLog.findOne({ action: 'organization.itemConfirmed', targetId: orgA }).lean();
    expect(audit?.after).toEqual({ key: 'financialRules', note: true, document: true });
    expect(JSON.stringify(audit)).not.toContain(SECRET_NOTE);
  });

  it('the stored evidence image carries no EXIF or GPS', async () => {
    const doc = await Organization.findById(orgA).select('+checklist').lean();
    const fileId = doc!.checklist.find((c) => c.key === 'financialRules')!.evidenceFileId!;
    const bucket = new mongoose.mongo.GridFSBucket(mongoose.connection.db!, { bucketName: 'uploads' });
    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(new mongoose.mongo.ObjectId(fileId))) chunks.push(chunk as Buffer);
    const metadata = await sharp(Buffer.concat(chunks)).metadata();
    expect(metadata.exif).toBeUndefined();
  });

  it('needs evidence, refuses unknown items, and a second confirmation of one item is 409 with nothing written (also in parallel)', async () => {
    expect((await post('mentorA', orgA, { intent: 'confirm', key: 'charter', note: '' })).data.errors).toEqual(['evidenceRequired']);
    expect((await post('mentorA', orgA, { intent: 'confirm', key: 'madeUp', note: '有' })).data.errors).toEqual(['itemUnknown']);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => post('mentorA', orgA, { intent: 'confirm', key: 'bankAccount', note: '托管单位已确定' })));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 409)).toHaveLength(5);
    const doc = await Organization.findById(orgA).select('+checklist').lean();
    expect(doc!.checklist.filter((c) => c.key === 'bankAccount')).toHaveLength(1);
  });

  it('a withdrawal needs the confirmation tick, then removes the confirmation and its image, audited with the reason', async () => {
    await confirmWithImage('committeeA', orgA, 'filingCertificate', '街道备案证明扫描件');
    const doc = await Organization.findById(orgA).select('+checklist').lean();
    const fileId = doc!.checklist.find((c) => c.key === 'filingCertificate')!.evidenceFileId!;
    expect((await post('mentorA', orgA, { intent: 'withdraw', key: 'filingCertificate', reason: '扫描件不清楚' })).data.errors).toEqual(['confirmRequired']);
    const withdrawn = await post('mentorA', orgA, { intent: 'withdraw', key: 'filingCertificate', reason: '扫描件不清楚', confirm: 'yes' });
    expect(withdrawn.status).toBe(303);
    expect((await openUpload('mentorA', fileId)).status).toBe(404);
    expect((await post('mentorA', orgA, { intent: 'withdraw', key: 'filingCertificate', confirm: 'yes' })).status).toBe(409);
    expect((await AuditLog.findOne({ action: 'organization.itemWithdrawn', targetId: orgA }).lean())?.reason).toBe('扫描件不清楚');
  });
});

describe('mentor sessions', () => {
  it('only the organization’s mentor records them; they are paginated, 10 a page, newest first', async () => {
    expect((await post('committeeA', orgA, { intent: 'session', date: '2026-01-05', hours: '1', topics: '委员会不记录督导' })).status).toBe(403);
    expect((await post('mentorA', orgA, { intent: 'session', date: '2026-01-05', hours: '0.3', topics: '时长不对' })).data.errors).toEqual(['hoursInvalid']);
    expect((await post('mentorA', orgA, { intent: 'session', date: '2999-01-05', hours: '1', topics: '未来' })).data.errors).toEqual(['dateInFuture']);
    for (let i = 0; i < 12; i++) {
      const day = new Date(Date.now() - (20 - i) * DAY).toISOString().slice(0, 10);
      const done = await post('mentorA', orgA, { intent: 'session', date: day, hours: '1.5', topics: `第${i + 1}次督导`, notes: i === 11 ? SESSION_NOTE : '' });
      expect(done.status, JSON.stringify(done.data)).toBe(303);
    }
    const first = (await page('committeeA', orgA)).data.view.sessions;
    expect(first.total).toBe(12);
    expect(first.pages).toBe(2);
    expect(first.list).toHaveLength(10);
    expect(first.list[0]!.notes).toBe(SESSION_NOTE);
    expect((await page('committeeA', orgA, '?page=2')).data.view.sessions.list).toHaveLength(2);
    expect((await MentorSession.findOne({ organization: orgA }).lean())?.minutes).toBe(90);
  });
});

describe('moving the stage', () => {
  it('is the committee’s, not the mentor’s; a move the rule does not allow is refused', async () => {
    expect((await move('mentorA', orgA, { to: 'filed' })).status).toBe(403);
    expect((await move('committeeA', orgA, { to: 'idea' })).data.errors).toEqual(['notAllowed']);
    expect((await move('committeeA', orgA, { to: 'filed' })).data.errors).toEqual(['incomplete']);
    expect(await stageOf(orgA)).toBe('incubating');
  });

  it('an incomplete list needs an override with a reason; with one it moves, and the history keeps the reason and the open items', async () => {
    const noReason = await move('committeeA', orgA, { to: 'registered', override: 'on', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual(['reasonRequired']);
    expect((await move('committeeA', orgA, { to: 'registered', override: 'on', reason: '民政局已受理登记，证书下周发放' })).status).toBe(303);
    const view = (await page('committeeA', orgA)).data.view;
    expect(view.subject.stage).toBe('registered');
    expect(view.history[0]).toMatchObject({ override: true, reason: '民政局已受理登记，证书下周发放', missing: ['registrationCertificate'] });
    const audit = await AuditLog.findOne({ action: 'organization.stageMoved', targetId: orgA }).lean();
    expect(audit).toMatchObject({ before: { stage: 'incubating' }, after: { stage: 'registered', override: true }, reason: '民政局已受理登记，证书下周发放' });
  });

  it('without the confirmation tick nothing moves', async () => {
    const current = (await page('committeeA', orgA)).data.view;
    const refused = await post('committeeA', orgA, { intent: 'move', to: 'dormant', expected: current.subject.stage, revision: String(current.revision) });
    expect(refused.data.errors).toEqual(['confirmRequired']);
    expect(await stageOf(orgA)).toBe('registered');
  });
});

describe('stateful abuse of stage moves', () => {
  let orgC: string;
  beforeAll(async () => {
    orgC = String((await Organization.create({ name: '并发测试组织', type: 'volunteerTeam', street, createdBy: new Types.ObjectId(ids.committeeA), stage: 'idea', stageHistory: [] }))._id);
    for (const key of ['charter', 'members5', 'leader', 'mentor']) expect((await post('committeeA', orgC, { intent: 'confirm', key, note: `已核实：${key}` })).status).toBe(303);
  });

  it('of 8 parallel moves from the same page exactly one applies; the others get 409 and the history has one entry', async () => {
    const current = (await page('committeeA', orgC)).data.view;
    const fields = { intent: 'move', expected: current.subject.stage, revision: String(current.revision), confirm: 'yes' };
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => post(i % 2 ? 'committeeA' : 'admin', orgC, { ...fields, to: i % 3 ? 'incubating' : 'dormant' })));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 409)).toHaveLength(7);
    const doc = await Organization.findById(orgC).select('stage stageHistory').lean();
    expect(doc!.stageHistory).toHaveLength(1);
    expect(doc!.stage).toBe(doc!.stageHistory[0]!.stage);
  });

  it('a confirmation withdrawn between the page and the move makes the move 409, and the list is checked again', async () => {
    if ((await stageOf(orgC)) === 'dormant') expect((await move('committeeA', orgC, { to: 'idea' })).status).toBe(303);
    else await Organization.updateOne({ _id: orgC }, { $set: { stage: 'idea' } });
    const seen = (await page('committeeA', orgC)).data.view;
    if (seen.subject.stage !== 'idea') throw new Error('setup');
    expect((await post('mentorA', orgC, { intent: 'withdraw', key: 'leader', confirm: 'yes' })).status).toBe(403);
    expect((await post('committeeA', orgC, { intent: 'withdraw', key: 'leader', confirm: 'yes' })).status).toBe(303);
    const stale = await post('committeeA', orgC, { intent: 'move', to: 'incubating', expected: 'idea', revision: String(seen.revision), confirm: 'yes' });
    expect(stale.status).toBe(409);
    expect((await move('committeeA', orgC, { to: 'incubating' })).data.errors).toEqual(['incomplete']);
    expect(await stageOf(orgC)).toBe('idea');
  });

  it('a checklist edited between the page and the move makes the move 409; the edit keeps confirmations by key', async () => {
    expect((await post('committeeA', orgC, { intent: 'confirm', key: 'leader', note: '重新确认' })).status).toBe(303);
    const seen = (await page('committeeA', orgC)).data.view;
    const list = (await call<{ lists: { stage: string; revision: number; items: { key: string; label: { zh: string; en: string } }[] }[] }>(checklistsLoader as Handler, getRequest('/organizations/checklists', { jar: jars.committeeB }))).data.lists.find(
      (l) => l.stage === 'incubating',
    )!;
    // Another committee edits the year's list: reworded items keep their keys; one added.
    const fields: Record<string, string> = { year: String(checklistYear(new Date())), stage: 'incubating', revision: String(list.revision) };
    list.items.forEach((item, i) => {
      fields[`items[${i}].key`] = item.key;
      fields[`items[${i}].zh`] = `${item.label.zh}（修订）`;
      fields[`items[${i}].en`] = item.label.en;
    });
    fields[`items[${list.items.length}].zh`] = '完成一次公开活动';
    const saved = await call(checklistsAction as Handler, formRequest('/organizations/checklists', fields, { jar: jars.committeeB }));
    expect(saved.status, JSON.stringify(saved.data)).toBe(303);
    // The same stale form again: the list changed, so the revision did.
    expect((await post('committeeA', orgC, { intent: 'move', to: 'incubating', expected: 'idea', revision: String(seen.revision), confirm: 'yes' })).status).toBe(409);
    const now = (await page('committeeA', orgC)).data.view.checklists.find((l) => l.stage === 'incubating')!;
    expect(now.progress).toMatchObject({ done: 4, total: 5 });
    // Saving the same revision twice: the second is stale.
    expect((await call(checklistsAction as Handler, formRequest('/organizations/checklists', fields, { jar: jars.committeeB }))).status).toBe(409);
    // A forged key is refused; a resident may not edit at all.
    expect((await call(checklistsAction as Handler, formRequest('/organizations/checklists', { ...fields, revision: String(list.revision + 1), 'items[0].key': 'forged' }, { jar: jars.committeeB }))).status).toBe(400);
    expect((await call(checklistsLoader as Handler, getRequest('/organizations/checklists', { jar: jars.resident }))).status).toBe(403);
    expect(await ChecklistTemplate.countDocuments({ stage: 'incubating' })).toBe(1);
  });
});

describe('information flow', () => {
  let evidenceId: string;
  beforeAll(async () => {
    const doc = await Organization.findById(orgA).select('+checklist').lean();
    evidenceId = doc!.checklist.find((c) => c.key === 'financialRules')!.evidenceFileId!;
  });

  it('the evidence image is served to the organization’s mentor, its committee and admins only: 404 to the public, other organizations’ people and its own members', async () => {
    for (const who of ['mentorA', 'committeeA', 'admin'] as const) {
      const served = await openUpload(who, evidenceId);
      expect(served.status, who).toBe(200);
      expect(served.headers.get('Cache-Control')).toBe('private, no-store');
    }
    for (const who of [null, 'mentorB', 'committeeB', 'resident', 'member'] as const) expect((await openUpload(who, evidenceId)).status, String(who)).toBe(404);
    expect((await call(uploadLoader as Handler, getRequest(`/uploads/${evidenceId}?size=thumb`), { fileId: evidenceId })).status).toBe(404);
  });

  it('mentor notes, evidence and unopted member names never reach the public profile, the directory or another organization’s mentor', async () => {
    const secrets = [SECRET_NOTE, SESSION_NOTE, evidenceId, HIDDEN_NAME, '托管单位已确定', '第12次督导'];
    const readers: Outcome[] = [
      await profile(null, orgA),
      await profile('resident', orgA),
      await profile('mentorB', orgA),
      await profile('member', orgA),
      await call(listLoader as Handler, getRequest('/organizations')),
      await call(listLoader as Handler, getRequest('/organizations?stage=registered', { jar: jars.mentorB })),
      await page('mentorB', orgB),
    ];
    for (const reader of readers) {
      expect(reader.status).toBe(200);
      const json = JSON.stringify(reader.data);
      for (const secret of secrets) expect(json).not.toContain(secret);
    }
    // The public profile shows the stage with its date and the members' count.
    const publicData = (await profile(null, orgA)).data as { organization: { stage: string; stageSince: string; memberCount: number; shownMembers: string[] }; incubation: boolean };
    expect(publicData.organization).toMatchObject({ stage: 'registered', memberCount: 2, shownMembers: [] });
    expect(publicData.incubation).toBe(false);
    expect(((await profile('mentorA', orgA)).data as { incubation: boolean }).incubation).toBe(true);
  });

  it('a member names themselves on the public profile by their own choice; nobody else can do it for them', async () => {
    const own = await call(profileAction as Handler, formRequest(`/organizations/${orgA}`, { intent: 'showName', show: 'on' }, { jar: jars.member }), { id: orgA });
    expect(own.status).toBe(303);
    expect((await call(profileAction as Handler, formRequest(`/organizations/${orgA}`, { intent: 'showName', show: 'on' }, { jar: jars.resident }), { id: orgA })).status).toBe(403);
    const shown = (await profile(null, orgA)).data as { organization: { shownMembers: string[] } };
    expect(shown.organization.shownMembers).toEqual([SHOWN_NAME]);
    expect(JSON.stringify(shown)).not.toContain(HIDDEN_NAME);
    expect(await AuditLog.countDocuments({ action: 'organization.memberNameShown', actor: ids.member })).toBe(1);
  });

  it('the directory filters by stage', async () => {
    const list = await call<{ cards: { id: string; stage: string }[] }>(listLoader, getRequest('/organizations?stage=registered'));
    expect(list.data.cards.map((c) => c.id)).toEqual([orgA]);
    const both = await call<{ cards: { id: string }[] }>(listLoader, getRequest(`/organizations?stage=idea&type=volunteerTeam&street=${String(street)}`));
    expect(both.data.cards.map((c) => c.id)).toContain(orgB);
    expect((await call<{ cards: unknown[] }>(listLoader as Handler, getRequest('/organizations?stage=nonsense'))).data.cards.length).toBeGreaterThan(2);
  });
});

describe('a proposal naming a registry organization', () => {
  it('keeps the reference and the registry’s name; an unknown id is a field error; free text still works', async () => {
    const community = await createCommunity({ street });
    await createCompetition({ slug: 'incubation-proposals', phases: phaseWindows(new Date(Date.now() - 10 * DAY)) });
    const rules = (await getCompetitionRules('incubation-proposals'))!;
    const author = String((await createUser())._id);
    const base = { communityId: String(community._id), organizationKind: 'existing' as const };
    const picked = await createProposal({ rules, authorId: author, form: completeForm({ ...base, organizationName: '', organizationId: orgA }) });
    expect(picked.ok).toBe(true);
    const saved = await Proposal.findOne({ competition: rules.id, number: picked.ok ? picked.number : 0 }).select('organization').lean();
    expect(saved?.organization).toMatchObject({ kind: 'existing', name: '孵化测试互助会' });
    expect(String(saved?.organization?.ref)).toBe(orgA);
    expect(await createProposal({ rules, authorId: author, form: completeForm({ ...base, organizationId: new Types.ObjectId().toHexString() }) })).toEqual({ ok: false, reason: 'organizationInvalid', field: 'organizationId' });
    const free = await createProposal({ rules, authorId: author, form: completeForm({ communityId: String(community._id), organizationKind: 'existing', organizationName: '不在名录的老年协会' }) });
    expect(free.ok).toBe(true);
    const freeDoc = await Proposal.findOne({ competition: rules.id, number: free.ok ? free.number : 0 }).select('organization').lean();
    expect(freeDoc?.organization?.ref).toBeUndefined();
  });
});

describe('judges who are members of a proposal’s organization', () => {
  it('are recused automatically (kind organization) at assignment, on their list, when opening the sheet, and their scores never count', async () => {
    const competition = await createCompetition({ slug: 'incubation-judging', phases: phaseWindows(new Date(Date.now() - 85 * DAY)) });
    const judgeMember = await createUser({ roles: [grant('resident'), grant('judge', 'competition', competition._id)] });
    const judgeOther = await createUser({ roles: [grant('resident'), grant('judge', 'competition', competition._id)] });
    const committee = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const author = await createUser();
    const named = await insertProposal({ competition: competition._id, author: author._id, status: 'eligible', title: '名录组织的提案' });
    await Proposal.updateOne({ _id: named._id }, { $set: { organization: { kind: 'existing', name: '孵化测试互助会', ref: new Types.ObjectId(orgA) } } });
    const free = await insertProposal({ competition: competition._id, author: author._id, status: 'eligible', title: '自由填写组织的提案', organization: '孵化测试互助会' });
    await Organization.updateOne({ _id: orgA }, { $push: { members: { user: judgeMember._id, role: 'member' } } });
    const ctx = (await getJudgingContext('incubation-judging'))!;
    expect((await assignJudges({ ctx, actorId: String(committee._id), mode: 'all' })).ok).toBe(true);
    const sheet = await JudgingSheet.findOne({ judge: judgeMember._id, proposal: named._id }).lean();
    expect(sheet).toMatchObject({ status: 'recused', recusal: { kind: 'organization' } });
    // A free-text organization name recuses nobody.
    expect((await JudgingSheet.findOne({ judge: judgeMember._id, proposal: free._id }).lean())?.status).toBe('assigned');
    expect((await JudgingSheet.findOne({ judge: judgeOther._id, proposal: named._id }).lean())?.status).toBe('assigned');

    // Membership that came after the assignment: the other judge joins, then opens the sheet.
    await Organization.updateOne({ _id: orgA }, { $push: { members: { user: judgeOther._id, role: 'volunteer' } } });
    expect((await myAssignments(ctx, String(judgeOther._id))).find((a) => a.number === named.number)?.status).toBe('recused');
    expect(await openSheet(ctx, String(judgeOther._id), named.number)).toEqual({ ok: false, reason: 'recused' });
    expect((await JudgingSheet.findOne({ judge: judgeOther._id, proposal: named._id }).lean())?.recusal?.kind).toBe('organization');
    const progress = await judgingProgress(ctx);
    expect(progress.rows.find((r) => r.number === named.number)!.activeJudges).toBe(0);

    // A submitted sheet of a member (written before they joined) does not count.
    const third = await createUser({ roles: [grant('resident'), grant('judge', 'competition', competition._id)] });
    await insertJudgingSheet({ competition: competition._id, judge: third._id, proposal: named._id, scores: Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, 8])) });
    expect((await loadJudgingInputs(String(competition._id)))!.proposals.find((p) => p.number === named.number)!.sheets.map((s) => s.judgeId)).toContain(String(third._id));
    await Organization.updateOne({ _id: orgA }, { $push: { members: { user: third._id, role: 'member' } } });
    expect((await loadJudgingInputs(String(competition._id)))!.proposals.find((p) => p.number === named.number)!.sheets.map((s) => s.judgeId)).not.toContain(String(third._id));
  });
});
