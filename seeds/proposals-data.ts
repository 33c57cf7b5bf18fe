/**
 * Demo proposals: realistic Chinese texts, five per direction. Names of beneficiaries never
 * appear: only groups and counts (DOMAIN.md, Privacy).
 */
export interface DemoProposal {
  category: string;
  title: string;
  summary: string;
  group: 'children' | 'elderlyAlone' | 'disabled' | 'lowIncome' | 'seriousIllness' | 'unemployed' | 'other';
  count: number;
  org: string;
  items: [string, number, number][]; // item, quantity, unit price in yuan
}

export const DEMO_PROPOSALS: DemoProposal[] = [
  { category: 'children', title: '困境儿童暑期阅读营', summary: '暑假期间为困境儿童开设每周三次的阅读营，配备志愿者老师和图书。', group: 'children', count: 30, org: '书香邻里志愿队', items: [['图书采购', 300, 35], ['志愿者交通补贴', 40, 50], ['活动场地布置', 1, 3000]] },
  { category: 'children', title: '“小候鸟”课后托管', summary: '为父母外出务工的儿童提供放学后的作业辅导和安全看护。', group: 'children', count: 25, org: '童心驿站', items: [['辅导老师补贴', 200, 80], ['学习用品', 25, 120], ['保险', 25, 60]] },
  { category: 'children', title: '困境儿童心愿清单认领', summary: '收集低收入家庭儿童的微心愿，由爱心企业和居民认领实现。', group: 'children', count: 60, org: '红哨子微心愿小组', items: [['心愿礼物', 60, 150], ['活动组织', 2, 1500]] },
  { category: 'children', title: '周末亲子运动会', summary: '每月一次亲子运动会，让困境儿童和家长一起参与社区活动。', group: 'children', count: 40, org: '海风亲子俱乐部', items: [['运动器材', 1, 4000], ['志愿者餐补', 60, 30], ['奖品', 40, 40]] },
  { category: 'children', title: '困境儿童营养早餐计划', summary: '为三十名困境儿童提供一学期的营养早餐。', group: 'children', count: 30, org: '晨光爱心早餐队', items: [['早餐', 3600, 6], ['配送', 120, 20]] },
  { category: 'entrepreneurship', title: '困难群众手工编织合作社', summary: '组织困难家庭妇女学习编织技能，产品在社区市集和网上销售。', group: 'lowIncome', count: 20, org: '巧手编织合作社', items: [['技能培训', 10, 800], ['原材料', 1, 6000], ['市集摊位', 12, 200]] },
  { category: 'entrepreneurship', title: '崂山茶农电商帮扶', summary: '帮助低收入茶农开设网店，学习拍照、直播和包装设计。', group: 'lowIncome', count: 15, org: '茶香电商互助组', items: [['电商培训', 8, 1500], ['拍摄设备', 2, 3000], ['包装设计', 1, 5000]] },
  { category: 'entrepreneurship', title: '残疾人洗车服务点', summary: '在社区设立由残疾人经营的洗车服务点，实现稳定增收。', group: 'disabled', count: 6, org: '自强洗车工坊', items: [['洗车设备', 1, 18000], ['岗前培训', 6, 600], ['场地改造', 1, 8000]] },
  { category: 'entrepreneurship', title: '渔家小吃创业孵化', summary: '为就业困难人员提供渔家小吃制作培训和早市摊位支持。', group: 'unemployed', count: 12, org: '渔家味道创业小组', items: [['厨艺培训', 12, 900], ['摊位设备', 4, 2500]] },
  { category: 'entrepreneurship', title: '社区便民缝补铺', summary: '支持就业困难的居民开设缝补铺，为邻里提供低价服务。', group: 'unemployed', count: 4, org: '针线情缝补铺', items: [['缝纫机', 4, 2200], ['启动物料', 1, 3000]] },
  { category: 'home-renovation', title: '独居老人居家防滑改造', summary: '为独居老人家中卫生间加装扶手和防滑地垫，预防跌倒。', group: 'elderlyAlone', count: 35, org: '安心家园改造队', items: [['扶手安装', 70, 180], ['防滑地垫', 35, 120], ['夜灯', 35, 45]] },
  { category: 'home-renovation', title: '困难家庭厨房安全改造', summary: '更换老旧燃气管和灶具，加装燃气报警器。', group: 'lowIncome', count: 25, org: '平安厨房志愿队', items: [['燃气报警器', 25, 260], ['灶具更换', 25, 900], ['安装人工', 25, 200]] },
  { category: 'home-renovation', title: '残疾人家庭无障碍改造', summary: '为轮椅使用者家庭改造门槛、坡道和卫浴。', group: 'disabled', count: 10, org: '无障碍行动小组', items: [['坡道改造', 10, 1500], ['卫浴改造', 10, 2800]] },
  { category: 'home-renovation', title: '老旧平房冬季保暖', summary: '为困难家庭更换窗户密封条、加装保温帘。', group: 'lowIncome', count: 40, org: '暖冬行动队', items: [['保温帘', 80, 150], ['密封条', 40, 60], ['安装', 40, 80]] },
  { category: 'home-renovation', title: '重病家庭居室适老化', summary: '为重病患者家庭安装护理床位和呼叫铃。', group: 'seriousIllness', count: 8, org: '守护之家', items: [['护理床', 8, 2600], ['呼叫铃', 8, 150]] },
  { category: 'elderly', title: '独居老人助餐与陪伴计划', summary: '为社区独居老人每周送餐三次，并组织志愿者上门陪伴聊天。', group: 'elderlyAlone', count: 40, org: '王家麦岛邻里互助队', items: [['送餐补贴', 1440, 15], ['志愿者保险', 20, 100]] },
  { category: 'elderly', title: '银龄互助时间银行', summary: '低龄老人为高龄老人提供服务，服务时间存入时间银行以后兑换。', group: 'elderlyAlone', count: 80, org: '银龄时间银行', items: [['系统与印刷', 1, 5000], ['活动组织', 12, 600]] },
  { category: 'elderly', title: '老人智能手机课堂', summary: '教老年人使用手机挂号、视频通话和防范诈骗。', group: 'elderlyAlone', count: 60, org: '数字助老志愿队', items: [['讲师补贴', 24, 300], ['教材印刷', 60, 20]] },
  { category: 'elderly', title: '失能老人喘息服务', summary: '为照顾失能老人的家属提供每月两次的替班照护。', group: 'seriousIllness', count: 15, org: '喘息驿站', items: [['护理员服务', 360, 60], ['保险', 15, 80]] },
  { category: 'elderly', title: '渔村老人理发上门', summary: '组织理发志愿者每月上门为行动不便的老人理发。', group: 'elderlyAlone', count: 50, org: '巧手理发志愿队', items: [['理发工具', 5, 600], ['交通补贴', 60, 40]] },
  { category: 'illness-disability', title: '残疾人康复训练小组', summary: '邀请康复师每周带领肢体残疾人进行康复训练。', group: 'disabled', count: 20, org: '康复同行小组', items: [['康复师', 48, 300], ['训练器材', 1, 6000]] },
  { category: 'illness-disability', title: '慢病老人健康管理', summary: '为低收入慢病老人提供血压血糖监测和用药提醒。', group: 'seriousIllness', count: 45, org: '健康守门人', items: [['血压计', 15, 220], ['血糖试纸', 45, 90], ['随访补贴', 12, 500]] },
  { category: 'illness-disability', title: '视障人士出行陪伴', summary: '志愿者陪伴视障人士就医、购物和办理业务。', group: 'disabled', count: 12, org: '明眸伴行', items: [['志愿者保险', 30, 60], ['交通补贴', 200, 20]] },
  { category: 'illness-disability', title: '重病家庭就医陪诊', summary: '为子女不在身边的重病患者提供陪诊和取药服务。', group: 'seriousIllness', count: 20, org: '暖心陪诊队', items: [['陪诊补贴', 160, 80], ['保险', 20, 60]] },
  { category: 'illness-disability', title: '听障儿童语言康复', summary: '为听障儿童提供一年的语言康复课程。', group: 'children', count: 6, org: '听见花开', items: [['康复课程', 288, 150]] },
  { category: 'psychological', title: '困境家庭心理疏导热线', summary: '由专业社工每周开放两个晚上的心理疏导热线和面谈。', group: 'lowIncome', count: 100, org: '心晴社工站', items: [['社工补贴', 96, 200], ['督导', 12, 500]] },
  { category: 'psychological', title: '丧偶老人互助小组', summary: '为丧偶老人组织互助小组，走出孤独。', group: 'elderlyAlone', count: 24, org: '相伴同行小组', items: [['小组活动', 24, 400], ['茶点', 24, 100]] },
  { category: 'psychological', title: '留守儿童情绪课堂', summary: '在学校和社区开设情绪认知与表达课程。', group: 'children', count: 50, org: '彩虹心灵课堂', items: [['课程', 20, 600], ['教具', 1, 2000]] },
  { category: 'psychological', title: '残疾人家属减压营', summary: '为长期照顾残疾家人的家属组织减压活动。', group: 'disabled', count: 30, org: '照顾者之家', items: [['减压活动', 6, 1500], ['心理咨询', 30, 200]] },
  { category: 'psychological', title: '失业人员心理支持', summary: '结合职业指导开展心理支持小组，帮助重建信心。', group: 'unemployed', count: 20, org: '再出发小组', items: [['小组辅导', 10, 800], ['职业测评', 20, 150]] },
  { category: 'education', title: '社区共享书屋', summary: '在社区活动室建设共享书屋，由志愿者管理，面向困难家庭儿童。', group: 'children', count: 80, org: '共享书屋志愿者', items: [['书架', 6, 800], ['图书', 800, 30]] },
  { category: 'education', title: '困难家庭学生助学辅导', summary: '大学生志愿者为初中生提供一对一学业辅导。', group: 'children', count: 20, org: '青春助学社', items: [['志愿者补贴', 400, 30], ['教辅资料', 20, 150]] },
  { category: 'education', title: '老人识字班', summary: '为不识字的老人开设识字班，能看懂药品说明和通知。', group: 'elderlyAlone', count: 30, org: '夕阳识字班', items: [['教材', 30, 40], ['讲师', 40, 200]] },
  { category: 'education', title: '海洋科普研学', summary: '带困境儿童参加海洋科普研学活动，开阔眼界。', group: 'children', count: 40, org: '蓝色课堂', items: [['研学门票', 40, 80], ['交通', 4, 1200], ['保险', 40, 20]] },
  { category: 'education', title: '残疾青年职业技能课', summary: '开设电脑操作和办公技能课程，帮助残疾青年就业。', group: 'disabled', count: 15, org: '自强学堂', items: [['电脑租赁', 15, 500], ['讲师', 30, 300]] },
  { category: 'mutual-aid', title: '楼道邻里守望', summary: '每个楼道推选守望员，每天看望一次独居老人。', group: 'elderlyAlone', count: 60, org: '楼道守望队', items: [['守望员补贴', 12, 1000], ['联络卡印刷', 1, 800]] },
  { category: 'mutual-aid', title: '爱心工具共享站', summary: '建设工具共享站，志愿者为困难家庭上门维修。', group: 'lowIncome', count: 50, org: '万能修补队', items: [['工具', 1, 8000], ['维修耗材', 1, 4000]] },
  { category: 'mutual-aid', title: '社区爱心冰箱', summary: '设置爱心冰箱，居民和商户捐赠食品，困难群众自取。', group: 'lowIncome', count: 100, org: '爱心冰箱小组', items: [['冰箱', 2, 3500], ['电费与维护', 12, 200]] },
  { category: 'mutual-aid', title: '邻里互助积分超市', summary: '居民参加志愿服务获得积分，兑换生活用品。', group: 'other', count: 200, org: '积分超市理事会', items: [['兑换物资', 1, 20000], ['系统', 1, 3000]] },
  { category: 'mutual-aid', title: '困难家庭节日关怀', summary: '在春节和中秋为困难家庭送去慰问和团圆饭。', group: 'lowIncome', count: 80, org: '团圆饭行动', items: [['慰问品', 160, 100], ['团圆饭', 2, 4000]] },
];

