import mongoose, { Types } from 'mongoose';
import type { IncubationStage } from '~/features/organizations/organizations';
import { Ballot, Community, Competition, JudgingSheet, MilestonePlan, MilestoneReport, Notification, Organization, Project, ProjectRating, Residency, Street, User } from '#models';
import { createProjectsFromResult } from '~/features/projects/projects.server';
import { publishResults } from '~/features/results/results.server';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { startOfShanghaiDay } from '~/utils/dates';
import { createCompetition, insertProposal, phaseWindows } from './factories';

/**
 * The 2024 pilot round, so the district dashboard has a history (issue 15): eight proposals
 * screened eligible, 200 residents verified for it of whom 150 voted (one ballot voided), the three demo
 * judges' sheets, the committee's published greedy result and its projects, then the projects'
 * story written straight to the database (fast; the 2025 story goes through the services):
 * approved two-milestone plans and reports with people served, volunteers and spending; all but
 * one completed and rated by residents who voted for them, one terminated with a reason; and
 * each project's group registered as an organization that grew (incubating in 2024, filed, some
 * registered or independent in 2025). Running it twice changes nothing.
 */
export const SLUG_2024 = '2024-laoshanxing';
export const VOTERS_2024 = 150;
/** Residents verified for the pilot; those past VOTERS_2024 did not vote (turnout below 100 %). */
export const VERIFIED_2024 = 200;
const day = (d: string) => startOfShanghaiDay(d);

const PROPOSALS: { title: string; summary: string; need: string; category: string; community: string; org: string; yuan: number; served: [string, number][] }[] = [
  { title: '银龄互助午餐点', need: '独居老人多，子女不在身边，中午常常凑合一顿', summary: '在社区活动室为独居老人每周提供三次午餐并陪伴聊天。', category: 'elderly', community: 'zhangcun', org: '张村银龄互助队', yuan: 68_000, served: [['elderly', 46]] },
  { title: '困境儿童周末课堂', need: '有些孩子父母外出务工，周末没人辅导功课', summary: '大学生志愿者为困境儿童辅导作业、开展阅读和手工活动。', category: 'children', community: 'nanyao', org: '南窑彩虹课堂', yuan: 52_000, served: [['children', 38], ['families', 20]] },
  { title: '渔村老屋防滑改造', need: '老屋地面湿滑、楼梯没有扶手，老人摔倒的事时有发生', summary: '为行动不便的困难老人家庭加装扶手、防滑地垫和夜灯。', category: 'home-renovation', community: 'gangdong', org: '港东安居服务队', yuan: 86_000, served: [['elderly', 24], ['disabled', 9]] },
  { title: '茶园助残就业工坊', need: '残疾人找工作难，茶园旺季又缺少分拣包装的人手', summary: '组织残疾人学习茶叶分拣包装，按件计酬，帮助稳定增收。', category: 'entrepreneurship', community: 'beizhai', org: '北宅茶香工坊', yuan: 74_000, served: [['disabled', 18], ['lowIncome', 12]] },
  { title: '照护者喘息服务', need: '照顾失能家人的家属长年无休，身心都很疲惫', summary: '为长期照顾失能家人的家属提供临时替班和心理疏导。', category: 'psychological', community: 'maidao', org: '麦岛暖心驿站', yuan: 45_000, served: [['families', 30], ['patients', 14]] },
  { title: '邻里康复器材共享站', need: '术后康复的居民临时需要轮椅和助行器，买新的负担重', summary: '收集闲置轮椅、助行器，经消毒检修后免费借给有需要的邻居。', category: 'illness-disability', community: 'xihan', org: '西韩邻里共享站', yuan: 39_000, served: [['patients', 33], ['elderly', 21]] },
  { title: '海边书屋流动借阅', need: '村里离图书馆远，留守儿童和老人很少有书可读', summary: '流动书车每月进村两次，为留守儿童和老人送书读书。', category: 'education', community: 'yangkou', org: '仰口海边书屋', yuan: 58_000, served: [['children', 55], ['elderly', 17]] },
  { title: '楼道互助微信群', need: '楼里住着不少困难家庭，邻居之间却互不相识', summary: '以楼栋为单位组织邻里结对，定期探访困难家庭。', category: 'mutual-aid', community: 'shilaoren', org: '石老人楼道互助会', yuan: 36_000, served: [['families', 41]] },
];

