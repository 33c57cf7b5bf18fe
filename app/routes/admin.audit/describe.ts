import { OBJECT_ID_TEXT, REF_FIELDS, SCOPE_KINDS, TARGET_KINDS, type AuditRecord, type RefKind, type ResolvedRef, type ResolvedRefs } from '~/core/audit';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';

/**
 * Turns an audit entry into what a committee member reads: a sentence in the page's language
 * ("王芳 将提案《社区食堂助餐》标记为通过审查"), with the people and objects as links, and the
 * changes as translated fields with before and after. Pure: the loader passes a `t` for the
 * visitor's language and the objects the entries mention, resolved in a few batched queries
 * (app/core/audit.server.ts). Knows action names and generic kinds of object, no feature.
 *
 * Never shows a secret: fields that hold one are dropped or shown as "recorded", phone numbers
 * in any text are masked, and an id that names no known object reads as "an internal record".
 */

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface LinkPart {
  text: string;
  href: string | null;
  detail?: string | null;
}
export type Part = string | LinkPart;

export interface Change {
  field: string;
  /** Null when the entry records no value on that side (a creation, a removal). */
  before: string | null;
  after: string | null;
}

export interface DescribedEntry {
  id: string;
  at: string;
  action: string;
  /** For the "every entry about this object" link. */
  targetId: string | null;
  sentence: Part[];
  changes: Change[];
  reason: string | null;
  /** Done on a kiosk: its name ('' when it is gone); else null. */
  kiosk: string | null;
}

/** Every action the app writes, each with a sentence in admin.json (audit.actions.*); the rest read generically. */
export const KNOWN_ACTIONS = [
  'ballot.assistedReplaced',
  'ballot.entered',
  'ballot.voided',
  'comment.hidden',
  'comment.unhidden',
  'competition.corrected',
  'competition.coverChanged',
  'competition.created',
  'competition.phaseAdvanced',
  'competition.updated',
  'helper.applied',
  'helper.certified',
  'helper.revoked',
  'judging.assigned',
  'judging.recused',
  'judging.rubricChanged',
  'judging.sheetReopened',
  'kiosk.actCompleted',
  'kiosk.enrolled',
  'kiosk.revoked',
  'kiosk.signedIn',
  'milestonePlan.approved',
  'milestonePlan.rejected',
  'milestonePlan.returned',
  'milestonePlan.saved',
  'milestonePlan.submitted',
  'milestoneReport.approved',
  'milestoneReport.changesRequested',
  'milestoneReport.expenseReleased',
  'milestoneReport.saved',
  'milestoneReport.submitted',
  'need.cited',
  'need.claimed',
  'need.done',
  'need.fulfilled',
  'need.raised',
  'need.rejected',
  'need.released',
  'need.reopened',
  'need.uncited',
  'need.verified',
  'need.withdrawn',
  'needCategory.added',
  'needCategory.saved',
  'organization.checklistSaved',
  'organization.created',
  'organization.itemConfirmed',
  'organization.itemWithdrawn',
  'organization.memberAdded',
  'organization.memberNameShown',
  'organization.memberRemoved',
  'organization.sessionRecorded',
  'organization.stageMoved',
  'organization.updated',
  'pledge.allocated',
  'pledge.delivered',
  'pledge.offered',
  'pledge.recorded',
  'pledge.withdrawn',
  'project.budgetAdjusted',
  'project.datesChanged',
  'project.mentorAssigned',
  'project.organizationNamed',
  'project.statusChanged',
  'projectClosing.closed',
  'projectClosing.returned',
  'projectClosing.saved',
  'projectClosing.submitted',
  'proposal.merged',
  'proposal.screened',
  'resident.accountClaimed',
  'resident.claimCodeIssued',
  'resident.lookedUp',
  'resident.registeredOffline',
  'resident.verificationRevoked',
  'resident.verified',
  'resident.verifiedByCode',
  'results.published',
  'role.granted',
  'role.revoked',
  'team.invitationCancelled',
  'team.invitationDeclined',
  'team.invited',
  'team.joined',
  'team.left',
  'team.memberRemoved',
  'user.identifierChanged',
  'user.identifierProven',
  'user.identifierReleased',
  'user.passwordChanged',
  'user.passwordReset',
  'user.totpDisabled',
  'user.totpEnabled',
  'user.unlocked',
  'verificationCodes.generated',
  'volunteer.activityCancelled',
  'volunteer.activityPublished',
  'volunteer.checkedIn',
  'volunteer.serviceLogged',
  'volunteer.slotsChanged',
  'voting.rulesChanged',
  'wish.claimed',
  'wish.confirmed',
  'wish.delivered',
  'wish.registered',
  'wish.released',
  'wish.withdrawn',
] as const;
const KNOWN = new Set<string>(KNOWN_ACTIONS);

