/**
 * The micro-wishes (微心愿) of children in families in difficulty: a grid or community worker
 * registers a child's small wish (an item or an experience, worth at most ¥500), a resident or a
 * unit claims it on the public wall, delivers it to the community, and a worker of the wish's
 * area confirms the delivery. Pure rules and limits, shared by the model, the services, the
 * forms and the pages (docs/decisions/027-micro-wishes.md).
 */

export const WISH_KINDS = ['item', 'experience'] as const;
export type WishKind = (typeof WISH_KINDS)[number];

export const WISH_STATUSES = ['open', 'claimed', 'delivered', 'confirmed', 'withdrawn'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];

/** Statuses a wish is in while it is on the wall's counts (a withdrawn wish is not). */
export const COUNTED_STATUSES = ['open', 'claimed', 'delivered', 'confirmed'] as const satisfies readonly WishStatus[];

/** How a child is addressed: 明同学 (a pupil) or 明小朋友 (a younger child). */
export const CHILD_TERMS = ['student', 'child'] as const;
export type ChildTerm = (typeof CHILD_TERMS)[number];

/** How a claimer is shown on the wall: the account's name, a unit's name, or not at all. */
export const DISPLAY_CHOICES = ['account', 'unit', 'anonymous'] as const;
export type DisplayChoice = (typeof DISPLAY_CHOICES)[number];

/** A micro-wish is small: at most ¥500 (integer fen), at least ¥1. */
export const WISH_VALUE_MIN_FEN = 1_00;
export const WISH_VALUE_MAX_FEN = 500_00;
export const WISH_TITLE_MAX = 40;
export const WISH_DESCRIPTION_MAX = 300;
export const DELIVERY_NOTE_MAX = 200;
export const WITHDRAW_REASON_MAX = 200;
export const UNIT_NAME_MAX = 40;
/** Children up to 17. */
export const CHILD_AGE_MIN = 1;
export const CHILD_AGE_MAX = 17;

/** Claims one person may hold at once (claimed, not yet delivered): a promise kept before the next. */
export const MAX_OPEN_CLAIMS = 3;
/** The claimer promises to deliver within this many days. */
export const DELIVER_WITHIN_DAYS = 14;

export const WALL_PAGE_SIZE = 12;
export const MANAGE_PAGE_SIZE = 20;
export const MINE_PAGE_SIZE = 20;

/**
 * The moves between statuses, and who makes each. Anything else is refused.
 * open -> claimed (a claimer), claimed -> open (the claimer releases it),
 * claimed -> delivered (the claimer), delivered -> confirmed (a worker of the area),
 * open|claimed -> withdrawn (a worker of the area).
 */
export type WishMove = 'claim' | 'release' | 'deliver' | 'confirm' | 'withdraw';

export const MOVES: Record<WishMove, { from: readonly WishStatus[]; to: WishStatus }> = {
  claim: { from: ['open'], to: 'claimed' },
  release: { from: ['claimed'], to: 'open' },
  deliver: { from: ['claimed'], to: 'delivered' },
  confirm: { from: ['delivered'], to: 'confirmed' },
  withdraw: { from: ['open', 'claimed'], to: 'withdrawn' },
};

export function canMove(status: WishStatus, move: WishMove): boolean {
  return MOVES[move].from.includes(status);
}

export function isWishStatus(value: unknown): value is WishStatus {
  return typeof value === 'string' && (WISH_STATUSES as readonly string[]).includes(value);
}

/** The wall's three counts: waiting, claimed and on its way, delivered (confirmed or not). */
export type WallBucket = 'open' | 'claimed' | 'delivered';

export function bucketOf(status: WishStatus): WallBucket | null {
  if (status === 'open' || status === 'claimed') return status;
  if (status === 'delivered' || status === 'confirmed') return 'delivered';
  return null;
}

export type BucketCounts = Record<WallBucket, number>;

/** Counts per status into the wall's buckets. */
export function bucketCounts(byStatus: Partial<Record<WishStatus, number>>): BucketCounts {
  const counts: BucketCounts = { open: 0, claimed: 0, delivered: 0 };
  for (const status of WISH_STATUSES) {
    const bucket = bucketOf(status);
    if (bucket) counts[bucket] += byStatus[status] ?? 0;
  }
  return counts;
}

/**
 * The one character of the child's given name that is stored: exactly one letter (a Chinese
 * character, or a Latin letter for a child with a foreign name). More than one is refused, not
 * cut: a worker who typed the whole name must not see the surname published.
 */
export function childInitialProblem(text: string): 'initialRequired' | 'initialOneCharacter' | null {
  const chars = [...text.trim()];
  if (chars.length === 0) return 'initialRequired';
  if (chars.length > 1 || !/^\p{L}$/u.test(chars[0]!)) return 'initialOneCharacter';
  return null;
}

/**
 * The child as the public sees them: the stored character and the term (明同学, 明小朋友), and
 * in English the letter or character with the word. Never more than that one character.
 */
export function childDisplay(child: { initial: string; term: ChildTerm }, language: 'zh' | 'en'): string {
  const initial = [...child.initial][0] ?? '';
  if (language === 'en') {
    // A Latin initial reads as one ("Pupil L."); a Chinese character stands as it is.
    const shown = /^[A-Za-z]$/.test(initial) ? `${initial.toUpperCase()}.` : initial;
    return child.term === 'student' ? `Pupil ${shown}` : `Little ${shown}`;
  }
  return child.term === 'student' ? `${initial}同学` : `${initial}小朋友`;
}

export function valueProblem(fen: number | null): 'valueInvalid' | 'valueTooSmall' | 'valueTooLarge' | null {
  if (fen === null || !Number.isSafeInteger(fen)) return 'valueInvalid';
  if (fen < WISH_VALUE_MIN_FEN) return 'valueTooSmall';
  if (fen > WISH_VALUE_MAX_FEN) return 'valueTooLarge';
  return null;
}

/**
 * Public text must not identify the child: no phone numbers (11 digits starting 1), no ID card
 * numbers (15 or 18 characters of digits, maybe ending X), no house numbers (号楼, 单元, 室 after digits).
 */
export function identifyingDetail(text: string): boolean {
  const compact = text.replace(/[\s-]/g, '');
  return /1[3-9]\d{9}/.test(compact) || /\d{17}[\dXx]|\d{15}/.test(compact) || /\d+\s*(号楼|单元|室|栋)/.test(text);
}

/** The display name a claim shows, from the choice: the account's name, the unit's, or none. */
export function claimDisplayName(choice: DisplayChoice, accountName: string, unitName: string | undefined): string {
  if (choice === 'account') return accountName.trim().slice(0, UNIT_NAME_MAX);
  if (choice === 'unit') return (unitName ?? '').trim().slice(0, UNIT_NAME_MAX);
  return '';
}

export function deliveryDue(claimedAt: Date): Date {
  return new Date(claimedAt.getTime() + DELIVER_WITHIN_DAYS * 86_400_000);
}
