/**
 * Demo geography and people of Laoshan District. Street names are real (DOMAIN.md); the
 * communities under them are plausible names chosen for the demo.
 */
export const STREETS = [
  {
    code: 'zhonghan', zh: '中韩街道', en: 'Zhonghan Street',
    communities: [
      ['wangjia-maidao', '王家麦岛社区', 'Wangjia Maidao'],
      ['zhangcun', '张村社区', 'Zhangcun'],
      ['xihan', '西韩社区', 'Xihan'],
      ['zhujiawa', '朱家洼社区', 'Zhujiawa'],
    ],
  },
  {
    code: 'shazikou', zh: '沙子口街道', en: 'Shazikou Street',
    communities: [
      ['shazikou', '沙子口社区', 'Shazikou'],
      ['nanyao', '南窑社区', 'Nanyao'],
      ['dengying', '登瀛社区', 'Dengying'],
      ['liuqinghe', '流清河社区', 'Liuqinghe'],
    ],
  },
  {
    code: 'wanggezhuang', zh: '王哥庄街道', en: 'Wanggezhuang Street',
    communities: [
      ['wanggezhuang', '王哥庄社区', 'Wanggezhuang'],
      ['gangdong', '港东社区', 'Gangdong'],
      ['xiaowang', '晓望社区', 'Xiaowang'],
      ['yangkou', '仰口社区', 'Yangkou'],
    ],
  },
  {
    code: 'beizhai', zh: '北宅街道', en: 'Beizhai Street',
    communities: [
      ['beizhai', '北宅社区', 'Beizhai'],
      ['wolong', '卧龙社区', 'Wolong'],
      ['bijia', '毕家社区', 'Bijia'],
    ],
  },
  {
    code: 'jinjialing', zh: '金家岭街道', en: 'Jinjialing Street',
    communities: [
      ['jinjialing', '金家岭社区', 'Jinjialing'],
      ['maidao', '麦岛社区', 'Maidao'],
      ['shilaoren', '石老人社区', 'Shilaoren'],
      ['tonganlu', '同安路社区', "Tong'anlu"],
    ],
  },
] as const;

/** The eight proposal directions: three named in the reports, five a project choice. */
export const CATEGORIES = [
  { code: 'children', zh: '困境儿童成长', en: "Children's growth" },
  { code: 'entrepreneurship', zh: '困难群众创业扶持', en: 'Entrepreneurship support' },
  { code: 'home-renovation', zh: '困难家庭居家环境微改造', en: 'Home micro-renovation' },
  { code: 'elderly', zh: '困境老人关爱', en: 'Elderly care and companionship' },
  { code: 'illness-disability', zh: '病残帮扶', en: 'Illness and disability support' },
  { code: 'psychological', zh: '心理关爱', en: 'Psychological support' },
  { code: 'education', zh: '助学阅读', en: 'Education and reading' },
  { code: 'mutual-aid', zh: '邻里互助', en: 'Neighbourhood mutual aid' },
] as const;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊鞠陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段隋钱汤尹黎易常武乔贺赖龚文';
const GIVEN = [
  '秀英', '桂兰', '建国', '玉珍', '志强', '淑芬', '海燕', '国华', '明', '丽', '伟', '芳', '军', '静', '磊', '洋',
  '凤英', '德福', '春梅', '永刚', '晓燕', '立新', '红梅', '长青', '金凤', '文斌', '丽娟', '子涵', '欣怡', '宇航',
];

/** Deterministic Chinese names: the same seed data on every run. */
export function residentName(index: number): string {
  return `${SURNAMES[(index * 7) % SURNAMES.length]}${GIVEN[(index * 11) % GIVEN.length]}`;
}

/** Every demo account uses this password (README lists the logins). */
export const DEMO_PASSWORD = 'Laoshan-demo-2026';
/** The demo social-worker mentor (role `mentor`), assigned to the 2025 projects. */
export const DEMO_MENTOR_EMAIL = 'mentor@demo.laoshanxing.cn';
/** The demo resident invited to each 2025 project's team (resident 13900000041 + the project's number - 1). */
export const DEMO_INVITEE_PHONE_BASE = 13900000041;

/**
 * Residents a street's grid worker registered because they have no phone or do not use the site:
 * no password, most without a phone number. The first three have a proposal submitted for them.
 */
export const OFFLINE_RESIDENTS: { name: string; street: string; community: string; phone?: string }[] = [
  { name: '姜桂芳', street: 'shazikou', community: 'dengying' },
  { name: '于德顺', street: 'wanggezhuang', community: 'gangdong' },
  { name: '孙玉兰', street: 'beizhai', community: 'wolong', phone: '13706390218' },
  { name: '王福山', street: 'shazikou', community: 'liuqinghe' },
];