/** Fields that hold a secret (a code, a hash, a document number): never shown. */
const DROPPED = new Set(['password', 'passwordHash', 'code', 'codeHash', 'codes', 'token', 'secret', 'pendingSecret', 'claim', 'totp', 'ip']);
/** Fields whose presence matters but whose value is private: shown as "recorded". */
const WITHHELD = new Set(['evidence', 'document', 'documentNumber']);
/** Fields that carry nothing a reader can use (an upload's id, a hash, a flag the sentence says). */
const OMITTED = new Set(['inputsHash', 'coverFileId', 'bulk']);
/** What the sentence already says, per action. */
const SAID: Record<string, readonly string[]> = {
  'comment.hidden': ['hidden'],
  'comment.unhidden': ['hidden'],
  'competition.corrected': ['setting', 'phases'],
  'competition.phaseAdvanced': ['phases'],
  'role.granted': ['role', 'scopeType', 'scopeId'],
  'role.revoked': ['role', 'scopeType', 'scopeId'],
  'user.identifierChanged': ['kind'],
  'user.identifierProven': ['kind'],
  'user.identifierReleased': ['kind'],
  'ballot.entered': ['voter', 'channel', 'serial'],
  'ballot.voided': ['voter'],
  'resident.lookedUp': ['by', 'found'],
  'resident.registeredOffline': ['community'],
  'kiosk.enrolled': ['name', 'street'],
  'kiosk.revoked': ['name'],
  'kiosk.signedIn': ['method'],
  'kiosk.actCompleted': ['act'],
};
const MONEY = new Set(['spent', 'budget', 'ballotBudget']);
/** Brackets a link's index in a translated sentence (a private-use character no text contains). */
const MARK = '\uE000';
const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Phone numbers inside free text, masked as everywhere else (138****5678). */
export function maskPhones(text: string): string {
  return text.replace(PHONE, '$1****$2');
}

interface Context {
  t: Translate;
  language: Language;
  refs: ResolvedRefs;
  entry: AuditRecord;
}

export function describeEntry(entry: AuditRecord, refs: ResolvedRefs, t: Translate, language: Language): DescribedEntry {
  const ctx: Context = { t, language, refs, entry };
  return {
    id: entry.id,
    at: entry.at,
    action: entry.action,
    targetId: entry.targetId && OBJECT_ID_TEXT.test(entry.targetId) ? entry.targetId : null,
    sentence: sentenceOf(ctx),
    changes: changesOf(ctx),
    reason: entry.reason ? maskPhones(entry.reason) : null,
    kiosk: entry.kiosk ?? null,
  };
}

/** The action's name for the filter list: translated when known, else the code as written. */
export function actionLabel(action: string, t: Translate): string {
  return KNOWN.has(action) ? t(`admin:audit.actionNames.${action}`) : action;
}

