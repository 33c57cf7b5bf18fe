import mongoose, { type Types } from 'mongoose';
import { AuditLog, Ballot, Comment, Community, Competition, JudgingSheet, Kiosk, Proposal, Street, User } from '#models';
import { OBJECT_ID_TEXT, refsOf, type AuditRecord, type RefKind, type ResolvedRef, type ResolvedRefs } from './audit';
import { maskIdentifier } from './messages.server';
import { currentKiosk } from './session.server';

export interface AuditEntry {
  actor?: Types.ObjectId | string | null;
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  ip?: string;
  /** The kiosk the act was done on; by default the current request's kiosk session's, if any. */
  kiosk?: string | null;
}

/** Records a privileged action. Append-only: nothing in the app updates or deletes entries. */
export async function audit(entry: AuditEntry): Promise<void> {
  const kiosk = entry.kiosk ?? (await currentKiosk());
  await AuditLog.create({ ...entry, kiosk: kiosk ?? undefined });
}

export const AUDIT_PAGE = 50;

export interface AuditFilter {
  action?: string;
  actor?: string;
  targetId?: string;
  page: number;
}

/**
 * One page of the audit log, newest first, filterable by action, actor and target, with every
 * object its entries mention resolved to a name and a link. The number of database round trips
 * does not grow with the page: the page, its count and the filter lists at once, then ids
 * collected per kind and one `$in` query each (comments, ballots and score sheets first, since
 * they lead to a proposal, a person or a competition; proposals' competitions last, for the link).
 */
export async function listAudit(filter: AuditFilter) {
  const query: Record<string, unknown> = {};
  if (filter.action) query.action = filter.action;
  if (filter.actor) query.actor = filter.actor;
  if (filter.targetId) query.targetId = filter.targetId;
  const [entries, total, actions, actorIds] = await Promise.all([
    AuditLog.find(query).sort({ createdAt: -1, _id: -1 }).skip((filter.page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE).lean(),
    AuditLog.countDocuments(query),
    AuditLog.distinct('action'),
    AuditLog.distinct('actor'),
  ]);
  const records: AuditRecord[] = entries.map((e) => ({
    id: String(e._id),
    at: e.createdAt.toISOString(),
    actor: e.actor ? String(e.actor) : null,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    before: plain(e.before),
    after: plain(e.after),
    reason: e.reason ?? null,
    kiosk: e.kiosk ? String(e.kiosk) : null,
  }));
  // Acts done on a kiosk read with the kiosk's name (one query for the page's kiosks).
  const kioskIds = [...new Set(records.flatMap((r) => (r.kiosk ? [r.kiosk] : [])))];
  const kiosks = kioskIds.length ? await Kiosk.find(inIds(kioskIds)).select('name').lean() : [];
  const kioskName = new Map(kiosks.map((k) => [String(k._id), k.name]));
  for (const record of records) if (record.kiosk) record.kiosk = kioskName.get(record.kiosk) ?? '';
  const actorList = actorIds.map(String).filter((id) => OBJECT_ID_TEXT.test(id));
  const refs = await resolveRefs([...records.flatMap(refsOf), ...actorList.map((id): [RefKind, string] => ['user', id])]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE)),
    actions: actions.sort(),
    actors: actorList
      .map((id) => ({ id, name: refs[id]?.name.zh ?? '' }))
      .filter((a) => a.name)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
    entries: records,
    refs,
  };
}

/** Ids and dates as strings, so the page gets plain JSON and the describer sees one shape. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof mongoose.Types.ObjectId) return String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const inIds = (ids: Iterable<string>) => ({ _id: mongoose.trusted({ $in: [...ids].map((id) => new mongoose.Types.ObjectId(id)) }) });

async function findIn<T>(ids: Set<string>, query: (filter: Record<string, unknown>) => Promise<T[]>): Promise<T[]> {
  return ids.size ? query(inIds(ids)) : [];
}

/** Names and links for the mentioned ids, in at most three rounds of one query per kind. */
async function resolveRefs(mentioned: Array<[RefKind, string]>): Promise<ResolvedRefs> {
  const wanted = Object.fromEntries(['user', 'proposal', 'competition', 'comment', 'ballot', 'sheet', 'street', 'community'].map((k) => [k, new Set<string>()])) as Record<RefKind, Set<string>>;
  for (const [kind, id] of mentioned) wanted[kind].add(id.toLowerCase());
  const refs: ResolvedRefs = {};

  const [comments, ballots, sheets] = await Promise.all([
    findIn(wanted.comment, (f) => Comment.find(f).select('proposal').lean()),
    findIn(wanted.ballot, (f) => Ballot.find(f).select('voter competition').lean()),
    findIn(wanted.sheet, (f) => JudgingSheet.find(f).select('judge proposal competition').lean()),
  ]);
  for (const c of comments) {
    wanted.proposal.add(String(c.proposal));
    refs[String(c._id)] = { kind: 'comment', name: { zh: '' }, href: null, proposal: String(c.proposal) };
  }
  for (const b of ballots) {
    wanted.user.add(String(b.voter));
    wanted.competition.add(String(b.competition));
    refs[String(b._id)] = { kind: 'ballot', name: { zh: '' }, href: null, person: String(b.voter), competition: String(b.competition) };
  }
  for (const s of sheets) {
    wanted.user.add(String(s.judge));
    wanted.proposal.add(String(s.proposal));
    refs[String(s._id)] = { kind: 'sheet', name: { zh: '' }, href: null, person: String(s.judge), proposal: String(s.proposal) };
  }

  const [users, proposals, competitions, streets, communities] = await Promise.all([
    findIn(wanted.user, (f) => User.find(f).select('name phone email').lean()),
    findIn(wanted.proposal, (f) => Proposal.find(f).select('number title competition').lean()),
    findIn(wanted.competition, (f) => Competition.find(f).select('slug title').lean()),
    findIn(wanted.street, (f) => Street.find(f).select('name').lean()),
    findIn(wanted.community, (f) => Community.find(f).select('name').lean()),
  ]);
  const missing = new Set(proposals.map((p) => String(p.competition)).filter((id) => !competitions.some((c) => String(c._id) === id)));
  const more = await findIn(missing, (f) => Competition.find(f).select('slug title').lean());
  const slugs = new Map([...competitions, ...more].map((c) => [String(c._id), c.slug]));

  for (const u of users) {
    const identifier = u.phone || u.email;
    refs[String(u._id)] = { kind: 'user', name: { zh: u.name }, href: `/admin/users/${String(u._id)}`, detail: identifier ? maskIdentifier(identifier) : null };
  }
  for (const c of competitions) refs[String(c._id)] = { kind: 'competition', name: c.title, href: `/competitions/${c.slug}` };
  for (const p of proposals) {
    const slug = slugs.get(String(p.competition));
    refs[String(p._id)] = {
      kind: 'proposal',
      name: { zh: p.title },
      href: slug ? `/competitions/${slug}/proposals/${p.number}` : null,
      competition: String(p.competition),
    };
  }
  for (const s of streets) refs[String(s._id)] = { kind: 'street', name: s.name, href: null };
  for (const c of communities) refs[String(c._id)] = { kind: 'community', name: c.name, href: null };
  return refs satisfies Record<string, ResolvedRef>;
}
