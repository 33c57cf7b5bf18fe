import mongoose, { type Types } from 'mongoose';
import { Competition, Need, Pledge, Project, User } from '#models';
import type { SessionUser } from '~/core/auth.server';
import type { PledgeInput } from '~/features/resources/pledge.schema';
import { deliverPledge, recordPledge, withdrawPledge, type PledgeTarget } from '~/features/resources/pledges.server';
import { documentPhoto } from './images';

/**
 * Charity resources' demo (issue 17, decision 031), through the app's services: the 崂善行 fund's
 * allocations to the 2025 projects (recorded by the committee, most paid out), caring
 * enterprises' pledges of money and goods (recorded by the project's team; some delivered with a
 * receipt photo, two past their date and not delivered), the certified enterprise helper pledging
 * itself, an anonymous resident's gift, one withdrawn pledge, and pledges to two public needs.
 * Overdue pledges are recorded "back then" (`now` in the past), so their due date has passed.
 * Running it twice changes nothing.
 */

const DAY = 86_400_000;

type Plan = {
  project?: number;
  /** The n-th public need, oldest first. */
  need?: number;
  by: 'committee' | 'team' | 'enterprise' | 'resident';
  partnerKind: PledgeInput['partnerKind'];
  partnerName?: string;
  showName?: boolean;
  money?: number;
  goods?: [item: string, quantity: number, unit: string, yuan: number];
  /** Recorded this many days ago, promised for this many days after that. */
  recordedDaysAgo: number;
  dueAfterDays: number;
  outcome: 'delivered' | 'receipt' | 'pledged' | 'withdrawn';
  note?: string;
};

const PLANS: Plan[] = [
  { project: 1, by: 'committee', partnerKind: 'fund', money: 20_000, recordedDaysAgo: 90, dueAfterDays: 14, outcome: 'delivered', note: '崂善行公益基金网络募捐第一批拨付。' },
  { project: 1, by: 'team', partnerKind: 'enterprise', partnerName: '青岛海晟物业服务有限公司', money: 5_000, recordedDaysAgo: 70, dueAfterDays: 20, outcome: 'receipt' },
  { project: 1, by: 'team', partnerKind: 'enterprise', partnerName: '崂山爱心便民超市', goods: ['米面油礼包', 30, '份', 3_000], recordedDaysAgo: 60, dueAfterDays: 10, outcome: 'receipt' },
  { project: 1, by: 'team', partnerKind: 'enterprise', partnerName: '青岛崂泉饮品有限公司', money: 8_000, recordedDaysAgo: 75, dueAfterDays: 30, outcome: 'pledged', note: '企业承诺年中追加，尚未到账。' },
  { project: 2, by: 'committee', partnerKind: 'fund', money: 10_000, recordedDaysAgo: 10, dueAfterDays: 40, outcome: 'pledged', note: '第二批拨付，待基金会划拨。' },
  { project: 2, by: 'committee', partnerKind: 'fund', money: 6_000, recordedDaysAgo: 120, dueAfterDays: 14, outcome: 'delivered' },
  { project: 2, by: 'enterprise', partnerKind: 'self', money: 2_000, recordedDaysAgo: 50, dueAfterDays: 21, outcome: 'pledged' },
  { project: 2, by: 'resident', partnerKind: 'self', money: 500, recordedDaysAgo: 30, dueAfterDays: 7, outcome: 'delivered' },
  { project: 3, by: 'team', partnerKind: 'enterprise', partnerName: '青岛康顺医疗器械有限公司', goods: ['折叠轮椅', 2, '台', 1_600], recordedDaysAgo: 45, dueAfterDays: 15, outcome: 'receipt' },
  { project: 3, by: 'team', partnerKind: 'organization', partnerName: '崂山区慈善义工联合会', money: 3_000, recordedDaysAgo: 40, dueAfterDays: 30, outcome: 'withdrawn' },
  { project: 3, by: 'committee', partnerKind: 'fund', money: 8_000, recordedDaysAgo: 100, dueAfterDays: 14, outcome: 'delivered' },
  { need: 1, by: 'enterprise', partnerKind: 'self', goods: ['电暖器', 1, '台', 260], recordedDaysAgo: 5, dueAfterDays: 10, outcome: 'pledged' },
  { need: 2, by: 'resident', partnerKind: 'self', showName: true, money: 300, recordedDaysAgo: 20, dueAfterDays: 7, outcome: 'delivered' },
];

