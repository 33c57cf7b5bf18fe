import mongoose, { Types } from 'mongoose';
import { Community, Competition, Helper, Need, NeedLink, Proposal, User } from '#models';
import type { SessionUser } from '~/core/auth.server';
import { storeImage } from '~/core/uploads.server';
import { escalateStaleNeeds } from '~/features/needs/escalation.server';
import { applyAsHelper, decideHelper } from '~/features/needs/helpers.server';
import { claimNeed, confirmNeed, raiseNeed, releaseNeed, reopenNeed, reportNeedDone, verifyNeed, withdrawNeed, type NeedPhoto } from '~/features/needs/lifecycle.server';
import { PUBLIC_NEED_STATUSES, type HelperKind, type NeedUrgency, type RaiserKind } from '~/features/needs/needs';
import { PUBLIC_STATUSES } from '~/features/proposals/proposals';
import { ensureNeedCategories } from '~/features/needs/reference.server';
import { createUser, grant } from './factories';
import { demoPhoto } from './images';

/**
 * The needs whistle's demo (红哨子), written through the app's own services so every audit entry
 * and notification is real: four certified helpers (a caring enterprise, a community social
 * organization, two individuals), then about thirty needs the way grid workers and resident
 * representatives write them, in every street and state, their public texts anonymised and the
 * person's name, address and phone in the private details only. Each move is dated (`now`), so
 * the dashboard's medians read like a year of work; a need's creation is stamped by the database
 * when it is raised, so the seed dates it afterwards. Private phones use 199 numbers, which are
 * not handed out to people.
 */

export const DEMO_HELPERS: { key: string; email: string; account: string; kind: HelperKind; name: string; introduction: string; certifier: string }[] = [
  {
    key: 'enterprise',
    email: 'helper.enterprise@demo.laoshanxing.cn',
    account: '海晟物业志愿队',
    kind: 'enterprise',
    name: '青岛海晟物业服务有限公司',
    introduction: '崂山区物业服务企业，员工志愿队常年为辖区困难老人提供维修、保洁和送餐服务。',
    certifier: 'zhonghan',
  },
  {
    key: 'organization',
    email: 'helper.organization@demo.laoshanxing.cn',
    account: '暖邻服务社联络人',
    kind: 'organization',
    name: '崂山区暖邻社区互助服务社',
    introduction: '沙子口街道登记的社区社会组织，有持证社工两名、志愿者四十余人，擅长陪诊、探访和情绪疏导。',
    certifier: 'shazikou',
  },
  {
    key: 'individual1',
    email: 'helper.individual1@demo.laoshanxing.cn',
    account: '林护士',
    kind: 'individual',
    name: '退休护士林阿姨',
    introduction: '在崂山区一家医院做了三十年护士，退休后愿意陪老人就医、帮忙测血压和讲解用药。',
    certifier: 'jinjialing',
  },
  {
    key: 'individual2',
    email: 'helper.individual2@demo.laoshanxing.cn',
    account: '于老师',
    kind: 'individual',
    name: '大学生志愿者于同学',
    introduction: '在校大学生，周末和假期可以给孩子辅导功课、帮老人跑腿代办。',
    certifier: 'beizhai',
  },
];

type HelperKey = (typeof DEMO_HELPERS)[number]['key'];

interface Step {
  /** Hours after the previous step. */
  after: number;
}

export interface DemoNeed {
  street: string;
  community: string;
  category: string;
  urgency: NeedUrgency;
  /** gridWorker: the street's grid worker raises it; otherwise the street's whistle-blower. */
  raisedAs: RaiserKind;
  grid: string;
  description: string;
  detail: { name: string; address: string; phone: string; situation: string };
  /** When it was raised (Shanghai time). */
  raised: string;
  verify?: Step & { note?: string };
  reject?: Step & { note: string };
  claim?: Step & { helper: HelperKey };
  release?: Step;
  done?: Step & { note: string; photos?: boolean[] };
  confirm?: Step;
  reopen?: Step & { reason: string };
  withdraw?: Step & { reason: string };
}

const fulfilled = (helper: HelperKey, hours: [number, number, number, number], note: string, photos?: boolean[]) => ({
  verify: { after: hours[0] },
  claim: { after: hours[1], helper },
  done: { after: hours[2], note, photos },
  confirm: { after: hours[3] },
});

