/**
 * The needs whistle's vocabulary (红哨子), shared by models, services and components. No server
 * imports: components use it for labels and filters.
 */
import type { LocalizedText } from '~/core/locales';

/** Urgency, as a grid worker judges it: how soon someone should answer. */
export const NEED_URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;
export type NeedUrgency = (typeof NEED_URGENCIES)[number];

/**
 * pending: raised, waiting for a community worker's verification (never public);
 * rejected: found not authentic (never public);
 * open: verified and on the board, waiting for a helper;
 * claimed: a certified helper is answering it (one at a time);
 * done: the helper reported what was done; the whistle-blower confirms or reopens;
 * fulfilled: confirmed; withdrawn: the whistle-blower took it back before a claim.
 */
export const NEED_STATUSES = ['pending', 'rejected', 'open', 'claimed', 'done', 'fulfilled', 'withdrawn'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** The statuses the public board and a need's public page show. */
export const PUBLIC_NEED_STATUSES = ['open', 'claimed', 'done', 'fulfilled'] as const satisfies readonly NeedStatus[];

/** Whether a need in this status is on the board and its page is public. */
export const isPublicNeedStatus = (status: string): boolean => (PUBLIC_NEED_STATUSES as readonly string[]).includes(status);

/**
 * A need as the board, the work lists and a proposal's page show it, built by the services from Need documents only
 * (never NeedDetail): the public fields, its places by name, dates as ISO strings.
 */
export interface NeedCard {
  number: number;
  category: string;
  urgency: NeedUrgency;
  status: NeedStatus;
  street: LocalizedText | null;
  community: LocalizedText | null;
  description: string;
  publishedAt: string | null;
  escalated: boolean;
}

/** Who raises needs (the whistle-blowers of DOMAIN.md). */
export const RAISER_KINDS = ['gridWorker', 'partyRep', 'residentRep', 'socialOrg'] as const;
export type RaiserKind = (typeof RAISER_KINDS)[number];

/** Who may be certified to claim needs. */
export const HELPER_KINDS = ['organization', 'enterprise', 'individual'] as const;
export type HelperKind = (typeof HELPER_KINDS)[number];
export const HELPER_STATUSES = ['pending', 'certified', 'revoked'] as const;
export type HelperStatus = (typeof HELPER_STATUSES)[number];

export const NEED_DESCRIPTION_MAX = 600;
export const NEED_NOTE_MAX = 1000;
export const NEED_GRID_MAX = 40;
export const NEED_PRIVATE_MAX = 200;
export const NEED_SITUATION_MAX = 2000;
export const NEED_PHOTOS_MAX = 3;
export const HELPER_REVOKE_REASON_MAX = 500;
/** A helper answers at most this many needs at a time, so one claimer cannot sit on the board. */
export const HELPER_OPEN_CLAIMS_MAX = 5;
export const NEEDS_PAGE = 20;
/** A proposal cites at most this many needs it answers (each a slot of NeedLink's unique index). */
export const MAX_CITED_NEEDS = 5;

/**
 * The 20 service categories of the district's needs assessment (DOMAIN.md: 20 types of needs),
 * the seed of the editable NeedCategory collection.
 */
export const DEFAULT_NEED_CATEGORIES: readonly { code: string; zh: string; en: string }[] = [
  { code: 'health', zh: '健康管理', en: 'Health care' },
  { code: 'medicalVisit', zh: '就医陪诊', en: 'Going to the doctor' },
  { code: 'resourceLinking', zh: '资源链接', en: 'Linking to resources' },
  { code: 'emotionalComfort', zh: '情绪疏导', en: 'Emotional comfort' },
  { code: 'volunteerService', zh: '志愿服务', en: 'Volunteer service' },
  { code: 'meals', zh: '助餐送餐', en: 'Meals' },
  { code: 'housekeeping', zh: '家政保洁', en: 'Housekeeping' },
  { code: 'homeCare', zh: '居家照护', en: 'Care at home' },
  { code: 'safetyVisit', zh: '安全探访', en: 'Safety visits' },
  { code: 'homeAdaptation', zh: '适老化改造', en: 'Home adaptation' },
  { code: 'rehabilitation', zh: '康复护理', en: 'Rehabilitation' },
  { code: 'counselling', zh: '心理咨询', en: 'Counselling' },
  { code: 'legalAid', zh: '法律援助', en: 'Legal aid' },
  { code: 'policyAdvice', zh: '政策咨询', en: 'Policy advice' },
  { code: 'employment', zh: '就业帮扶', en: 'Finding work' },
  { code: 'tutoring', zh: '学业辅导', en: 'Tutoring' },
  { code: 'childCare', zh: '儿童照护', en: 'Child care' },
  { code: 'materialAid', zh: '物资援助', en: 'Material aid' },
  { code: 'errands', zh: '代办跑腿', en: 'Errands' },
  { code: 'socialInclusion', zh: '社会融入', en: 'Social inclusion' },
];