function sessionOf(user: { _id: Types.ObjectId; name: string; roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[] }): SessionUser {
  return {
    id: String(user._id),
    name: user.name,
    language: 'zh',
    streetId: null,
    communityId: null,
    roles: user.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })) as SessionUser['roles'],
  };
}

/** The end of the day (Asia/Shanghai) `days` after `from`, as the form stores a due date. */
function dueDate(from: Date, days: number): Date {
  const day = new Date(from.getTime() + days * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
  return new Date(`${day}T15:59:59.999Z`);
}

export async function seedResources(): Promise<void> {
  if (await Pledge.exists({})) return;
  const competition = await Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean();
  if (!competition) return;
  const [committee, enterprise, resident, projects, needs] = await Promise.all([
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('name roles').lean(),
    User.findOne({ email: 'helper.enterprise@demo.laoshanxing.cn' }).select('name roles').lean(),
    User.findOne({ phone: '13900000005' }).select('name roles').lean(),
    Project.find({ competition: competition._id }).select('number team').sort({ number: 1 }).lean(),
    Need.find({ status: mongoose.trusted({ $in: ['open', 'claimed'] }) }).select('number').sort({ number: 1 }).limit(2).lean(),
  ]);
  if (!committee || !enterprise || !resident) throw new Error('seed: resources need the committee, the enterprise helper and the demo resident');
  const teamUsers = new Map(
    (await User.find({ _id: mongoose.trusted({ $in: projects.map((p) => p.team[0]).filter(Boolean) }) }).select('name roles').lean()).map((u) => [String(u._id), sessionOf(u)]),
  );
  const now = Date.now();
  let variant = 0;
  for (const plan of PLANS) {
    const project = plan.project ? projects[plan.project - 1] : undefined;
    const need = plan.need ? needs[plan.need - 1] : undefined;
    if (plan.project && !project) continue;
    if (plan.need && !need) continue;
    const user =
      plan.by === 'committee' ? sessionOf(committee) : plan.by === 'enterprise' ? sessionOf(enterprise) : plan.by === 'resident' ? sessionOf(resident) : teamUsers.get(String(project!.team[0]));
    if (!user) continue;
    const recordedAt = new Date(now - plan.recordedDaysAgo * DAY);
    const target: PledgeTarget = project ? { type: 'project', competitionId: String(competition._id), number: project.number } : { type: 'need', number: need!.number };
    const values: PledgeInput = {
      partnerKind: plan.partnerKind,
      partnerName: plan.partnerName ?? '',
      showName: plan.showName ?? false,
      kind: plan.goods ? 'inKind' : 'money',
      amount: plan.money ? plan.money * 100 : null,
      item: plan.goods?.[0] ?? '',
      quantity: plan.goods?.[1] ?? null,
      unit: plan.goods?.[2] ?? '',
      estimatedValue: plan.goods ? plan.goods[3] * 100 : null,
      dueDate: dueDate(recordedAt, plan.dueAfterDays),
      note: plan.note ?? '',
    };
    const recorded = await recordPledge({ user, target, values, now: recordedAt });
    if (!recorded.ok) throw new Error(`seed: pledge refused: ${recorded.reason}`);
    // Delivered by the team, or the committee for the fund and for needs.
    const confirmer = plan.partnerKind === 'fund' || !project ? sessionOf(committee) : (teamUsers.get(String(project.team[0])) ?? sessionOf(committee));
    const deliveredOn = new Date(Math.min(now, recordedAt.getTime() + Math.max(1, plan.dueAfterDays - 3) * DAY));
    if (plan.outcome === 'delivered' || plan.outcome === 'receipt') {
      const receipt = plan.outcome === 'receipt' ? { data: await documentPhoto(`收据 ${plan.partnerName ?? ''}`), filename: `receipt-${++variant}.jpg` } : null;
      const moved = await deliverPledge({ user: confirmer, number: recorded.number, deliveredOn, note: plan.goods ? '物资已清点入库。' : '款项已到项目账户。', receipt, now: new Date(Math.min(now, deliveredOn.getTime() + DAY)) });
      if (!moved.ok) throw new Error(`seed: delivery refused: ${moved.reason}`);
    }
    if (plan.outcome === 'withdrawn') {
      const moved = await withdrawPledge({ user: confirmer, number: recorded.number, reason: '合作方年度预算调整，改为明年认捐。', now: new Date(recordedAt.getTime() + 5 * DAY) });
      if (!moved.ok) throw new Error(`seed: withdrawal refused: ${moved.reason}`);
    }
  }
}
