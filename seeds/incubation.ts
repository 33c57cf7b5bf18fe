import mongoose, { type Types } from 'mongoose';
import { Community, MentorSession, Organization, Street, User } from '#models';
import { storeDefaultChecklists } from '~/features/organizations/checklists.server';
import { confirmItem, recordSession, type IncubationSubject } from '~/features/organizations/incubation.server';
import type { IncubationStage, OrganizationType } from '~/features/organizations/organizations';
import { checklistYear, type Actor } from '~/features/organizations/rules';
import { DEMO_MENTOR_EMAIL } from './data';
import { documentPhoto } from './images';

/**
 * Demo incubation (docs/decisions/025-incubation.md): this year's default checklists, an
 * organization at every stage (the 2025 implementers are incubating; an idea group, a filed, a
 * registered, an independent and a dormant one), checklists part-done with evidence notes and
 * one private document image, and mentor sessions. The demo mentor mentors the first two 2025
 * implementers (grant organization:mentor on each). Confirmations and sessions go through the
 * app's services (audited). The first 2025 implementer lacks only its filing certificate: the
 * demo (and the e2e test) confirms it and the committee moves it to "filed".
 */
const DAY = 86_400_000;

interface Extra {
  name: string;
  type: OrganizationType;
  streetIndex: number;
  path: IncubationStage[];
  /** Why it fell dormant (the last move's reason). */
  reason?: string;
}

const EXTRA: Extra[] = [
  { name: '王哥庄渔村互助小组', type: 'volunteerTeam', streetIndex: 2, path: ['idea'] },
  { name: '沙子口邻里守望队', type: 'volunteerTeam', streetIndex: 1, path: ['idea', 'incubating', 'filed'] },
  { name: '北宅樱桃助农合作社', type: 'communityEnterprise', streetIndex: 3, path: ['idea', 'incubating', 'registered', 'independent'] },
  { name: '金家岭银龄读书会', type: 'communitySocialOrganization', streetIndex: 4, path: ['idea', 'incubating', 'dormant'], reason: '负责人外出务工，活动暂停，待有新负责人后恢复。' },
];

const history = (path: IncubationStage[], by: Types.ObjectId, start: Date, reason?: string) =>
  path.map((stage, i) => ({
    stage,
    at: new Date(start.getTime() + i * 120 * DAY),
    by,
    ...(i > 0 ? { from: path[i - 1] } : {}),
    ...(i === path.length - 1 && reason ? { reason } : {}),
  }));