/** Shared long-form texts, varied a little per proposal. */
export function longTexts(p: DemoProposal, communityName: string) {
  return {
    problem: `${communityName}有${p.count}名左右的服务对象（${p.summary.slice(0, 12)}……）。走访中了解到，他们在日常生活中缺少稳定的支持，现有帮扶以物资为主，难以满足个性化需求。`,
    plan: `${p.org}联合社区居委会、网格员和专业社工，分三步实施：一是入户了解需求，建立一户一策服务档案；二是按月开展服务活动；三是邀请受益群众和志愿者共同评估，调整服务内容。`,
    schedule: '第1个月：需求调查与志愿者招募；第2至10个月：开展服务；第11至12个月：总结评估与经验分享。',
    outcomes: `服务${p.count}人，形成一支稳定的志愿者队伍和可复制的服务模式。`,
    sustainability: '项目结束后由孵化成立的社区社会组织继续运营，链接爱心企业和崂善行公益基金持续支持。',
  };
}

/**
 * Proposals grid workers submitted for residents who have no phone or do not use the site
 * (OFFLINE_RESIDENTS in data.ts), with the consent they recorded.
 */
export interface AssistedDemoProposal extends DemoProposal {
  /** Index into OFFLINE_RESIDENTS: whose proposal it is. */
  resident: number;
  consent: { method: 'signedForm' | 'verbalWitnessed'; witness?: string; daysBeforeSubmission: number; formPhoto?: boolean };
}