export const DEMO_NEEDS: DemoNeed[] = [
  // Fulfilled, through the year.
  {
    street: 'zhonghan', community: 'zhangcun', category: 'medicalVisit', urgency: 'high', raisedAs: 'gridWorker', grid: '张村社区2号网格',
    description: '独居王某某老人，82岁，行动不便，下周二需到市立医院东院复查白内障术后情况，子女在外地，需要一名陪诊人员帮忙挂号、取药并陪同往返。',
    detail: { name: '王秀英', address: '中韩街道张村社区某小区12号楼1单元302室', phone: '19900000211', situation: '独居，老伴三年前去世，女儿在深圳工作。右眼白内障术后，看东西还模糊，不会用手机挂号。' },
    raised: '2026-01-12T09:30:00+08:00',
    ...fulfilled('individual1', [3, 5, 50, 20], '陪同老人完成复查，医生说恢复良好，帮老人把下次复查时间写在了日历上。', [true]),
  },
  {
    street: 'shazikou', community: 'dengying', category: 'homeAdaptation', urgency: 'normal', raisedAs: 'gridWorker', grid: '登瀛社区1号网格',
    description: '失能老人家中卫生间地面湿滑，没有扶手，老人夜间如厕曾滑倒过一次，希望有单位帮忙安装扶手和防滑垫。',
    detail: { name: '姜德福', address: '沙子口街道登瀛社区某村东巷7号', phone: '19900000212', situation: '脑梗后左侧肢体无力，由老伴照顾，老伴也七十多岁。家里是老平房，卫生间在院子里。' },
    raised: '2026-02-20T10:00:00+08:00',
    ...fulfilled('enterprise', [6, 30, 96, 26], '物业维修师傅上门安装了两处不锈钢扶手，铺了防滑垫，并检查了室内电线。', [true]),
  },
  {
    street: 'wanggezhuang', community: 'gangdong', category: 'meals', urgency: 'normal', raisedAs: 'residentRep', grid: '港东社区3号网格',
    description: '一位高龄独居老人不会做饭，平时靠邻居接济，希望每天中午能有人送一份热饭，社区助餐点离家太远走不过去。',
    detail: { name: '于桂兰', address: '王哥庄街道港东社区某村北街18号', phone: '', situation: '88岁，耳背，腿脚不好，儿子在外打工，每月寄钱。没有手机，有事找邻居。' },
    raised: '2026-03-05T15:20:00+08:00',
    ...fulfilled('organization', [20, 8, 168, 30], '已和社区助餐点对接，志愿者每天中午送餐上门，连续送了一周，老人说饭菜软烂合口。'),
  },
  {
    street: 'beizhai', community: 'wolong', category: 'tutoring', urgency: 'normal', raisedAs: 'gridWorker', grid: '卧龙社区1号网格',
    description: '困境家庭的一名初二学生数学成绩下滑明显，家长不识字辅导不了，希望有志愿者每周末帮孩子补习一次。',
    detail: { name: '孙浩然', address: '北宅街道卧龙社区某村3排5号', phone: '19900000213', situation: '父亲病故，母亲靠采茶打零工，低保家庭。孩子性格内向，不愿意去补习班。' },
    raised: '2026-03-18T18:40:00+08:00',
    ...fulfilled('individual2', [14, 40, 336, 48], '连续四个周末上门辅导，梳理了一次函数和几何证明，孩子期中考试数学及格了。'),
  },
  {
    street: 'jinjialing', community: 'maidao', category: 'emotionalComfort', urgency: 'high', raisedAs: 'socialOrg', grid: '麦岛社区2号网格',
    description: '丧偶老人近两个月情绪低落，很少出门，吃饭也少，网格员走访时老人多次流泪，希望有专业人员上门陪伴疏导。',
    detail: { name: '陈淑芬', address: '金家岭街道麦岛社区某小区5号楼602室', phone: '19900000214', situation: '老伴今年春节后去世，儿子在国外。有高血压，最近说睡不着觉。' },
    raised: '2026-04-08T11:10:00+08:00',
    ...fulfilled('organization', [2, 4, 120, 22], '社工上门三次，陪老人聊天、整理老伴的照片，介绍她参加社区合唱队，现在每周出门两次。'),
  },
  {
    street: 'zhonghan', community: 'xihan', category: 'housekeeping', urgency: 'low', raisedAs: 'gridWorker', grid: '西韩社区1号网格',
    description: '一户残疾人家庭，户主双下肢残疾，家中长期无人打扫，厨房油污较重，希望换季前有人帮忙做一次大扫除。',
    detail: { name: '刘建国', address: '中韩街道西韩社区某小区3号楼2单元101室', phone: '19900000215', situation: '一级肢体残疾，坐轮椅，妻子有精神疾病。靠残疾人补贴和低保生活。' },
    raised: '2026-05-11T09:00:00+08:00',
    ...fulfilled('enterprise', [26, 60, 30, 18], '保洁组四人上门打扫半天，清理了厨房油污和阳台杂物，帮忙把常用物品放到轮椅够得着的地方。', [true]),
  },
  {
    street: 'shazikou', community: 'liuqinghe', category: 'legalAid', urgency: 'normal', raisedAs: 'partyRep', grid: '流清河社区2号网格',
    description: '一位老人被拖欠房屋租金近一年，对方拒不支付，老人不知道怎么维权，希望有律师志愿者提供法律咨询。',
    detail: { name: '王福海', address: '沙子口街道流清河社区某村西路22号', phone: '19900000216', situation: '把沿街一间门面租给外地人开店，租金每年一万二，去年起一直没给。老人识字不多。' },
    raised: '2026-06-02T14:30:00+08:00',
    ...fulfilled('organization', [5, 70, 200, 40], '联系了合作律所的志愿律师，帮老人整理租赁合同和转账记录，已发出律师函，对方答应分期支付。'),
  },
  {
    street: 'wanggezhuang', community: 'yangkou', category: 'rehabilitation', urgency: 'normal', raisedAs: 'gridWorker', grid: '仰口社区1号网格',
    description: '中风后在家康复的老人，出院后没有继续做康复训练，手脚越来越僵硬，希望有懂康复的人上门指导家属做训练。',
    detail: { name: '于长青', address: '王哥庄街道仰口社区某村南街9号', phone: '19900000217', situation: '去年冬天中风，右手不能握拳。儿媳在家照顾，不知道训练方法，怕弄伤老人。' },
    raised: '2026-06-24T16:00:00+08:00',
    ...fulfilled('individual1', [18, 12, 240, 36], '上门四次，教家属做被动关节活动和握力练习，留了一份图示训练表贴在床头。'),
  },
  {
    street: 'beizhai', community: 'bijia', category: 'materialAid', urgency: 'urgent', raisedAs: 'gridWorker', grid: '毕家社区2号网格',
    description: '一户困难家庭遭遇暴雨，屋顶漏水，被褥和部分衣物被泡，家中有两名学龄儿童，急需被褥和儿童冬衣。',
    detail: { name: '毕玉珍', address: '北宅街道毕家社区某村后街15号', phone: '19900000218', situation: '丈夫务工时受伤卧床，两个孩子分别9岁和6岁。房子是老瓦房，漏雨多年。' },
    raised: '2026-07-30T08:20:00+08:00',
    ...fulfilled('enterprise', [1, 2, 20, 10], '当天送去两套被褥、四件儿童棉衣和一批米面油，并安排师傅临时修补了漏雨的屋顶。', [true]),
  },
  {
    street: 'jinjialing', community: 'shilaoren', category: 'policyAdvice', urgency: 'low', raisedAs: 'residentRep', grid: '石老人社区3号网格',
    description: '一位失业的单亲妈妈想了解低保和临时救助的申请条件，也想知道孩子能不能申请教育资助，需要有人帮忙讲解政策、准备材料。',
    detail: { name: '林晓燕', address: '金家岭街道石老人社区某小区8号楼3单元', phone: '19900000219', situation: '离婚两年，带一个上小学的女儿，原来在商场做收银，今年商场关门后失业。' },
    raised: '2026-08-19T19:00:00+08:00',
    ...fulfilled('organization', [15, 20, 72, 28], '社工上门讲解了低保、临时救助和教育资助的条件，帮忙整理好申请材料，已交到社区。'),
  },
  {
    street: 'zhonghan', community: 'wangjia-maidao', category: 'safetyVisit', urgency: 'normal', raisedAs: 'gridWorker', grid: '王家麦岛社区1号网格',
    description: '独居老人有轻度认知障碍，家里煤气灶没有熄火保护，邻居担心出危险，希望有人上门做一次安全检查并定期探访。',
    detail: { name: '张玉珍', address: '中韩街道王家麦岛社区某小区21号楼1单元402室', phone: '19900000220', situation: '79岁，记性越来越差，有两次出门忘了关火。侄子偶尔来看她。' },
    raised: '2026-09-09T10:40:00+08:00',
    ...fulfilled('enterprise', [4, 16, 48, 20], '上门检查了燃气和电路，换了带熄火保护的灶具，装了燃气报警器，约好每周三探访一次。', [false]),
  },
  {
    street: 'shazikou', community: 'nanyao', category: 'errands', urgency: 'normal', raisedAs: 'gridWorker', grid: '南窑社区2号网格',
    description: '一位腿脚不便的老人每月需要到银行办理养老金相关业务和到药店买慢性病药，希望有人能帮忙代办跑腿。',
    detail: { name: '杨德顺', address: '沙子口街道南窑社区某村中街6号', phone: '19900000221', situation: '糖尿病并发症，脚上有伤口，走不了远路。老伴去世，独居。' },
    raised: '2026-10-14T09:15:00+08:00',
    ...fulfilled('individual2', [7, 26, 30, 12], '帮老人买回一个月的降糖药，陪同用轮椅去银行办好了业务，留了联系方式给网格员。'),
  },
  {
    street: 'jinjialing', community: 'tonganlu', category: 'health', urgency: 'normal', raisedAs: 'gridWorker', grid: '同安路社区1号网格',
    description: '患高血压和糖尿病的独居老人不会用血压计和血糖仪，经常忘记吃药，希望有人定期上门测量并提醒用药。',
    detail: { name: '周桂兰', address: '金家岭街道同安路社区某小区2号楼501室', phone: '19900000222', situation: '76岁，儿子在外地，每周打一次电话。药盒很多，分不清哪种早上吃哪种晚上吃。' },
    raised: '2025-11-20T10:00:00+08:00',
    ...fulfilled('individual1', [8, 30, 100, 24], '上门教老人用电子血压计，配了分格药盒，每周二上门测一次血压血糖并记录。'),
  },
  {
    street: 'wanggezhuang', community: 'xiaowang', category: 'employment', urgency: 'low', raisedAs: 'residentRep', grid: '晓望社区2号网格',
    description: '一名残疾青年想找一份能在家附近做的工作，有基本的电脑操作能力，希望有单位提供岗位信息或技能培训。',
    detail: { name: '于志强', address: '王哥庄街道晓望社区某村东路3号', phone: '19900000223', situation: '小儿麻痹后遗症，左腿行动不便，职业高中毕业，做过网店客服。' },
    raised: '2025-12-08T14:00:00+08:00',
    ...fulfilled('enterprise', [30, 80, 300, 50], '公司提供了一个物业前台线上客服岗位，已通过面试，在家附近的服务中心上班。'),
  },

  // Reported done, waiting for the whistle-blower to confirm.
  {
    street: 'zhonghan', community: 'zhujiawa', category: 'homeCare', urgency: 'high', raisedAs: 'gridWorker', grid: '朱家洼社区1号网格',
    description: '卧床老人的老伴近期住院，家中无人照护，老人需要有人每天上门帮忙翻身、擦洗和喂饭，预计两周。',
    detail: { name: '朱德福', address: '中韩街道朱家洼社区某小区6号楼1单元201室', phone: '19900000224', situation: '瘫痪在床五年，全靠老伴照顾。老伴上周心脏病住院，儿子在外地一时回不来。' },
    raised: '2026-11-16T08:30:00+08:00',
    verify: { after: 2 }, claim: { after: 3, helper: 'organization' }, done: { after: 300, note: '护理员每天上门两次，持续两周，老伴已出院回家，后续由家属照顾。', photos: [true] },
  },
  {
    street: 'beizhai', community: 'beizhai', category: 'volunteerService', urgency: 'low', raisedAs: 'partyRep', grid: '北宅社区3号网格',
    description: '几户山区老人家里的柴火和杂物堆在院子里，入冬前需要人手帮忙整理、清运，消除火灾隐患。',
    detail: { name: '崔永刚（代表三户）', address: '北宅街道北宅社区某村上庄', phone: '19900000225', situation: '三户都是八十岁以上的老人，子女不在身边。院子里柴火堆到屋檐。' },
    raised: '2026-11-10T09:00:00+08:00',
    verify: { after: 6 }, claim: { after: 30, helper: 'individual2' }, done: { after: 120, note: '组织了八名大学生志愿者，用一天时间清运了三户的杂物，柴火码放到离房子远的地方。' },
  },
  {
    street: 'shazikou', community: 'shazikou', category: 'counselling', urgency: 'normal', raisedAs: 'socialOrg', grid: '沙子口社区2号网格',
    description: '一名留守初中生近期在学校和同学发生冲突后拒绝上学，家里只有年迈的奶奶，希望有心理老师介入。',
    detail: { name: '郑子涵', address: '沙子口街道沙子口社区某村西街11号', phone: '19900000226', situation: '父母在外地打工，奶奶70岁不识字。孩子在家玩手机，已经一周没去学校。' },
    raised: '2026-11-05T17:30:00+08:00',
    verify: { after: 16 }, claim: { after: 20, helper: 'organization' }, done: { after: 200, note: '心理咨询师上门三次，和班主任一起制定了返校计划，孩子本周已回到学校。' },
  },

  // Claimed: a helper is answering.
  {
    street: 'jinjialing', community: 'jinjialing', category: 'childCare', urgency: 'high', raisedAs: 'gridWorker', grid: '金家岭社区2号网格',
    description: '一位单亲爸爸下夜班，两个上幼儿园的孩子每天下午四点放学后无人照看，希望有人帮忙接送并照看到晚上七点。',
    detail: { name: '黄立新', address: '金家岭街道金家岭社区某小区15号楼2单元', phone: '19900000227', situation: '妻子去年病故，在港口上夜班。孩子一个5岁一个4岁，现在托邻居照看，邻居下个月搬走。' },
    raised: '2026-11-25T12:00:00+08:00',
    verify: { after: 5 }, claim: { after: 22, helper: 'individual2' },
  },
  {
    street: 'wanggezhuang', community: 'wanggezhuang', category: 'resourceLinking', urgency: 'normal', raisedAs: 'gridWorker', grid: '王哥庄社区1号网格',
    description: '重病患者家庭医疗费用负担重，已申请过医疗救助，还想了解慈善援助和大病众筹的渠道，需要有人帮忙对接资源。',
    detail: { name: '王海燕', address: '王哥庄街道王哥庄社区某村前街2号', phone: '19900000228', situation: '丈夫尿毒症，每周透析三次，家里种茶收入不够。已经借了亲戚十几万。' },
    raised: '2026-11-20T10:30:00+08:00',
    verify: { after: 4 }, claim: { after: 48, helper: 'organization' },
  },
  {
    street: 'zhonghan', community: 'zhangcun', category: 'socialInclusion', urgency: 'low', raisedAs: 'residentRep', grid: '张村社区1号网格',
    description: '一位随子女来青的外地老人不会说本地话，平时不出门，希望社区活动能带上老人，帮老人认识几位同龄朋友。',
    detail: { name: '贺凤英', address: '中韩街道张村社区某小区9号楼', phone: '19900000229', situation: '从湖南来帮儿子带孙子，孙子上学后白天一个人在家，说想回老家。' },
    raised: '2026-11-28T15:00:00+08:00',
    verify: { after: 18 }, claim: { after: 26, helper: 'enterprise' },
  },
  {
    street: 'shazikou', community: 'nanyao', category: 'medicalVisit', urgency: 'urgent', raisedAs: 'gridWorker', grid: '南窑社区1号网格',
    description: '独居老人肺部检查发现阴影，医院约了下周做进一步检查，老人很紧张，需要有人陪同就医并帮忙听懂医生的话。',
    detail: { name: '宋春梅', address: '沙子口街道南窑社区某村北坡4号', phone: '19900000230', situation: '81岁，无子女，侄女在即墨。听力不好，上次看病没听清医生说什么。' },
    raised: '2026-12-01T09:40:00+08:00',
    verify: { after: 1 }, claim: { after: 3, helper: 'individual1' },
  },

  // Open, waiting for a helper: the old ones are escalated to the street's committee.
  {
    street: 'beizhai', community: 'wolong', category: 'homeAdaptation', urgency: 'normal', raisedAs: 'gridWorker', grid: '卧龙社区2号网格',
    description: '山区独居老人家门口台阶陡、没有照明，老人冬天晚上出门倒垃圾怕摔倒，希望帮忙装一盏感应灯和一段扶手。',
    detail: { name: '孙德胜', address: '北宅街道卧龙社区某村半山12号', phone: '', situation: '84岁，独居，有老慢支。没有手机，儿子每半月上山一次。' },
    raised: '2026-11-02T10:00:00+08:00',
    verify: { after: 8 },
  },
  {
    street: 'wanggezhuang', community: 'gangdong', category: 'materialAid', urgency: 'high', raisedAs: 'residentRep', grid: '港东社区1号网格',
    description: '一户渔民家庭男主人出海受伤，家里暂时没有收入，两位老人和一个孩子需要过冬的米面油和取暖用品。',
    detail: { name: '于海生', address: '王哥庄街道港东社区某村海边路30号', phone: '19900000231', situation: '十月出海时腰椎骨折，要休养半年。妻子在海带厂打零工，父母都七十多岁。' },
    raised: '2026-11-12T16:30:00+08:00',
    verify: { after: 20 },
  },
  {
    street: 'jinjialing', community: 'maidao', category: 'meals', urgency: 'normal', raisedAs: 'gridWorker', grid: '麦岛社区1号网格',
    description: '一对高龄老夫妻都行动不便，社区食堂的饭送不到楼上，希望有志愿者每天帮忙把午饭送上楼。',
    detail: { name: '高国华', address: '金家岭街道麦岛社区某小区7号楼5楼', phone: '19900000232', situation: '老两口都九十岁，住五楼没电梯。女儿每周来两次，平时靠泡面。' },
    raised: '2026-11-30T09:10:00+08:00',
    verify: { after: 3 },
  },
  {
    street: 'zhonghan', community: 'xihan', category: 'errands', urgency: 'low', raisedAs: 'gridWorker', grid: '西韩社区2号网格',
    description: '视力残疾老人需要有人每月帮忙读一次水电燃气账单并代缴费用，顺便帮忙看看家里的信件。',
    detail: { name: '韩金凤', address: '中韩街道西韩社区某小区14号楼3单元', phone: '19900000233', situation: '双眼视力残疾二级，独居，丈夫去世后一直是邻居帮忙，邻居年底要搬家。' },
    raised: '2026-12-02T10:00:00+08:00',
    verify: { after: 4 },
  },

  // Released by its helper, back on the board.
  {
    street: 'shazikou', community: 'dengying', category: 'tutoring', urgency: 'normal', raisedAs: 'socialOrg', grid: '登瀛社区2号网格',
    description: '一名小学三年级的困境儿童语文阅读跟不上，父母离异后跟爷爷生活，希望有志愿者每周陪孩子读书写作业。',
    detail: { name: '姜宇航', address: '沙子口街道登瀛社区某村中心街8号', phone: '19900000234', situation: '父母离异，都不管孩子。爷爷70岁，能照顾吃穿，辅导不了学习。' },
    raised: '2026-11-18T17:00:00+08:00',
    verify: { after: 15 }, claim: { after: 30, helper: 'individual2' }, release: { after: 72 },
  },

  // Reopened: the helper reported done but the need was not met.
  {
    street: 'jinjialing', community: 'shilaoren', category: 'housekeeping', urgency: 'normal', raisedAs: 'gridWorker', grid: '石老人社区1号网格',
    description: '独居老人家中囤积了大量废品，楼道也堆满了，邻居多次投诉，老人同意清理，需要人手帮忙分拣清运。',
    detail: { name: '石文斌', address: '金家岭街道石老人社区某小区11号楼1单元', phone: '19900000235', situation: '退休工人，老伴去世后开始捡废品，家里只剩一条过道。和儿子关系不好。' },
    raised: '2026-11-08T09:30:00+08:00',
    verify: { after: 6 }, claim: { after: 12, helper: 'enterprise' }, done: { after: 48, note: '清理了楼道的杂物。' },
    reopen: { after: 20, reason: '只清理了楼道，屋里的废品还没动，老人的需求没有解决，请重新认领。' },
  },

  // Withdrawn by the whistle-blower.
  {
    street: 'wanggezhuang', community: 'xiaowang', category: 'homeCare', urgency: 'normal', raisedAs: 'gridWorker', grid: '晓望社区1号网格',
    description: '术后老人出院回家，需要短期居家照护，帮忙换药和做饭。',
    detail: { name: '于丽娟', address: '王哥庄街道晓望社区某村后街1号', phone: '19900000236', situation: '髋关节置换术后，女儿请不下假。' },
    raised: '2026-10-28T11:00:00+08:00',
    verify: { after: 5 }, withdraw: { after: 30, reason: '老人的女儿请了长假回家照顾，暂时不需要了。' },
  },

  // Rejected at verification.
  {
    street: 'beizhai', community: 'bijia', category: 'materialAid', urgency: 'high', raisedAs: 'residentRep', grid: '毕家社区1号网格',
    description: '一户家庭称家中困难，希望有人捐助一台新的大屏电视和一部手机。',
    detail: { name: '毕红梅', address: '北宅街道毕家社区某村', phone: '19900000237', situation: '本人上门反映，称家中电视坏了。' },
    raised: '2026-11-22T14:00:00+08:00',
    reject: { after: 30, note: '核实后该户有稳定收入，家中有两部手机，不属于困难群众，不予发布。' },
  },

  // Waiting for verification (the e2e verifies one in Zhonghan).
  {
    street: 'zhonghan', community: 'wangjia-maidao', category: 'health', urgency: 'normal', raisedAs: 'gridWorker', grid: '王家麦岛社区2号网格',
    description: '独居老人近期经常头晕，自己量血压偏高但不愿意去医院，希望有医护志愿者上门看看，劝老人去做个检查。',
    detail: { name: '王明德', address: '中韩街道王家麦岛社区某小区4号楼2单元501室', phone: '19900000238', situation: '83岁，老伴住养老院，自己不愿意去。上个月在楼道里晕倒过一次，被邻居扶起来。' },
    raised: '2026-12-02T16:20:00+08:00',
  },
  {
    street: 'zhonghan', community: 'zhujiawa', category: 'emotionalComfort', urgency: 'low', raisedAs: 'partyRep', grid: '朱家洼社区2号网格',
    description: '失独老人最近常常一个人坐在楼下，话越来越少，希望有志愿者定期上门陪老人聊聊天、下下棋。',
    detail: { name: '朱永年', address: '中韩街道朱家洼社区某小区17号楼', phone: '19900000239', situation: '独子十年前车祸去世，老伴身体不好。以前是中学老师，喜欢下象棋。' },
    raised: '2026-12-03T08:40:00+08:00',
  },
  {
    street: 'shazikou', community: 'liuqinghe', category: 'safetyVisit', urgency: 'high', raisedAs: 'gridWorker', grid: '流清河社区1号网格',
    description: '一位独居老人的老房子墙体开裂，雨天漏水，需要有人上门查看房屋安全并帮忙联系维修。',
    detail: { name: '王福山', address: '沙子口街道流清河社区某村老街19号', phone: '', situation: '老房子是七十年代盖的，东墙裂缝有手指宽。老人不愿意搬去亲戚家。' },
    raised: '2026-12-01T15:00:00+08:00',
  },
];

