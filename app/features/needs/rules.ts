import type { NeedStatus } from './needs';

/**
 * Pure rules of the needs whistle: which moves a need may make, what in a public description
 * looks like it identifies someone, and the dashboard's medians. Unit-tested
 * (tests/unit/needs-rules.test.ts); the services apply each move as one conditional update.
 */

export type NeedMove = 'verify' | 'reject' | 'claim' | 'release' | 'reportDone' | 'confirm' | 'reopen' | 'withdraw';

/** From which statuses each move may start. */
export const NEED_MOVES: Record<NeedMove, readonly NeedStatus[]> = {
  verify: ['pending'],
  reject: ['pending'],
  claim: ['open'],
  release: ['claimed'],
  reportDone: ['claimed'],
  confirm: ['done'],
  // The whistle-blower reopens a need the helper reported done that is not solved, or one a
  // helper claimed and left unanswered.
  reopen: ['claimed', 'done'],
  withdraw: ['pending', 'open'],
};

export function mayMove(status: NeedStatus, move: NeedMove): boolean {
  return NEED_MOVES[move].includes(status);
}

export type IdentifyingKind = 'phone' | 'idNumber' | 'name' | 'address';

const MOBILE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/;
// Building / unit / room numbers and house numbers, the way an address is written.
const ADDRESS = /\d+\s*(?:号楼|栋|幢|单元|室|号院|弄)|\d+\s*号(?!网格)/;
// A full name: one of the common surnames, then one or two given-name characters, then a form of
// address ("王秀兰老人", "张建国大爷"). Written as grid workers anonymise ("王某", "张大爷"), it passes.
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const FULL_NAME = new RegExp(`[${SURNAMES}](?!某)[\\u4e00-\\u9fa5]{2}(?:老人|老太|大爷|大妈|奶奶|爷爷|阿姨|叔叔|先生|女士|同学|小朋友)`);

/**
 * What in a public description looks like it identifies the person: a phone number, an ID card
 * number, an address, a full name, or any of the private details typed beside it. The form warns
 * and asks the whistle-blower to rewrite it or to confirm; it never decides alone, because
 * "3号网格" or a year can look like a number.
 */
export function identifyingDetails(text: string, privateDetails: { name?: string; phone?: string; address?: string } = {}): IdentifyingKind[] {
  const found = new Set<IdentifyingKind>();
  const compact = text.replace(/\s+/g, '');
  if (MOBILE.test(text) || LANDLINE.test(text)) found.add('phone');
  if (ID_NUMBER.test(compact)) found.add('idNumber');
  if (ADDRESS.test(text)) found.add('address');
  if (FULL_NAME.test(compact)) found.add('name');
  const name = privateDetails.name?.replace(/\s+/g, '') ?? '';
  if (name.length >= 2 && compact.includes(name)) found.add('name');
  // The given name alone ("秀兰") gives the person away just as well in a small community.
  if (name.length >= 3 && compact.includes(name.slice(1))) found.add('name');
  const phone = privateDetails.phone?.replace(/\D/g, '') ?? '';
  if (phone.length >= 7 && text.replace(/\D/g, '').includes(phone)) found.add('phone');
  const address = privateDetails.address?.replace(/\s+/g, '') ?? '';
  if (address.length >= 4 && compact.includes(address)) found.add('address');
  return [...found];
}

/** The median of some durations (milliseconds), or null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The moment before which an open, unclaimed need is overdue for escalation. */
export function escalationCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
}
