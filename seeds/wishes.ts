import mongoose, { type Types } from 'mongoose';
import { Community, Street, User } from '#models';
import type { Grant } from '~/core/permissions.server';
import { claimWish, deliverWish } from '~/features/wishes/claims.server';
import { confirmWish, registerWish } from '~/features/wishes/registry.server';
import { MAX_OPEN_CLAIMS, type ChildTerm, type DisplayChoice, type WishKind } from '~/features/wishes/rules';
import { demoPhoto } from './images';

/**
 * Demo micro-wishes (issue 16): about a hundred children's wishes across every community of the
 * five streets, registered by the street's grid worker or community worker, all through the app's
 * services (so numbers, audit entries and notifications are as the app makes them). Half wait on
 * the wall; the rest are claimed by demo residents (some shown as their unit, some anonymous),
 * some delivered, some confirmed by the street's community worker (a few with a generated
 * illustration as the delivery photo: no people in it). The demo resident 13900000005 holds one
 * claim, so "my claimed wishes" has something to deliver and room for more. Children appear as
 * one character and an age only.
 */

type Template = [kind: WishKind, title: string, description: string, yuan: number];

const WISHES: Template[] = [
  ['item', '一本新华字典', '上三年级了，写作文时想自己查字，不用再去借同学的字典。', 45],
  ['item', '一个新书包', '现在的书包背带断了，用绳子绑着，想要一个能装下所有课本的书包。', 120],
  ['item', '一件140码的冬季棉服', '去年的棉服已经小了，冬天上学路上风大，想要一件暖和的。', 180],
  ['item', '一双36码的运动鞋', '喜欢跑步，体育课想穿一双合脚的运动鞋。', 150],
  ['item', '一套水彩笔和画本', '最喜欢画画，想把家门口的大海画下来。', 40],
  ['item', '一盏护眼台灯', '晚上写作业时家里灯光暗，想要一盏不伤眼睛的台灯。', 130],
  ['item', '一套《十万个为什么》', '总有很多问题想知道答案，想要一套自己能看懂的科普书。', 98],
  ['item', '一个篮球', '课间和同学一起打球，想有一个属于自己的篮球。', 89],
  ['item', '一副羽毛球拍', '和妈妈约好周末在小区里打羽毛球。', 110],
  ['item', '一套乐高积木', '想自己拼一艘大船，长大想当船长。', 199],
  ['item', '一本英汉词典', '上初中开始学英语，想要一本词典查单词。', 56],
  ['item', '一副围棋', '在社区活动室学会了下围棋，想在家里和爷爷下。', 75],
  ['item', '一件150码的羽绒服', '个子长得快，想要一件冬天穿的羽绒服。', 260],
  ['item', '一把尤克里里', '音乐课上听老师弹过，想学会弹一首歌给奶奶听。', 220],
  ['item', '一根跳绳和两个毽子', '学校要考跳绳，想在家多练习。', 25],
  ['item', '一辆儿童自行车', '想学会骑车，周末和小伙伴一起在海边骑。', 420],
  ['item', '一个保温水杯', '冬天在学校想喝上热水。', 60],
  ['item', '一套儿童绘本', '还不认字，喜欢听妈妈讲有图画的故事。', 88],
  ['item', '一架入门天文望远镜', '喜欢看星星，想看清月亮上的环形山。', 350],
  ['item', '一双32码的雪地靴', '冬天下雪时鞋子总是湿的，想要一双暖和的靴子。', 135],
  ['item', '一顶毛线帽和一条围巾', '上学路上耳朵冻得通红，想要一顶帽子。', 55],
  ['item', '一套颜料和画板', '在学校美术社团画画，想在家也能练习。', 95],
  ['item', '一个足球', '是班里足球队的守门员，想在家门口练习。', 79],
  ['item', '一套科学实验盒', '想自己做火山喷发的小实验。', 128],
  ['item', '一本成语词典', '喜欢成语接龙，想知道更多成语的故事。', 39],
  ['item', '一盒彩色黏土', '喜欢捏小动物，想送给幼儿园的小朋友。', 30],
  ['item', '一套文具', '铅笔都用得很短了，想要一套新的铅笔、橡皮和尺子。', 40],
  ['item', '一个小闹钟', '想自己按时起床上学，不让爸爸操心。', 35],
  ['experience', '去海底世界看海洋动物', '在书上见过海龟和鲨鱼，想亲眼看一看。', 150],
  ['experience', '看一场儿童剧', '从来没有进过剧场，想看一场真正的演出。', 120],
  ['experience', '去极地海洋世界看白鲸', '听同学说白鲸会"笑"，想去看看。', 200],
  ['experience', '上一节陶艺课', '想亲手做一个杯子送给妈妈。', 100],
  ['experience', '去科技馆参观', '想看看机器人是怎么动起来的。', 80],
  ['experience', '参加一次游泳体验课', '住在海边却还不会游泳，想学会保护自己。', 150],
  ['experience', '去电影院看一场电影', '想和奶奶一起在大银幕上看动画片。', 60],
  ['experience', '去动物园看大熊猫', '最喜欢大熊猫，想看它吃竹子。', 50],
  ['experience', '上一节小提琴体验课', '在电视上听到小提琴的声音，想知道自己能不能学。', 200],
  ['experience', '参加一天科学夏令营', '想和别的小朋友一起做实验、看星空。', 300],
];