const HOUR = 3_600_000;

async function sessionUser(email: string): Promise<SessionUser> {
  const user = await User.findOne({ email }).select('name street community roles').lean();
  if (!user) throw new Error(`seed: no account ${email}`);
  return {
    id: String(user._id),
    name: user.name,
    language: 'zh',
    streetId: user.street ? String(user.street) : null,
    communityId: user.community ? String(user.community) : null,
    roles: user.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })),
  };
}

const ok = (what: string, result: { ok: boolean; reason?: string }) => {
  if (!result.ok) throw new Error(`seed: ${what}: ${result.reason}`);
};

/** A need category's look in the generated photos (the proposal directions' scenes). */
const PHOTO_SCENE: Record<string, string> = { homeAdaptation: 'home-renovation', housekeeping: 'home-renovation', materialAid: 'mutual-aid', tutoring: 'education', rehabilitation: 'illness-disability' };

async function seedHelpers(): Promise<Map<HelperKey, SessionUser>> {
  const members = new Map<HelperKey, SessionUser>();
  for (const [index, helper] of DEMO_HELPERS.entries()) {
    const account = await createUser({ name: helper.account, email: helper.email, roles: [grant('resident')] });
    const user = await sessionUser(helper.email);
    const applied = await applyAsHelper({ user, kind: helper.kind, name: helper.name, introduction: helper.introduction, contactPhone: `19900000${300 + index}` });
    if (!applied.ok) throw new Error(`seed: ${helper.name} could not apply: ${applied.reason}`);
    // Applied a few days before the certification, so the committee's list reads in order.
    const certifiedAt = new Date(`2025-11-0${index + 3}T10:00:00+08:00`);
    const appliedAt = new Date(certifiedAt.getTime() - 3 * 24 * HOUR);
    await Helper.collection.updateOne({ _id: new Types.ObjectId(applied.id) }, { $set: { createdAt: appliedAt, updatedAt: appliedAt } });
    const certifier = await sessionUser(`street.${helper.certifier}@demo.laoshanxing.cn`);
    ok(`certifying ${helper.name}`, await decideHelper({ actor: certifier, helperId: applied.id, decision: 'certify', now: certifiedAt }));
    members.set(helper.key, { ...user, id: String(account._id) });
  }
  return members;
}