export const ASSISTED_PROPOSALS: AssistedDemoProposal[] = [
  {
    resident: 0, category: 'entrepreneurship', title: '老渔民补网手艺传帮带', summary: '请老渔民教就业困难的居民补渔网、编网兜，补好的网卖给渔船和民宿，让手艺变成收入。',
    group: 'unemployed', count: 12, org: '登瀛补网手艺队', items: [['老师傅授课补贴', 48, 150], ['网线与工具', 12, 320], ['作品展销', 4, 600]],
    consent: { method: 'signedForm', daysBeforeSubmission: 2, formPhoto: true },
  },
  {
    resident: 1, category: 'home-renovation', title: '山村独居老人冬季取暖安全检查', summary: '入冬前请电工和志愿者上门检查独居老人家的炉子、烟道和电线，装上一氧化碳报警器。',
    group: 'elderlyAlone', count: 30, org: '港东平安暖冬队', items: [['一氧化碳报警器', 30, 160], ['电工上门检查', 30, 80], ['烟道清理', 15, 120]],
    consent: { method: 'verbalWitnessed', witness: '李建华（港东社区居委会委员）', daysBeforeSubmission: 1 },
  },
  {
    resident: 2, category: 'illness-disability', title: '卧龙村代购送药小分队', summary: '山里离药店远，组织年轻志愿者每周两次为行动不便的病残老人代购药品和生活用品。',
    group: 'seriousIllness', count: 18, org: '卧龙送药小分队', items: [['志愿者交通补贴', 96, 40], ['保温配送箱', 4, 250], ['志愿者保险', 8, 100]],
    consent: { method: 'verbalWitnessed', witness: '孙德明（邻居）', daysBeforeSubmission: 0 },
  },
];

