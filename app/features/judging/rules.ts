import type { LocalizedText } from '~/core/locales';

/**
 * The judging rubric and score sheets (issue 6), as plain rules shared by the model, the
 * services and the forms. Scores are whole numbers on a 1–10 scale; weights are percentages.
 */
export const SCORE_MIN = 1;
export const SCORE_MAX = 10;
export const MAX_CRITERIA = 10;
/** The committee aims at this many non-recused judges per proposal. */
export const MIN_JUDGES_PER_PROPOSAL = 3;

export const SHEET_STATUSES = ['assigned', 'draft', 'submitted', 'recused'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];

/**
 * Why a judge is recused: declared by the judge, or automatic: `author` (the judge is one of the
 * proposal's authors) or `organization` (the judge is a member of the registry organization the
 * proposal names; decision 025).
 */
export const CONFLICT_KINDS = ['sameCommunity', 'authorRelation', 'sameOrganization', 'author', 'organization'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const DECLARABLE_CONFLICTS = ['sameCommunity', 'authorRelation', 'sameOrganization'] as const satisfies readonly ConflictKind[];

export interface Criterion {
  /** Stable id of the criterion inside its competition: score sheets refer to it. */
  key: string;
  name: LocalizedText;
  /** Percent; the weights of a rubric sum to 100. */
  weight: number;
  /** What a low (1–3), middle (4–7) and high (8–10) score means. */
  anchors: { low: LocalizedText; mid: LocalizedText; high: LocalizedText };
}

export interface Rubric {
  criteria: Criterion[];
  /** Per-judge z-score normalisation, so lenient and harsh judges count alike. */
  normalize: boolean;
}

export const CRITERION_KEY = /^[a-z][a-zA-Z0-9]{0,29}$/;

export const DEFAULT_CRITERIA: Criterion[] = [
  {
    key: 'need',
    name: { zh: '需求迫切性', en: 'Need and urgency' },
    weight: 20,
    anchors: {
      low: { zh: '需求不明确或已有服务覆盖', en: 'Need unclear or already served' },
      mid: { zh: '需求真实，但不算紧迫', en: 'Real need, not pressing' },
      high: { zh: '困难群众急需，有事实依据', en: 'Urgent need, backed by facts' },
    },
  },
  {
    key: 'targeting',
    name: { zh: '精准性', en: 'Targeting of beneficiaries' },
    weight: 15,
    anchors: {
      low: { zh: '服务对象泛泛而谈', en: 'Beneficiaries vague' },
      mid: { zh: '服务对象大致明确', en: 'Beneficiaries roughly defined' },
      high: { zh: '对象、人数和需求一一对应', en: 'Who, how many and what they need are clear' },
    },
  },
  {
    key: 'feasibility',
    name: { zh: '可行性', en: 'Feasibility' },
    weight: 15,
    anchors: {
      low: { zh: '计划难以落地', en: 'Plan hard to carry out' },
      mid: { zh: '计划可行，部分环节待明确', en: 'Workable, some steps unclear' },
      high: { zh: '分工、进度、场地都已落实', en: 'Roles, schedule and venue in place' },
    },
  },
  {
    key: 'costEffectiveness',
    name: { zh: '经济性', en: 'Cost-effectiveness' },
    weight: 15,
    anchors: {
      low: { zh: '预算偏高或不清楚', en: 'Budget high or unclear' },
      mid: { zh: '预算基本合理', en: 'Budget mostly reasonable' },
      high: { zh: '花费少、受益多，预算明细合理', en: 'Low cost per person helped, itemised well' },
    },
  },
  {
    key: 'participation',
    name: { zh: '居民参与度', en: 'Resident participation' },
    weight: 15,
    anchors: {
      low: { zh: '居民只是被服务', en: 'Residents only receive' },
      mid: { zh: '有志愿者参与', en: 'Some volunteers involved' },
      high: { zh: '居民和受助者共同设计、共同参与', en: 'Residents and beneficiaries shape and run it' },
    },
  },
  {
    key: 'sustainability',
    name: { zh: '可持续性', en: 'Sustainability' },
    weight: 10,
    anchors: {
      low: { zh: '资金用完即结束', en: 'Ends when the money does' },
      mid: { zh: '有延续的想法', en: 'Some plan to continue' },
      high: { zh: '有组织、有资源，能长期运行', en: 'Organisation and resources to keep going' },
    },
  },
  {
    key: 'innovation',
    name: { zh: '创新性', en: 'Innovation' },
    weight: 10,
    anchors: {
      low: { zh: '常规做法', en: 'Routine approach' },
      mid: { zh: '有一定新意', en: 'Some new ideas' },
      high: { zh: '方法新颖，可以推广', en: 'New approach others could adopt' },
    },
  },
];

export const DEFAULT_RUBRIC: Rubric = { criteria: DEFAULT_CRITERIA, normalize: true };

export function weightTotal(criteria: readonly Pick<Criterion, 'weight'>[]): number {
  return criteria.reduce((sum, c) => sum + c.weight, 0);
}

export function isScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= SCORE_MIN && value <= SCORE_MAX;
}

/**
 * Whether a judge is recused from a proposal without having declared it: they are one of its
 * authors, or a member of the registry organization it names (`members` maps an organization's
 * id to its members' ids). Pure; the callers read memberships in one query for all proposals.
 */
export function automaticRecusal(
  proposal: { authors: readonly { toString(): string }[]; organization?: { ref?: { toString(): string } | null } | null },
  judgeId: string,
  members: ReadonlyMap<string, ReadonlySet<string>>,
): 'author' | 'organization' | null {
  if (proposal.authors.some((a) => String(a) === judgeId)) return 'author';
  const ref = proposal.organization?.ref;
  if (ref && members.get(String(ref))?.has(judgeId)) return 'organization';
  return null;
}

/** The registry organizations these proposals name (for one membership query). */
export const namedOrganizations = (proposals: readonly { organization?: { ref?: { toString(): string } | null } | null }[]) =>
  [...new Set(proposals.flatMap((p) => (p.organization?.ref ? [String(p.organization.ref)] : [])))];