export async function seedNeeds(): Promise<void> {
  await ensureNeedCategories();
  if (await Need.exists({})) return;
  const helpers = await seedHelpers();
  const communities = new Map((await Community.find().select('code').lean()).map((c) => [c.code, String(c._id)]));
  const people = new Map<string, SessionUser>();
  const person = async (email: string) => {
    if (!people.has(email)) people.set(email, await sessionUser(email));
    return people.get(email)!;
  };

  for (const [index, demo] of DEMO_NEEDS.entries()) {
    const raiser = await person(`${demo.raisedAs === 'gridWorker' ? 'grid' : 'whistle'}.${demo.street}@demo.laoshanxing.cn`);
    const worker = await person(`community.${demo.street}@demo.laoshanxing.cn`);
    const communityId = communities.get(demo.community);
    if (!communityId) throw new Error(`seed: no community ${demo.community}`);
    const raised = await raiseNeed({
      actor: raiser,
      // Not acknowledged: a public text that looks identifying fails the seed instead of going out.
      need: { category: demo.category, urgency: demo.urgency, communityId, grid: demo.grid, description: demo.description, raisedAs: demo.raisedAs, ...demo.detail, acknowledged: false },
    });
    if (!raised.ok) throw new Error(`seed: need ${index + 1} was refused: ${raised.reason} ${raised.kinds?.join(',') ?? ''}`);
    const number = raised.number;
    let at = new Date(demo.raised).getTime();
    await Need.collection.updateOne({ _id: (await Need.findOne({ number }).select('_id').lean())!._id }, { $set: { createdAt: new Date(at), updatedAt: new Date(at) } });
    const next = (step: Step) => new Date((at += step.after * HOUR));

    if (demo.reject) ok(`rejecting need ${number}`, await verifyNeed({ actor: worker, number, authentic: false, note: demo.reject.note, now: next(demo.reject) }));
    if (demo.verify) ok(`verifying need ${number}`, await verifyNeed({ actor: worker, number, authentic: true, note: demo.verify.note ?? '已入户核实。', now: next(demo.verify) }));
    const helper = demo.claim ? helpers.get(demo.claim.helper)! : null;
    if (demo.claim && helper) ok(`claiming need ${number}`, await claimNeed({ actor: helper, number, now: next(demo.claim) }));
    if (demo.release && helper) ok(`releasing need ${number}`, await releaseNeed({ actor: helper, number, now: next(demo.release) }));
    if (demo.done && helper) {
      const photos: NeedPhoto[] = [];
      for (const [n, consent] of (demo.done.photos ?? []).entries()) {
        const png = await demoPhoto(PHOTO_SCENE[demo.category] ?? 'elderly', '红哨子服务现场', index * 3 + n);
        const stored = await storeImage({ data: png, filename: `need-${number}-${n + 1}.png`, uploaderId: helper.id, kind: 'photo', visibility: consent ? 'public' : 'private' });
        if (!stored.ok) throw new Error(`seed: a generated photo was refused (${stored.reason})`);
        photos.push({ fileId: stored.fileId, thumbId: stored.thumbId, peopleConsent: consent });
      }
      ok(`reporting need ${number} done`, await reportNeedDone({ actor: helper, number, note: demo.done.note, photos, now: next(demo.done) }));
    }
    if (demo.confirm) ok(`confirming need ${number}`, await confirmNeed({ actor: raiser, number, now: next(demo.confirm) }));
    if (demo.reopen) ok(`reopening need ${number}`, await reopenNeed({ actor: raiser, number, reason: demo.reopen.reason, now: next(demo.reopen) }));
    if (demo.withdraw) ok(`withdrawing need ${number}`, await withdrawNeed({ actor: raiser, number, reason: demo.withdraw.reason }));
    if (at > Date.now()) throw new Error(`seed: need ${number}'s story ends in the future`);
  }
  // Open needs that waited a week are told to their street's committee, as the timer does.
  await escalateStaleNeeds({ days: 7 });
}