function sentenceOf(ctx: Context): Part[] {
  const { entry, t } = ctx;
  const after = fieldsOf(entry.after);
  const before = fieldsOf(entry.before);
  const target = targetPart(ctx);
  const links: LinkPart[] = [];
  // Links go into the translation as tokens, so the language decides where they stand.
  const token = (part: LinkPart) => `${MARK}${links.push(part) - 1}${MARK}`;
  const vars: Record<string, unknown> = {
    actor: token(personPart(ctx, entry.actor) ?? { text: t('admin:audit.system'), href: null }),
    target: token(target),
  };
  const ref = (id: unknown, kind: RefKind) => token(refPart(ctx, typeof id === 'string' ? id : null, kind));
  const targetRef = entry.targetId ? ctx.refs[entry.targetId.toLowerCase()] : undefined;
  if (targetRef?.person) vars.person = ref(targetRef.person, 'user');
  if (targetRef?.competition) vars.competition = ref(targetRef.competition, 'competition');
  const pick = (name: string) => after[name] ?? before[name];
  const value = (field: string) => formatValue(ctx, field, pick(field));
  let context: string | undefined;
  switch (entry.action) {
    case 'proposal.screened':
      context = typeof after.status === 'string' ? after.status : undefined;
      vars.bulk = after.bulk ? t('admin:audit.bulk') : '';
      break;
    case 'proposal.merged':
      vars.into = ref(after.mergedInto, 'proposal');
      break;
    case 'role.granted':
    case 'role.revoked':
      vars.role = value('role');
      vars.scope = scopeText(ctx, pick('scopeType'), pick('scopeId'));
      break;
    case 'user.identifierChanged':
    case 'user.identifierProven':
    case 'user.identifierReleased':
      vars.kind = value('kind');
      break;
    case 'competition.phaseAdvanced':
      vars.from = formatValue(ctx, 'phase', before.phase);
      vars.to = formatValue(ctx, 'phase', after.phase);
      break;
    case 'competition.corrected':
      vars.setting = settingLabel(ctx, pick('setting'));
      break;
    case 'ballot.entered':
      vars.person = ref(after.voter, 'user');
      vars.channel = value('channel');
      vars.serial = typeof after.serial === 'string' ? after.serial : '—';
      break;
    case 'ballot.voided':
      vars.person ??= ref(before.voter, 'user');
      break;
    case 'resident.lookedUp':
      vars.by = value('by');
      vars.count = typeof after.found === 'number' ? after.found : 0;
      break;
    case 'resident.registeredOffline':
      vars.community = value('community');
      break;
    case 'kiosk.enrolled':
    case 'kiosk.revoked':
      vars.name = typeof after.name === 'string' ? after.name : '—';
      break;
    case 'kiosk.signedIn':
      context = typeof after.method === 'string' ? after.method : undefined;
      break;
    case 'kiosk.actCompleted':
      context = typeof after.act === 'string' ? after.act : undefined;
      break;
    case 'verificationCodes.generated':
      vars.count = typeof after.count === 'number' ? after.count : 0;
      break;
  }
  const known = KNOWN.has(entry.action);
  const text = known
    ? t(`admin:audit.actions.${entry.action}`, { ...vars, context })
    : t('admin:audit.actions.unknown', { ...vars, action: entry.action });
  return text
    .split(new RegExp(`${MARK}(\\d+)${MARK}`))
    .map((piece, i) => (i % 2 === 1 ? links[Number(piece)]! : piece))
    .filter((piece) => piece !== '');
}

