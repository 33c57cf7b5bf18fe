import { describe, expect, it } from 'vitest';
import {
  bucketCounts,
  canMove,
  childDisplay,
  childInitialProblem,
  claimDisplayName,
  deliveryDue,
  DELIVER_WITHIN_DAYS,
  identifyingDetail,
  MOVES,
  valueProblem,
  WISH_STATUSES,
  WISH_VALUE_MAX_FEN,
  type WishMove,
} from '~/features/wishes/rules';
import { registerSchema } from '~/features/wishes/wish.schema';

describe('micro-wish status moves', () => {
  it('allows exactly open->claimed->delivered->confirmed, a release before delivery, and a withdrawal before delivery', () => {
    const allowed = WISH_STATUSES.flatMap((status) => (Object.keys(MOVES) as WishMove[]).filter((move) => canMove(status, move)).map((move) => `${status}:${move}`));
    expect(allowed.sort()).toEqual(['claimed:deliver', 'claimed:release', 'claimed:withdraw', 'delivered:confirm', 'open:claim', 'open:withdraw']);
  });

  it('never leaves a confirmed or withdrawn wish', () => {
    for (const move of Object.keys(MOVES) as WishMove[]) {
      expect(canMove('confirmed', move)).toBe(false);
      expect(canMove('withdrawn', move)).toBe(false);
    }
  });

  it('counts confirmed wishes as delivered and leaves withdrawn ones out of the wall', () => {
    expect(bucketCounts({ open: 4, claimed: 2, delivered: 1, confirmed: 3, withdrawn: 9 })).toEqual({ open: 4, claimed: 2, delivered: 4 });
    expect(bucketCounts({})).toEqual({ open: 0, claimed: 0, delivered: 0 });
  });
});

describe("the child's name", () => {
  it('shows only the one stored character with 同学 or 小朋友 (Pupil / Little in English)', () => {
    expect(childDisplay({ initial: '明', term: 'student' }, 'zh')).toBe('明同学');
    expect(childDisplay({ initial: '婷', term: 'child' }, 'zh')).toBe('婷小朋友');
    expect(childDisplay({ initial: '明', term: 'student' }, 'en')).toBe('Pupil 明');
    expect(childDisplay({ initial: 'li', term: 'child' }, 'en')).toBe('Little L.');
  });

  it('accepts exactly one letter and refuses a whole name rather than cutting it (the surname would show)', () => {
    expect(childInitialProblem('明')).toBeNull();
    expect(childInitialProblem(' A ')).toBeNull();
    expect(childInitialProblem('𠮷')).toBeNull();
    expect(childInitialProblem('')).toBe('initialRequired');
    expect(childInitialProblem('王明')).toBe('initialOneCharacter');
    expect(childInitialProblem('7')).toBe('initialOneCharacter');
    expect(childInitialProblem('😀')).toBe('initialOneCharacter');
  });
});

describe('value limits', () => {
  it('takes whole fen from ¥1 up to ¥500', () => {
    expect(valueProblem(100)).toBeNull();
    expect(valueProblem(WISH_VALUE_MAX_FEN)).toBeNull();
    expect(valueProblem(WISH_VALUE_MAX_FEN + 1)).toBe('valueTooLarge');
    expect(valueProblem(99)).toBe('valueTooSmall');
    expect(valueProblem(null)).toBe('valueInvalid');
    expect(valueProblem(12.5)).toBe('valueInvalid');
  });

  it('the form reads yuan as typed into integer fen, never a float', () => {
    const base = { kind: 'item', title: '书包', childInitial: '明', childTerm: 'student', childAge: '8', community: 'a'.repeat(24) };
    expect(registerSchema.parse({ ...base, value: '¥35.5' }).value).toBe(3550);
    expect(registerSchema.parse({ ...base, value: '500' }).value).toBe(50_000);
    expect(registerSchema.safeParse({ ...base, value: '0.1' }).error?.issues[0]?.message).toBe('valueTooSmall');
    expect(registerSchema.safeParse({ ...base, value: '1e3' }).error?.issues[0]?.message).toBe('valueInvalid');
    expect(registerSchema.safeParse({ ...base, value: '9'.repeat(5000) }).error?.issues[0]?.message).toBe('valueInvalid');
  });
});

describe('public text and display names', () => {
  it('finds phone numbers, ID numbers and house numbers in what would be published', () => {
    expect(identifyingDetail('想要一本字典')).toBe(false);
    expect(identifyingDetail('妈妈电话 139-0000-0005')).toBe(true);
    expect(identifyingDetail('身份证37021219990101123X')).toBe(true);
    expect(identifyingDetail('住在3号楼2单元')).toBe(true);
    expect(identifyingDetail('140码的冬季棉服')).toBe(false);
  });

  it("shows the account's name by default, a unit's name, or nothing when anonymous", () => {
    expect(claimDisplayName('account', ' 王秀英 ', '某公司')).toBe('王秀英');
    expect(claimDisplayName('unit', '王秀英', ' 崂山区某公司团支部 ')).toBe('崂山区某公司团支部');
    expect(claimDisplayName('anonymous', '王秀英', '某公司')).toBe('');
  });

  it(`promises delivery within ${DELIVER_WITHIN_DAYS} days of the claim`, () => {
    expect(deliveryDue(new Date('2026-05-01T02:00:00Z')).toISOString()).toBe('2026-05-15T02:00:00.000Z');
  });
});