const atOnce = (at: Date) => ({ createdAt: at, updatedAt: at });

/** Words in a proposal's title, and the need categories it answers when it has them. */
const ANSWERS: [RegExp, string[]][] = [
  [/送餐|助餐|早餐|团圆饭/, ['meals']],
  [/陪诊|看病|就医/, ['medicalVisit']],
  [/陪伴|探访|守望|独居|丧偶/, ['emotionalComfort', 'safetyVisit']],
  [/扶手|防滑|改造|无障碍|密封条|保温|燃气|取暖/, ['homeAdaptation', 'safetyVisit']],
  [/康复|理疗/, ['rehabilitation', 'health']],
  [/心理|情绪|减压|疏导/, ['counselling', 'emotionalComfort']],
  [/课堂|托管|读书|识字|研学/, ['tutoring', 'childCare']],
  [/理发|助浴|喘息|照护|护理/, ['homeCare', 'housekeeping']],
  [/代购|送药/, ['errands']],
  [/慰问|冰箱|超市/, ['materialAid']],
  [/就业|出摊|手工坊|技能/, ['employment']],
];

/**
 * The 2026 competition's proposals cite the verified needs of their street that they answer, as
 * their authors would on the proposal's "needs it answers" page (at most two each here), so a
 * need's page shows the proposals answering it. Written as links directly: the seed is history.
 */
