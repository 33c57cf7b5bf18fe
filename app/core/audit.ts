import type { LocalizedText } from './locales';

/**
 * What the audit page needs to know about an entry's shape, shared by the server that resolves
 * the ids and the page that describes the entry: the generic kinds of object an entry points
 * at, and which fields of `before` / `after` hold the id of such an object. Knows no feature.
 */
export const REF_KINDS = ['user', 'proposal', 'competition', 'comment', 'ballot', 'sheet', 'street', 'community'] as const;
export type RefKind = (typeof REF_KINDS)[number];

/** An entry's targetType, as the services write it, to the kind of object. */
export const TARGET_KINDS: Record<string, RefKind> = {
  User: 'user',
  Proposal: 'proposal',
  Competition: 'competition',
  comment: 'comment',
  Comment: 'comment',
  Ballot: 'ballot',
  JudgingSheet: 'sheet',
};

/** Fields of before/after whose value is the id (or ids) of an object of this kind. */
export const REF_FIELDS: Record<string, RefKind> = {
  voter: 'user',
  enteredBy: 'user',
  by: 'user',
  member: 'user',
  judges: 'user',
  coAuthorsAdded: 'user',
  mentor: 'user',
  mergedInto: 'proposal',
  street: 'street',
  eligibleStreets: 'street',
  community: 'community',
};

/** A role's scope (scopeType + scopeId) or a residency scope key ("competition:<id>"). */
export const SCOPE_KINDS: Record<string, RefKind> = { competition: 'competition', street: 'street', community: 'community' };

export const OBJECT_ID_TEXT = /^[0-9a-f]{24}$/i;

/** An object an entry mentions, as the page shows it. */
export interface ResolvedRef {
  kind: RefKind;
  name: LocalizedText;
  href: string | null;
  /** A person's masked phone number or address, to tell same-named people apart. */
  detail?: string | null;
  /** Comment -> its proposal; ballot -> its voter and competition; sheet -> judge and proposal. */
  proposal?: string | null;
  competition?: string | null;
  person?: string | null;
}

export type ResolvedRefs = Record<string, ResolvedRef>;

/** An entry as the page receives it: ids as strings, dates as ISO strings, no IP address. */
export interface AuditRecord {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  /** The name of the kiosk (shared tablet) the act was done on, if any (decision 032). */
  kiosk?: string | null;
}

/** The ids an entry mentions, by kind (what its target is, and what its fields point at). */
export function refsOf(entry: Pick<AuditRecord, 'actor' | 'targetType' | 'targetId' | 'before' | 'after'>): Array<[RefKind, string]> {
  const found: Array<[RefKind, string]> = [];
  const add = (kind: RefKind, value: unknown) => {
    if (typeof value === 'string' && OBJECT_ID_TEXT.test(value)) found.push([kind, value]);
  };
  if (entry.actor) add('user', entry.actor);
  const targetKind = TARGET_KINDS[entry.targetType];
  if (targetKind && entry.targetId) add(targetKind, entry.targetId);
  for (const side of [entry.before, entry.after]) {
    if (!side || typeof side !== 'object' || Array.isArray(side)) continue;
    const fields = side as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      const kind = REF_FIELDS[field];
      if (kind) for (const one of Array.isArray(value) ? value : [value]) add(kind, one);
    }
    const scopeKind = typeof fields.scopeType === 'string' ? SCOPE_KINDS[fields.scopeType] : undefined;
    if (scopeKind) add(scopeKind, fields.scopeId);
    if (typeof fields.scope === 'string') {
      const [kind = '', id] = fields.scope.split(':');
      if (SCOPE_KINDS[kind]) add(SCOPE_KINDS[kind], id);
    }
  }
  return found;
}