export async function seedIncubation(): Promise<void> {
  const [committee, mentor, residents] = await Promise.all([
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id roles').lean(),
    User.findOne({ email: DEMO_MENTOR_EMAIL }).select('_id').lean(),
    User.find({ email: null, phone: mongoose.trusted({ $exists: true }) }).select('_id').sort({ phone: 1 }).limit(40).lean(),
  ]);
  if (!committee || !mentor || (await MentorSession.estimatedDocumentCount()) > 0) return;
  const now = new Date();
  await storeDefaultChecklists(checklistYear(now), String(committee._id));

  // Every stage: the registry's extra organizations (registered) get their history, and four more.
  const streets = await Street.find().select('_id').sort({ order: 1 }).lean();
  await Organization.updateMany(
    { stage: 'registered', 'stageHistory.0': mongoose.trusted({ $exists: false }) },
    { $set: { stageHistory: history(['idea', 'incubating', 'registered'], committee._id, new Date('2023-03-01T10:00:00+08:00')) } },
  );
  for (const [i, extra] of EXTRA.entries()) {
    const street = streets[extra.streetIndex]?._id;
    if (!street) continue;
    const community = await Community.findOne({ street }).select('_id').lean();
    const members = residents.slice(i * 6, i * 6 + 3 + i).map((r, n) => ({ user: r._id, role: n === 0 ? 'leader' : 'member', showName: n === 0 }));
    const stageHistory = history(extra.path, committee._id, new Date(now.getTime() - extra.path.length * 120 * DAY), extra.reason);
    await Organization.updateOne(
      { street, name: extra.name },
      { $setOnInsert: { type: extra.type, community: community?._id, contact: { name: '联系人', phone: `19900000${800 + i}` }, members, stage: extra.path.at(-1), stageHistory, createdBy: committee._id } },
      { upsert: true },
    );
  }

  // The demo mentor's two organizations: the first two 2025 implementers (incubating).
  const incubating = await Organization.find({ stage: 'incubating', createdBy: committee._id }).select('name createdBy stage members').sort({ name: 1 }).limit(2).lean();
  if (!incubating.length) return;
  await User.updateOne(
    { _id: mentor._id },
    { $push: { roles: { $each: incubating.map((o) => ({ role: 'mentor', scopeType: 'organization', scopeId: o._id })) } } },
  );
  const mentorActor: Actor = {
    id: String(mentor._id),
    roles: [{ role: 'mentor', scopeType: 'platform', scopeId: null }, ...incubating.map((o) => ({ role: 'mentor' as const, scopeType: 'organization' as const, scopeId: String(o._id) }))],
  };
  const subjectOf = (o: { _id: Types.ObjectId; name: string; createdBy?: Types.ObjectId | null; stage: IncubationStage }): IncubationSubject => ({
    id: String(o._id),
    name: o.name,
    createdBy: o.createdBy ? String(o.createdBy) : null,
    stage: o.stage,
  });
  const confirm = async (subject: IncubationSubject, key: string, note: string, daysAgo: number, document?: Buffer) => {
    const done = await confirmItem({
      actor: mentorActor,
      subject,
      implementsIn: [],
      key,
      note,
      document: document ? { data: new Uint8Array(document), filename: `${key}.png` } : null,
      now: new Date(now.getTime() - daysAgo * DAY),
    });
    if (!done.ok) throw new Error(`seed: could not confirm ${key} for ${subject.name}: ${done.reason}`);
  };

  const [first, second] = incubating.map(subjectOf);
  if (first) {
    // Its leader chose to be named on the public profile.
    await Organization.updateOne({ _id: first.id, 'members.0.user': incubating[0]!.members[0]?.user }, { $set: { 'members.0.showName': true } });
    await confirm(first, 'charter', '2025年6月成员大会通过章程，全体成员签字。', 200);
    await confirm(first, 'members5', '现有成员 7 人，名单在督导处备查。', 200);
    await confirm(first, 'leader', '成员大会推选负责人，任期两年。', 200);
    await confirm(first, 'mentor', '益同行社工站安排周督导每月督导一次。', 198);
    await confirm(first, 'financialRules', '参照街道模板制定财务制度，经成员大会通过。', 40);
    await confirm(first, 'bankAccount', '由崂山区益同行社会工作服务中心作为财务托管单位，托管协议已签。', 30, await documentPhoto('财务托管协议'));
    const sessions = [
      { daysAgo: 150, hours: 2, topics: '章程修订与成员分工', notes: '负责人希望尽快备案，但成员对分工有分歧，下次请成员逐一表态。' },
      { daysAgo: 90, hours: 1.5, topics: '志愿者排班与服务记录', notes: '服务记录表填写不全，已示范一次；建议每次活动后当天补录。' },
      { daysAgo: 45, hours: 2, topics: '财务制度与托管协议', notes: '托管单位已同意，协议草稿交负责人审阅。' },
      { daysAgo: 12, hours: 1, topics: '备案材料准备', notes: '还缺街道出具的备案证明，约定下周一起去街道社会事务办。' },
    ];
    for (const s of sessions) {
      const recorded = await recordSession({ actor: mentorActor, subject: first, date: new Date(now.getTime() - s.daysAgo * DAY), minutes: s.hours * 60, topics: s.topics, notes: s.notes });
      if (!recorded.ok) throw new Error(`seed: could not record a session: ${recorded.reason}`);
    }
  }
  if (second) {
    await confirm(second, 'charter', '章程已通过。', 180);
    await confirm(second, 'leader', '负责人已确定。', 180);
    await confirm(second, 'financialRules', '已起草财务制度，待成员大会表决后再确认。此条先由督导核对草稿。', 20);
    const recorded = await recordSession({ actor: mentorActor, subject: second, date: new Date(now.getTime() - 25 * DAY), minutes: 90, topics: '组织定位与服务对象', notes: '服务对象集中在独居老人，建议与网格员对接名单。' });
    if (!recorded.ok) throw new Error(`seed: could not record a session: ${recorded.reason}`);
  }

  // The idea group has begun its list towards incubation.
  const idea = await Organization.findOne({ name: EXTRA[0]!.name }).select('name createdBy stage').lean();
  if (idea) {
    const manager: Actor = { id: String(committee._id), roles: committee.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })) };
    const done = await confirmItem({ actor: manager, subject: subjectOf(idea), implementsIn: [], key: 'charter', note: '章程草案已讨论两次，本月通过。', document: null, now: new Date(now.getTime() - 10 * DAY) });
    if (!done.ok) throw new Error(`seed: could not confirm the idea group's charter: ${done.reason}`);
  }
}