function fieldsOf(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

function nameOf(ref: ResolvedRef, language: Language): string {
  return pickText(ref.name, language);
}

/** The actor links to their account; their masked number would only crowd the sentence. */
function personPart(ctx: Context, id: string | null): LinkPart | null {
  if (!id) return null;
  return { ...refPart(ctx, id, 'user'), detail: null };
}

function refPart(ctx: Context, id: string | null, kind: RefKind): LinkPart {
  const ref = id ? ctx.refs[id.toLowerCase()] : undefined;
  if (!ref || ref.kind !== kind) return { text: ctx.t(`admin:audit.gone.${kind}`), href: null };
  return { text: nameOf(ref, ctx.language), href: ref.href, detail: ref.detail ?? null };
}

/** What the entry acted on; a comment reads as its proposal, a ballot as its voter, a sheet as its proposal. */
function targetPart(ctx: Context): LinkPart {
  const { entry, t } = ctx;
  const kind = TARGET_KINDS[entry.targetType];
  if (!kind) return { text: t('admin:audit.unknownTarget', { type: entry.targetType }), href: null };
  const ref = entry.targetId ? ctx.refs[entry.targetId.toLowerCase()] : undefined;
  if (!ref) return { text: t(`admin:audit.gone.${kind}`), href: null };
  if (kind === 'comment' || kind === 'sheet') return refPart(ctx, ref.proposal ?? null, 'proposal');
  if (kind === 'ballot') return refPart(ctx, ref.competition ?? null, 'competition');
  return refPart(ctx, entry.targetId, kind);
}

function scopeText(ctx: Context, scopeType: unknown, scopeId: unknown): string {
  const type = typeof scopeType === 'string' ? scopeType : 'platform';
  const label = ctx.t(`admin:roles.scope.${type}`, { defaultValue: type });
  const kind = SCOPE_KINDS[type];
  if (!kind || typeof scopeId !== 'string') return label;
  return `${label} ${refPart(ctx, scopeId, kind).text}`;
}

function changesOf(ctx: Context): Change[] {
  const { entry, t } = ctx;
  const before = fieldsOf(entry.before);
  const after = fieldsOf(entry.after);
  const said = new Set(SAID[entry.action] ?? []);
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (field) => !DROPPED.has(field) && !OMITTED.has(field) && !said.has(field),
  );
  const changes: Change[] = [];
  for (const field of fields) {
    const was = before[field];
    const now = after[field];
    if (entry.before && entry.after && sameValue(was, now)) continue;
    const show = (value: unknown, present: boolean) => {
      if (!present) return null;
      if (WITHHELD.has(field)) return value === null || value === undefined || value === '' ? '—' : t('admin:audit.withheld');
      return formatValue(ctx, field, value);
    };
    changes.push({
      field: fieldLabel(ctx, field, before.setting ?? after.setting),
      before: show(was, field in before && entry.before !== null),
      after: show(now, field in after && entry.after !== null),
    });
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function fieldLabel(ctx: Context, field: string, setting: unknown): string {
  if (field === 'value' && typeof setting === 'string') return settingLabel(ctx, setting);
  return ctx.t(`admin:audit.fields.${field}`, { defaultValue: humanize(field) });
}

/** A corrected setting: the budget, the streets, or a phase's start or end ("start:voting"). */
function settingLabel(ctx: Context, setting: unknown): string {
  if (typeof setting !== 'string') return ctx.t('admin:audit.fields.value');
  const [kind = '', phase] = setting.split(':');
  const options = { phase: phase ? codeLabel(ctx, 'phase', phase) : '', defaultValue: ctx.t('admin:audit.fields.value') };
  return ctx.t(`admin:audit.settings.${kind}`, options);
}

/** `maxChoices` -> "max choices": an unknown field still reads as words. */
function humanize(field: string): string {
  return field
    .replace(/Fen$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]/g, ' ')
    .toLowerCase();
}

function isMoney(ctx: Context, field: string): boolean {
  if (/Fen$/.test(field) || MONEY.has(field)) return true;
  return field === 'value' && [fieldsOf(ctx.entry.before).setting, fieldsOf(ctx.entry.after).setting].includes('budget');
}

function isDateField(field: string): boolean {
  return /(At|From|Until|On)$/.test(field) || field === 'day' || field === 'startsAt' || field === 'endsAt';
}

/** A translation of a coded value (a status, a phase, a role), or the code as written. */
function codeLabel(ctx: Context, field: string, code: string): string {
  const { t, entry } = ctx;
  const targetKind = TARGET_KINDS[entry.targetType];
  const key = (() => {
    switch (field) {
      case 'status':
        if (entry.action.startsWith('wish.')) return `wishes:status.${code}`;
        if (targetKind === 'proposal' && entry.action.startsWith('judging.')) return `judging:status.${code}`;
        if (targetKind === 'sheet') return `judging:status.${code}`;
        return `proposals:status.${code}`;
      case 'phase':
        return `common:phase.${code}`;
      case 'role':
        return `common:role.${code}`;
      case 'scopeType':
        return `admin:roles.scope.${code}`;
      case 'channel':
        return `voting:channel.${code}`;
      case 'method':
        if (entry.action.startsWith('resident.')) return `voting:verifyMethod.${code}`;
        if (entry.action === 'results.published') return `results:method.${code}`;
        return `voting:method.${code}`;
      case 'kind':
        if (entry.action === 'judging.recused') return `judging:conflict.kinds.${code}`;
        if (entry.action.startsWith('wish.')) return `wishes:kind.${code}`;
        return `admin:audit.values.identifier.${code}`;
      case 'by':
        return `admin:audit.values.identifier.${code}`;
      default:
        return `admin:audit.values.${field}.${code}`;
    }
  })();
  return t(key, { defaultValue: code });
}

function formatValue(ctx: Context, field: string, value: unknown): string {
  const { t, language } = ctx;
  const list = (items: string[]) => (items.length ? items.join(language === 'zh' ? '、' : ', ') : '—');
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    if (field === 'phases') return list(value.map((p) => phaseText(ctx, p)));
    if (field === 'funded') return list(value.map((n) => `#${String(n)}`));
    return list(value.map((item) => formatValue(ctx, field, item)));
  }
  if (typeof value === 'boolean') return t(value ? 'admin:audit.yes' : 'admin:audit.no');
  if (typeof value === 'number') return isMoney(ctx, field) ? formatMoney(value, language) : formatNumber(value, language);
  if (typeof value === 'string') {
    const kind = REF_FIELDS[field];
    if (OBJECT_ID_TEXT.test(value)) return kind ? refPart(ctx, value, kind).text : idText(ctx, value);
    if (field === 'scope' && value.includes(':')) {
      const [type = '', id = ''] = value.split(':');
      return scopeText(ctx, type, id);
    }
    if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) {
      return formatDate(value, language, isDateField(field) && /At$/.test(field) ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    }
    if (/^[a-zA-Z][a-zA-Z]*$/.test(value) && field !== 'comment' && field !== 'reason') return codeLabel(ctx, field, value);
    return maskPhones(value);
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.zh === 'string') return maskPhones(pickText(record as unknown as LocalizedText, language));
    if (typeof record.criterion === 'string' && typeof record.score === 'number') return `${record.criterion} ${formatNumber(record.score, language)}`;
    if ('name' in record) {
      const name = typeof record.name === 'string' ? record.name : pickText(record.name as LocalizedText, language);
      return typeof record.weight === 'number' ? t('admin:audit.weighted', { name, weight: record.weight }) : name;
    }
    const parts = Object.entries(record)
      .filter(([key]) => !DROPPED.has(key) && !WITHHELD.has(key))
      .map(([key, inner]) => `${fieldLabel(ctx, key, undefined)}: ${formatValue(ctx, key, inner)}`);
    return parts.length ? parts.join(language === 'zh' ? '；' : '; ') : '—';
  }
  return '—';
}

/** An id the page could not name: an object of a kind the page does not resolve (an upload, a project). */
function idText(ctx: Context, id: string): string {
  const ref = ctx.refs[id.toLowerCase()];
  return ref ? nameOf(ref, ctx.language) : ctx.t('admin:audit.internalRecord');
}

function phaseText(ctx: Context, phase: unknown): string {
  const p = fieldsOf(phase);
  const name = typeof p.key === 'string' ? codeLabel(ctx, 'phase', p.key) : '—';
  const day = (value: unknown) => (typeof value === 'string' && ISO_DATE.test(value) ? formatDate(value, ctx.language, { dateStyle: 'medium' }) : '—');
  return `${name} ${day(p.startsAt)}–${day(p.endsAt)}`;
}