export async function seedNeedLinks(): Promise<void> {
  if (await NeedLink.exists({})) return;
  const competition = await Competition.findOne({ slug: '2026-laoshanxing' }).select('_id').lean();
  if (!competition) return;
  const [proposals, needs] = await Promise.all([
    Proposal.find({ competition: competition._id, status: mongoose.trusted({ $in: PUBLIC_STATUSES }) }).select('_id number title street authors submittedAt').sort({ number: 1 }).lean(),
    Need.find({ status: mongoose.trusted({ $in: PUBLIC_NEED_STATUSES }) }).select('_id number category street publishedAt').sort({ number: 1 }).lean(),
  ]);
  const links = proposals.flatMap((p) => {
    const categories = new Set(ANSWERS.filter(([words]) => words.test(p.title)).flatMap(([, c]) => c));
    const answered = needs.filter((n) => p.street && String(n.street) === String(p.street) && categories.has(n.category)).slice(0, 2);
    return answered.map((n, slot) => ({
      need: n._id,
      proposal: p._id,
      competition: competition._id,
      slot,
      citedBy: p.authors[0]!,
      // An hour after both the need and the proposal were public, never in the future.
      ...atOnce(new Date(Math.min(Math.max(n.publishedAt?.getTime() ?? 0, p.submittedAt?.getTime() ?? 0) + HOUR, Date.now()))),
    }));
  });
  if (links.length) await NeedLink.insertMany(links);
}