const INITIALS = [...'明轩涵浩宇欣怡萱诺辰彤琪睿晨阳博雅乐安然悦航嘉豪妍'];
const UNITS = ['崂山区巾帼志愿服务队', '海之韵科技公司团支部', '沙子口渔港爱心商户', '王哥庄茶农互助会', '金家岭社区党员志愿队'];
const NOTES = ['已交给社区服务站的王老师', '放在社区服务站，请转交孩子', '和家长约好了周六一起去', ''];

const DEMO_RESIDENT_PHONE = '13900000005';

const asActor = (user: { _id: Types.ObjectId; name: string; roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[] }) => ({
  id: String(user._id),
  name: user.name,
  roles: user.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })) as Grant[],
});

/** What becomes of the i-th wish: half wait, the rest are claimed, delivered or confirmed. */
function fateOf(i: number): 'open' | 'claimed' | 'delivered' | 'confirmed' {
  const r = i % 10;
  if (r < 5) return 'open';
  if (r < 7) return 'claimed';
  if (r === 7) return 'delivered';
  return 'confirmed';
}

export async function seedWishes(): Promise<void> {
  const [streets, communities, residents] = await Promise.all([
    Street.find().select('code').sort({ order: 1 }).lean(),
    Community.find().select('street code').sort({ code: 1 }).lean(),
    User.find({ phone: mongoose.trusted({ $regex: '^139' }) })
      .select('name phone roles')
      .sort({ phone: 1 })
      .lean(),
  ]);
  const workers = new Map<string, { grid: ReturnType<typeof asActor>; community: ReturnType<typeof asActor> }>();
  for (const street of streets) {
    const [grid, community] = await Promise.all([
      User.findOne({ email: `grid.${street.code}@demo.laoshanxing.cn` })
        .select('name roles')
        .lean(),
      User.findOne({ email: `community.${street.code}@demo.laoshanxing.cn` })
        .select('name roles')
        .lean(),
    ]);
    if (!grid || !community) throw new Error(`seed: the wish workers of ${street.code} are missing`);
    workers.set(String(street._id), { grid: asActor(grid), community: asActor(community) });
  }
  const demoResident = residents.find((r) => r.phone === DEMO_RESIDENT_PHONE);
  // Claimers take turns, each holding at most MAX_OPEN_CLAIMS - 1 open claims (the demo resident one).
  const claimers = residents.filter((r) => r.phone !== DEMO_RESIDENT_PHONE).map(asActor);
  const open = new Map<string, number>();
  let turn = 0;
  const nextClaimer = () => {
    for (;;) {
      const claimer = claimers[turn++ % claimers.length]!;
      if ((open.get(claimer.id) ?? 0) < MAX_OPEN_CLAIMS - 1) return claimer;
    }
  };

  const total = 100;
  let photos = 0;
  for (let i = 0; i < total; i++) {
    const community = communities[(i * 7) % communities.length]!;
    const staff = workers.get(String(community.street))!;
    const registrar = i % 3 === 0 ? staff.community : staff.grid;
    // Stepping through the list so that one community's children wish for different things.
    const [kind, title, description, yuan] = WISHES[(i * 5 + Math.floor(i / WISHES.length)) % WISHES.length]!;
    const age = 4 + ((i * 11) % 12);
    const term: ChildTerm = age < 7 ? 'child' : 'student';
    const registered = await registerWish({
      worker: registrar,
      values: {
        kind,
        title,
        description,
        value: Math.round(yuan * 100),
        childInitial: INITIALS[(i * 13) % INITIALS.length]!,
        childTerm: term,
        childAge: age,
        community: String(community._id),
      },
    });
    if (!registered.ok) throw new Error(`seed: wish ${title} refused: ${registered.reason}`);
    const fate = fateOf(i);
    if (fate === 'open') continue;
    const claimer = i === 5 && demoResident ? asActor(demoResident) : nextClaimer();
    const displayAs: DisplayChoice = i % 4 === 1 ? 'unit' : i % 7 === 3 ? 'anonymous' : 'account';
    const claimed = await claimWish({ claimer, number: registered.number, displayAs, unitName: UNITS[i % UNITS.length] });
    if (!claimed.ok) throw new Error(`seed: claiming wish ${registered.number} refused: ${claimed.reason}`);
    if (fate === 'claimed') {
      open.set(claimer.id, (open.get(claimer.id) ?? 0) + 1);
      continue;
    }
    const delivered = await deliverWish({ claimerId: claimer.id, number: registered.number, note: NOTES[i % NOTES.length]! });
    if (!delivered.ok) throw new Error(`seed: delivering wish ${registered.number} refused: ${delivered.reason}`);
    if (fate === 'delivered') continue;
    const photo = photos < 4 && kind === 'item' ? { data: await demoPhoto('children', `${title}（示意图）`, i), filename: `wish-${registered.number}.png` } : null;
    if (photo) photos += 1;
    const confirmed = await confirmWish({ worker: staff.community, number: registered.number, photo, peopleConsent: Boolean(photo) });
    if (!confirmed.ok) throw new Error(`seed: confirming wish ${registered.number} refused: ${confirmed.reason}`);
  }
}