/** A report's beneficiary group as a proposal names it (the proposal form's list is its own). */
const PROPOSAL_GROUP: Record<string, string> = { elderly: 'elderlyAlone', children: 'children', disabled: 'disabled', lowIncome: 'lowIncome', patients: 'seriousIllness', families: 'lowIncome' };

/** How each funded project ends (by project number): completed, except the one terminated. */
const TERMINATED = 4;
/** Organizations' growth after incubation (index of the project): registered in 2025, one independent. */
const REGISTERED = new Set([0, 1, 2]);
const INDEPENDENT = 0;

/** A proposal's texts in whole sentences, each naming the proposal so no two proposals share one. */
function texts(p: (typeof PROPOSALS)[number], place: string) {
  return {
    problem: `${place}${p.need}。“${p.title}”想为这些邻居解决这个难题。`,
    plan: `第一步，${p.org}招募志愿者并接受培训，为“${p.title}”做好准备。第二步，在${place}按周开展“${p.title}”的服务。第三步，每季度回访服务对象，改进“${p.title}”的做法。`,
    schedule: `2024年7月启动“${p.title}”，12月完成总结。`,
    outcomes: `让“${p.title}”的服务对象生活更安全、更方便。`,
    sustainability: `项目结束后由${p.org}继续运营“${p.title}”。`,
  };
}

export async function seedHistory2024(): Promise<void> {
  if (await Competition.exists({ slug: SLUG_2024 })) return;
  const [streets, communities, committee, judges, residents] = await Promise.all([
    Street.find().select('_id').sort({ order: 1 }).lean(),
    Community.find().select('code street name').lean(),
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean(),
    User.find({ email: mongoose.trusted({ $in: ['judge1@demo.laoshanxing.cn', 'judge2@demo.laoshanxing.cn', 'judge3@demo.laoshanxing.cn'] }) }).select('_id').sort({ email: 1 }).lean(),
    User.find({ 'roles.role': 'resident', email: null, street: mongoose.trusted({ $ne: null }) }).select('street community').sort({ _id: 1 }).limit(VERIFIED_2024).lean(),
  ]);
  if (!committee || judges.length !== 3 || !streets.length) return;
  const competition = await createCompetition({
    slug: SLUG_2024,
    year: 2024,
    zh: '2024年崂善行救助服务项目试点',
    en: 'Laoshanxing 2024 assistance service pilot',
    summaryZh: '大赛开办前的试点：居民围绕八个方向提出救助服务项目，八个提案入围，资助项目由社区社会组织实施完成。',
    summaryEn: 'The pilot round before the first competition: residents proposed assistance services in eight directions; the funded projects were carried out by community groups, most of which became registered organizations.',
    budgetFen: 400_000_00,
    phases: phaseWindows(new Date('2024-03-01T00:00:00+08:00'), { implementation: 200 }),
    eligibleStreets: streets.map((s) => s._id),
  });
  const c = competition._id;
  await Competition.updateOne({ _id: c }, { $set: { voting: { ...DEFAULT_VOTING_RULES, maxChoices: 3, publicTotals: true, residentWeight: 50 } } });
  await User.updateOne({ _id: committee._id }, { $push: { roles: { role: 'committee', scopeType: 'competition', scopeId: c } } });
  await User.updateMany({ _id: mongoose.trusted({ $in: judges.map((j) => j._id) }) }, { $push: { roles: { role: 'judge', scopeType: 'competition', scopeId: c } } });

  // Proposals, each by a resident of its community (the demo's residents take turns there).
  const proposals: { _id: Types.ObjectId }[] = [];
  for (const [i, p] of PROPOSALS.entries()) {
    const community = communities.find((k) => k.code === p.community)!;
    const author = residents.find((r) => String(r.community) === String(community._id)) ?? residents[i]!;
    proposals.push(
      await insertProposal({
        competition: c,
        author: author._id,
        status: 'eligible',
        title: p.title,
        summary: p.summary,
        category: p.category,
        street: community.street,
        community: community._id,
        beneficiaries: p.served.map(([group, count]) => ({ group: PROPOSAL_GROUP[group] ?? 'other', count })),
        budget: [
          { item: '服务与活动费', quantity: 1, unitPriceFen: Math.round(p.yuan * 0.7) * 100 },
          { item: '物资与器材', quantity: 1, unitPriceFen: Math.round(p.yuan * 0.3) * 100 },
        ],
        texts: texts(p, community.name.zh.replace(/社区$/, '')),
        organization: p.org,
        submittedAt: day('2024-03-20'),
        decidedBy: committee._id,
      }),
    );
  }

  // Verified for the pilot by its committee; one ballot each (approval, up to three), one voided.
  const voting = competition.phases.find((p) => p.key === 'voting')!;
  await Residency.bulkWrite(
    residents.map((r, i) => ({
      updateOne: {
        filter: { resident: r._id, scopeKey: `competition:${String(c)}` },
        update: {
          $set: {
            resident: r._id,
            scopeKey: `competition:${String(c)}`,
            scope: 'competition',
            competition: c,
            street: r.street,
            community: r.community,
            method: 'idCard',
            evidence: { document: 'idCard' },
            verifiedBy: committee._id,
            verifiedAt: new Date(voting.startsAt.getTime() - 7 * 86_400_000 + i * 3_600_000),
          },
        },
        upsert: true,
      },
    })),
  );
  const ballots = await Ballot.insertMany(
    residents.slice(0, VOTERS_2024).map((r, i) => {
      const choices = [...new Set([i % 8, (i * 3 + 1) % 8, (i * 5 + 2) % 8].slice(0, 1 + (i % 3)))].map((k) => proposals[k]!._id);
      return {
        competition: c,
        voter: r._id,
        channel: i % 10 < 8 ? 'online' : 'paper',
        choices,
        street: r.street,
        community: r.community,
        paperSerial: i % 10 < 8 ? undefined : `LS2024-${String(i).padStart(4, '0')}`,
        paperKey: i % 10 < 8 ? undefined : `${String(c)}:LS2024-${String(i).padStart(4, '0')}`,
        submittedAt: new Date(voting.startsAt.getTime() + ((i * 7919) % 997) * 1_500_000),
      };
    }),
  );
  await Ballot.updateOne({ _id: ballots[1]!._id }, { $set: { voided: { at: voting.endsAt, by: committee._id, reason: '同一居民重复提交纸质选票。' } } });

  await JudgingSheet.insertMany(
    judges.flatMap((judge, j) =>
      proposals.map((proposal, i) => ({
        competition: c,
        judge: judge._id,
        proposal: proposal._id,
        status: 'submitted',
        submittedAt: day('2024-06-01'),
        scores: DEFAULT_CRITERIA.map((k, n) => ({ criterion: k.key, score: Math.min(10, Math.max(1, [8, 7, 9, 6, 5, 7, 8, 4][i]! + ((n + j) % 3) - 1)) })),
        comment: '',
      })),
    ),
  );
  const published = await publishResults({ competitionId: String(c), slug: SLUG_2024, method: 'greedy', actorId: String(committee._id), now: day('2024-06-15') });
  if (!published.ok) throw new Error(`seed: could not publish the 2024 results: ${published.reason}`);
  if (!(await createProjectsFromResult(String(c))).ok) throw new Error('seed: could not create the 2024 projects');
  await seedStory(c, committee._id);
  // The pilot's notices are history: dated then, already read.
  await Notification.collection.updateMany({ competitionSlug: SLUG_2024 }, { $set: { createdAt: day('2024-06-15'), readAt: day('2024-06-16') } });
}

