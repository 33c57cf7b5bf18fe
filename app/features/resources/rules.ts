/**
 * Charity resources (issue 17; docs/decisions/031-resources-and-pledges.md): pure rules shared
 * by the services, the forms and the pages. Money is integer fen.
 */
export const PARTNER_KINDS = ['fund', 'enterprise', 'organization', 'individual'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PLEDGE_KINDS = ['money', 'inKind'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

export const PLEDGE_STATUSES = ['pledged', 'delivered', 'withdrawn'] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/** The overview's status filter: the stored statuses plus "overdue" (pledged, past its date). */
export const PLEDGE_FILTERS = [...PLEDGE_STATUSES, 'overdue'] as const;
export type PledgeFilter = (typeof PLEDGE_FILTERS)[number];

export const PARTNER_NAME_MAX = 60;
export const PLEDGE_ITEM_MAX = 60;
export const PLEDGE_UNIT_MAX = 10;
export const PLEDGE_NOTE_MAX = 500;
/** One pledge at most ¥10,000,000 (or that estimated value): a typo of many zeros is refused. */
export const PLEDGE_VALUE_MAX_FEN = 1_000_000_000;
export const PLEDGE_QUANTITY_MAX = 100_000;
/** A due date at most two years ahead. */
export const DUE_AHEAD_MAX_DAYS = 730;
export const PLEDGES_PAGE_SIZE = 20;
export const PLEDGE_LIST_MAX = 50;

/** The 崂善行 public-welfare fund: one seeded partner of kind `fund`, found by this key. */
export const DISTRICT_FUND_KEY = 'fund:laoshanxing';

/** A group of pledges as the money rules read it: their status, kind, partner kind and summed value. */
export interface PledgeFigure {
  partnerKind: PartnerKind;
  kind: PledgeKind;
  status: PledgeStatus;
  valueFen: number;
}

/** Pledged and not delivered by the end of its due date (stored as that day's end). */
export function isOverdue(p: { status: PledgeStatus; dueAt: Date | string }, now: Date = new Date()): boolean {
  return p.status === 'pledged' && new Date(p.dueAt).getTime() < now.getTime();
}

export interface MoneyBySource {
  /** The competition's budget for this project (its approved budget). */
  budgetFen: number;
  /** Delivered allocations of the 崂善行 fund. */
  fundFen: number;
  /** Delivered money pledges of enterprises, organizations and individuals. */
  pledgedMoneyFen: number;
  /** Delivered in-kind contributions at their estimated value. */
  inKindFen: number;
  /** The sum of the four parts above: what the project has to work with. */
  totalFen: number;
  /** Promised (status pledged) and not yet delivered: shown apart, never in the total. */
  outstandingFen: number;
}

/**
 * The project's money by source: the budget, the fund's delivered allocations, delivered money
 * pledges and delivered in-kind value. Withdrawn pledges count nowhere; pledged ones only as
 * outstanding. The total is the sum of the parts by construction.
 */
export function moneyBySource(budgetFen: number, figures: readonly PledgeFigure[]): MoneyBySource {
  let fundFen = 0;
  let pledgedMoneyFen = 0;
  let inKindFen = 0;
  let outstandingFen = 0;
  for (const p of figures) {
    if (p.status === 'pledged') outstandingFen += p.valueFen;
    if (p.status !== 'delivered') continue;
    if (p.kind === 'inKind') inKindFen += p.valueFen;
    else if (p.partnerKind === 'fund') fundFen += p.valueFen;
    else pledgedMoneyFen += p.valueFen;
  }
  return { budgetFen, fundFen, pledgedMoneyFen, inKindFen, totalFen: budgetFen + fundFen + pledgedMoneyFen + inKindFen, outstandingFen };
}

/** Who may record what on a project's pledges. */
export interface PledgeActor {
  /** On this project's team (or holds its `project:report` grant). */
  team: boolean;
  /** The committee of the project's competition, or `resource:manage` (district staff, admins). */
  committee: boolean;
  /** The account that offered this pledge itself. */
  pledger: boolean;
}

/** Delivery is confirmed by the people who received it: the team or the committee, never the pledger alone. */
export const mayConfirmDelivery = (a: PledgeActor) => a.team || a.committee;
/** A promise is taken back by whoever made it or recorded it: the pledger, the team, the committee. */
export const mayWithdraw = (a: PledgeActor) => a.team || a.committee || a.pledger;
/** A receipt is private: the team, the committee and the pledger. */
export const maySeeReceipt = (a: PledgeActor) => a.team || a.committee || a.pledger;

/** A due date typed as YYYY-MM-DD, stored as the end of that day in Asia/Shanghai (UTC 15:59:59.999). */
export function parseDueDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  // The end of that day in UTC+8 is 15:59:59.999 UTC of the same date.
  return new Date(utc + 16 * 3_600_000 - 1);
}

/** A date as YYYY-MM-DD in Asia/Shanghai, for a date input. */
export function dateInputValue(value: Date | string): string {
  return new Date(new Date(value).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The year (Asia/Shanghai) a figure is counted in. */
export function shanghaiYear(value: Date | string): number {
  return new Date(new Date(value).getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** A list's `?page=`: a positive integer up to 1000, else the first page. */
export function pageNumber(raw: string | null): number {
  const n = Number(raw ?? '1');
  return Number.isSafeInteger(n) && n >= 1 && n <= 1000 ? n : 1;
}