/** Sent back by the committee for changes; the demo resident 13900000005 wrote it. */
export const CHANGES_REQUESTED_PROPOSAL: DemoProposal & { reason: string } = {
  category: 'elderly', title: '高龄老人上门助浴', summary: '为八十岁以上、洗澡困难的老人提供每月两次上门助浴，由经过培训的护理员和志愿者两人一组服务。',
  group: 'elderlyAlone', count: 25, org: '沙子口暖心助浴队', items: [['助浴护理员服务', 240, 120], ['移动助浴设备', 1, 18000], ['护理员培训', 6, 500]],
  reason: '移动助浴设备单价偏高，请补充三家报价；并说明服务对象如何筛选、如何保障洗浴安全。',
};

/**
 * Conversations under public proposals, found by title. A comment is written by a resident
 * chosen by its position unless `by` says otherwise: the proposal's author (shown as the
 * proposer's reply) or the demo resident 13900000005. `reports` residents report it; `hide`
 * is the committee's reason for hiding it.
 */
export interface DemoComment {
  body: string;
  by?: 'author' | 'demoResident';
  reports?: number;
  hide?: string;
  replies?: DemoComment[];
}

export const DEMO_THREADS: { proposal: string; comments: DemoComment[] }[] = [
  {
    proposal: '困境儿童暑期阅读营',
    comments: [
      { body: '我家孩子去年参加过社区的读书活动，回来天天讲故事，很支持！', replies: [{ body: '谢谢您！今年我们想多开一些绘本共读，欢迎带孩子来。', by: 'author' }] },
      { body: '图书能不能请居民捐一部分？三百本都买的话，钱可以省下来给孩子们买文具。', replies: [{ body: '好建议，我们会在社区群里发起捐书，预算里的图书采购按实际情况减少。', by: 'author' }] },
      { body: '我是退休语文老师，可以报名当志愿者吗？', by: 'demoResident' },
    ],
  },
  {
    proposal: '“小候鸟”课后托管',
    comments: [
      { body: '双职工家庭也很需要，放学到下班中间这两个小时最难熬。' },
      { body: '托管场地在哪里？孩子从学校过去要不要过马路？', replies: [{ body: '计划放在社区党群服务中心二楼，离学校三百米，会有志愿者接送。', by: 'author' }] },
    ],
  },
  {
    proposal: '困难群众手工编织合作社',
    comments: [
      { body: '编织的东西做得好的话，可以放到我们小区门口的便民超市代卖。' },
      { body: '建议先做小件，比如杯垫和钥匙扣，好卖也好学。', replies: [{ body: '谢谢，第一批就从杯垫、收纳篮做起。', by: 'author' }] },
    ],
  },
  {
    proposal: '崂山茶农电商帮扶',
    comments: [
      { body: '直播卖茶现在人很多，关键是要讲好崂山茶自己的故事。' },
      { body: '拍摄设备两台六千块，用手机加补光灯其实就够了。', reports: 1 },
      { body: '帮忙扩散：低价代办各类证件、贷款，加微信详谈。', reports: 2, hide: '广告信息，与提案无关。' },
    ],
  },
  {
    proposal: '独居老人居家防滑改造',
    comments: [
      { body: '我母亲去年在卫生间摔过一次，装扶手真的太有必要了。' },
      { body: '扶手安装要找有资质的师傅，打孔别打到水管。', replies: [{ body: '会请物业维修班一起施工，先探测管线再打孔。', by: 'author' }, { body: '那就放心了，我们楼有好几户都想报名。' }] },
    ],
  },
  {
    proposal: '困难家庭厨房安全改造',
    comments: [
      { body: '燃气报警器要选能联网的，报警时能打到子女手机上。', replies: [{ body: '已经在比较联网款的价格，差得不多的话就换成联网款。', by: 'author' }] },
    ],
  },
  {
    proposal: '老旧平房冬季保暖',
    comments: [
      { body: '我们村好多平房窗户漏风，去年冬天老人都睡不好。' },
      { body: '保温帘最好十一月前装好，进了腊月就来不及了。', by: 'demoResident', replies: [{ body: '同意，施工安排能不能提前一点？' }] },
    ],
  },
  {
    proposal: '独居老人助餐与陪伴计划',
    comments: [
      { body: '送餐的饭菜要少盐少油，很多老人有高血压。', replies: [{ body: '会和社区食堂商量，专门做一份低盐菜单。', by: 'author' }] },
      { body: '陪伴聊天这块特别好，老人最怕的是没人说话。' },
      { body: '我可以每周二下午去陪老人下象棋。' },
    ],
  },
  {
    proposal: '老人智能手机课堂',
    comments: [
      { body: '能不能加一节怎么识别诈骗电话？我爸上个月差点被骗。', replies: [{ body: '防诈骗是必讲的一课，还会请派出所民警来讲真实案例。', by: 'author' }] },
      { body: '上课时间最好放在上午，老人下午要接孙子。' },
    ],
  },
  {
    proposal: '失能老人喘息服务',
    comments: [
      { body: '照顾失能老人的家属太辛苦了，一个月能歇两天也好。' },
      { body: '替班的护理员有没有证？家属会担心。', replies: [{ body: '护理员都持有养老护理员证书，第一次上门时家属可以在场。', by: 'author' }] },
    ],
  },
  {
    proposal: '残疾人康复训练小组',
    comments: [{ body: '训练地点有没有无障碍通道？坐轮椅的朋友能不能进去？' }],
  },
  {
    proposal: '视障人士出行陪伴',
    comments: [
      { body: '陪伴前最好给志愿者做一次培训，怎么引导盲人走路是有讲究的。', replies: [{ body: '已经联系了区残联，请他们来做引导培训。', by: 'author' }] },
    ],
  },
  {
    proposal: '重病家庭就医陪诊',
    comments: [
      { body: '去市里大医院看病一趟要一整天，有人陪着能安心很多。' },
      { body: '陪诊补贴每次八十元合适吗？感觉有点低。', reports: 1 },
    ],
  },
  {
    proposal: '困境家庭心理疏导热线',
    comments: [{ body: '热线号码能不能印在社区公告栏和网格员的联系卡上？', replies: [{ body: '会的，立项后马上印制联系卡。', by: 'author' }] }],
  },
  {
    proposal: '丧偶老人互助小组',
    comments: [{ body: '老伴走了以后，最难的就是一个人吃饭。这样的小组很需要。' }],
  },
  {
    proposal: '社区共享书屋',
    comments: [
      { body: '我家有两箱孩子看过的书，可以捐给书屋。' },
      { body: '书屋开放时间能不能延长到晚上八点？孩子放学写完作业才有空。', replies: [{ body: '我们会招募更多志愿者值班，争取工作日开到晚上八点。', by: 'author' }] },
    ],
  },
  {
    proposal: '海洋科普研学',
    comments: [{ body: '可以联系海洋大学的研究生带队讲解，他们很愿意做科普。' }],
  },
  {
    proposal: '楼道邻里守望',
    comments: [
      { body: '我们楼已经自发这样做了两年，效果很好，支持推广！' },
      { body: '守望员补贴一个月一千元，发给谁、怎么考核要公开。', replies: [{ body: '每月在楼道公示栏公布守望记录，补贴按实际走访次数发放。', by: 'author' }] },
    ],
  },
  {
    proposal: '社区爱心冰箱',
    comments: [
      { body: '食品安全怎么保证？过期的东西谁来清理？', replies: [{ body: '每天有志愿者检查两次，只收预包装和当天的熟食。', by: 'author' }] },
      { body: '我们小饭馆每天晚上剩的馒头可以放进去。' },
    ],
  },
  {
    proposal: '高龄老人上门助浴',
    comments: [
      { body: '我奶奶九十岁了，洗澡一直是家里最头疼的事，特别需要这个服务！' },
      { body: '助浴时一定要注意防滑和保暖，冬天浴室温度要够。', replies: [{ body: '谢谢提醒！我们会带上暖风机和防滑垫，护理员也会先做培训。', by: 'author' }] },
    ],
  },
  {
    proposal: '老渔民补网手艺传帮带',
    comments: [
      { body: '补网这门手艺快失传了，年轻人愿意学是好事。' },
      { body: '我们民宿每年都要换网兜做装饰，可以长期订。' },
    ],
  },
  {
    proposal: '山村独居老人冬季取暖安全检查',
    comments: [{ body: '每年冬天都听说有煤气中毒的，报警器一定要装。' }],
  },
  {
    proposal: '困境儿童营养早餐计划',
    comments: [
      { body: '孩子们吃上热乎早餐，上课精神多了。' },
      { body: '早餐什么时候开始供应？寒假期间也有吗？', replies: [{ body: '计划九月开学后开始，寒假期间改为每周送一次早餐食材包。', by: 'author' }] },
    ],
  },
  {
    proposal: '残疾青年职业技能课',
    comments: [{ body: '我表弟腿脚不方便，一直想学电脑找份工作，这个课什么时候能报名？' }],
  },
];