async function seedStory(c: Types.ObjectId, committee: Types.ObjectId): Promise<void> {
  const projects = await Project.find({ competition: c }).select('number title street community team approvedBudgetFen proposedOrganizationName proposal').sort({ number: 1 }).lean();
  const plans = [];
  const reports = [];
  const ratings = [];
  for (const [index, project] of projects.entries()) {
    const team = project.team[0]!;
    const budget = project.approvedBudgetFen;
    const first = Math.floor(budget * 0.4);
    const milestones = [
      { _id: new Types.ObjectId(), title: '需求摸排与志愿者培训', dueDate: day('2024-08-31'), deliverables: '服务对象台账、培训记录', trancheFen: first, weight: 1 },
      { _id: new Types.ObjectId(), title: '常态化服务与总结', dueDate: day('2024-12-15'), deliverables: '服务记录、满意度回访、总结报告', trancheFen: budget - first, weight: 2 },
    ];
    plans.push({ project: project._id, competition: c, version: 1, status: 'approved', milestones, revision: 2, submittedAt: day('2024-07-05'), decidedAt: day('2024-07-10'), reviews: [{ decision: 'approved', by: committee, at: day('2024-07-10') }] });
    const terminated = project.number === TERMINATED;
    const served = PROPOSALS.find((p) => p.title === project.title)?.served ?? [['other', 10]];
    const stages = terminated ? [0] : [0, 1];
    for (const stage of stages) {
      const tranche = milestones[stage]!.trancheFen;
      const approvedAt = day(stage === 0 ? '2024-09-10' : '2024-12-20');
      reports.push({
        project: project._id,
        competition: c,
        milestone: milestones[stage]!._id,
        status: 'approved',
        revision: 2,
        narrative: stage === 0 ? '完成需求摸排和志愿者培训，建立服务台账。' : '按计划开展常态化服务，服务对象回访满意。项目结束后由社区社会组织继续运营。',
        activities: [{ date: day(stage === 0 ? '2024-08-10' : '2024-11-16'), place: '社区党群服务中心', description: stage === 0 ? '志愿者培训' : '集中服务日' }],
        served: served.map(([group, count]) => ({ group, count: stage === 0 ? Math.ceil(count / 2) : count })),
        volunteers: 6 + index,
        volunteerHours: 40 + index * 5 + stage * 30,
        expenses: [
          { amountFen: Math.floor(tranche * 0.6), category: 'services', payee: '社区服务点', date: day(stage === 0 ? '2024-08-12' : '2024-11-18'), held: false },
          { amountFen: Math.floor(tranche * 0.35), category: 'materials', payee: '青岛某商贸有限公司', date: day(stage === 0 ? '2024-08-20' : '2024-11-25'), held: false },
        ],
        reviews: [{ decision: 'approved', comments: {}, by: committee, at: approvedAt }],
        createdBy: team,
        submittedAt: new Date(approvedAt.getTime() - 5 * 86_400_000),
        approvedAt,
        trancheReleasedFen: tranche,
      });
    }
    const status = terminated ? 'terminated' : 'completed';
    await Project.updateOne(
      { _id: project._id },
      {
        $set: { status, progressPct: terminated ? 33 : 100 },
        $push: {
          statusHistory: {
            $each: [
              { status: 'inProgress', at: day('2024-07-15'), by: committee },
              terminated
                ? { status: 'terminated', at: day('2024-10-20'), by: committee, reason: '承接团队主要成员外出务工，无法继续服务，剩余资金不再拨付。' }
                : { status: 'completed', at: day('2024-12-28'), by: committee },
            ],
          },
        },
      },
    );
    if (!terminated) {
      const voters = await Ballot.find({ competition: c, choices: project.proposal, 'voided.at': null }).select('voter').limit(8).lean();
      ratings.push(...voters.map((b, i) => ({ project: project._id, competition: c, rater: b.voter, stars: [5, 4, 4, 5, 3, 5, 4, 5][(i + index) % 8]!, comment: '', basis: 'voted', createdAt: day('2025-01-10') })));
    }
  }
  await MilestonePlan.insertMany(plans);
  await MilestoneReport.insertMany(reports);
  if (ratings.length) await ProjectRating.insertMany(ratings);

  // Each project's group, registered and grown: incubating from July 2024, filed in November.
  for (const [index, project] of projects.entries()) {
    if (!project.proposedOrganizationName || !project.street) continue;
    const history: { stage: IncubationStage; at: Date; by: Types.ObjectId }[] = [
      { stage: 'idea', at: day('2024-06-20'), by: committee },
      { stage: 'incubating', at: day('2024-07-10'), by: committee },
      ...(project.number === TERMINATED ? [] : [{ stage: 'filed' as const, at: day('2024-11-20'), by: committee }]),
      ...(REGISTERED.has(index) ? [{ stage: 'registered' as const, at: day('2025-06-18'), by: committee }] : []),
      ...(index === INDEPENDENT ? [{ stage: 'independent' as const, at: day('2025-12-10'), by: committee }] : []),
    ];
    const organization = await Organization.create({
      name: project.proposedOrganizationName,
      type: 'communitySocialOrganization',
      // 199 numbers are not handed out to people (seeds/organizations.ts).
      contact: { name: '联络员', phone: `19900000${String(500 + index).padStart(3, '0')}` },
      street: project.street,
      community: project.community,
      members: project.team.map((user) => ({ user, role: 'leader' })),
      stage: history.at(-1)!.stage,
      stageHistory: history,
      createdBy: committee,
    });
    await Organization.collection.updateOne({ _id: organization._id }, { $set: { createdAt: day('2024-06-20') } });
    await Project.updateOne({ _id: project._id }, { $set: { organization: organization._id } });
  }
}
