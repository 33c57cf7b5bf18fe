import mongoose, { Types } from 'mongoose';
import { Community, Residency, User } from '#models';
import { escapeRegex } from '~/utils/regex';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import type { LocalizedText } from '~/core/locales';
import { hasPermission } from '~/core/permissions.server';
import { maskIdentifier } from '~/core/messages.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import type { ScopeRef } from './residency.schema';
import { covers, describeScopes, mayRevoke, resolveScope, VIEW_FIELDS, type Place, type Resolved, type StoredVerification, type VerificationView } from './verification.server';

/**
 * Finding the residents a grid worker or committee member may verify or enter a ballot for: by
 * name, or by a whole phone number or e-mail (limited and audited), never by part of a number.
 */

/**
 * A whole phone number or e-mail address finds its resident at most this often per searcher, and
 * each such look-up is audited; parts of a number find nothing, so a number cannot be rebuilt
 * digit by digit through the search.
 */
export const IDENTIFIER_LOOKUP_LIMIT: Limit = { max: 20, windowMs: 60 * 60 * 1000 };

/** `hint` tells same-named residents apart: their masked number (139****0001) or address. */
type Found = { id: string; name: string; hint: string; community: LocalizedText; place: Place };
type Search = { found: Found[]; reason: 'lookupLimited' | null };

type Areas = { streets: string[]; communities: string[] };

/**
 * Residents with a community, found by name or by a whole phone number or e-mail (limited and
 * audited); with no query, the residents of the given areas when `listAreas`. In name order, at
 * most 100; callers keep those whose community lies where they may act.
 */
async function searchResidents(actor: SessionUser, query: string, areas: Areas | null, listAreas: boolean, ip?: string): Promise<Search> {
  const filter: Record<string, unknown> = { 'roles.role': 'resident', community: mongoose.trusted({ $exists: true }) };
  const q = query.trim();
  const identifier = q ? normalizeIdentifier(q) : null;
  if (!q && !(listAreas && areas)) return { found: [], reason: null };
  if (identifier) {
    const attempt = await consumeAttempt(`residentLookup:${actor.id}`, IDENTIFIER_LOOKUP_LIMIT);
    if (!attempt.allowed) return { found: [], reason: 'lookupLimited' };
    filter[identifier.kind] = identifier.value;
  } else if (q) filter.name = mongoose.trusted({ $regex: escapeRegex(q) });
  else if (areas) {
    const streets = areas.streets.map((id) => new Types.ObjectId(id));
    const communities = areas.communities.map((id) => new Types.ObjectId(id));
    if (streets.length && communities.length) filter.$or = [{ street: mongoose.trusted({ $in: streets }) }, { community: mongoose.trusted({ $in: communities }) }];
    else if (streets.length) filter.street = mongoose.trusted({ $in: streets });
    else filter.community = mongoose.trusted({ $in: communities });
  }
  const users = await User.find(filter).select('name community phone email').sort({ name: 1 }).limit(100).lean();
  if (identifier) {
    // Who looked up a number and whom it found; the number itself stays out of the log.
    await audit({ actor: actor.id, action: 'resident.lookedUp', targetType: 'User', targetId: users[0] ? String(users[0]._id) : undefined, after: { by: identifier.kind, found: users.length }, ip });
  }
  const byId = new Map(
    (await Community.find({ _id: mongoose.trusted({ $in: users.map((u) => u.community) }) }).select('street name').lean()).map((c) => [String(c._id), c]),
  );
  const found: Found[] = [];
  for (const u of users) {
    const community = byId.get(String(u.community));
    if (!community) continue;
    const contact = u.phone ?? u.email;
    found.push({ id: String(u._id), name: u.name, hint: contact ? maskIdentifier(contact) : '', community: community.name, place: { streetId: String(community.street), communityId: String(community._id) } });
  }
  return { found, reason: null };
}

/** The grid worker's streets and communities; null when they have none. */
function gridAreas(actor: SessionUser): Areas | null {
  const of = (scopeType: 'street' | 'community') => actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === scopeType && g.scopeId).map((g) => g.scopeId!);
  const areas = { streets: of('street'), communities: of('community') };
  return areas.streets.length || areas.communities.length ? areas : null;
}

/** Where a scope's residents live: its area, or the competition's eligible streets (null: anywhere). */
function areasOf(resolved: Resolved): Areas | null {
  if (resolved.scope === 'area') return resolved.areaKind === 'street' ? { streets: [resolved.areaId], communities: [] } : { streets: [], communities: [resolved.areaId] };
  return resolved.eligibleStreets.length ? { streets: resolved.eligibleStreets, communities: [] } : null;
}

export interface ResidentToVerify {
  id: string;
  name: string;
  hint: string;
  community: LocalizedText;
  /** Verified in the chosen scope, and still counting. */
  verifiedHere: boolean;
  verifications: (VerificationView & { revocable: boolean; note: string | null })[];
}

/**
 * The verify page's residents: those the actor may verify in the chosen scope, found by the
 * search (or, for an area, listed), each with their current verifications. A verification's
 * note is shown only to the verifier who wrote it. When whole-number look-ups are used up the
 * answer says so (`lookupLimited`) instead of looking like "nobody found".
 */
export async function findResidentsToVerify(
  actor: SessionUser,
  input: { query: string; scope: ScopeRef | null },
  ip?: string,
  now = new Date(),
): Promise<{ residents: ResidentToVerify[]; reason: 'lookupLimited' | null }> {
  const scope = input.scope ? await resolveScope(actor, input.scope, now) : null;
  if (!scope?.ok) return { residents: [], reason: null };
  const { resolved } = scope;
  // A committee searches (its streets may hold many thousands of residents); an area is listed.
  const search = await searchResidents(actor, input.query, areasOf(resolved), resolved.scope === 'area', ip);
  const found = search.found.filter((r) => covers(resolved, r.place));
  const docs = found.length
    ? ((await Residency.find({ resident: mongoose.trusted({ $in: found.map((r) => new Types.ObjectId(r.id)) }) })
        .select(`${VIEW_FIELDS} scopeKey note verifiedBy`)
        .lean()) as (StoredVerification & { scopeKey: string })[])
    : [];
  const view = await describeScopes(docs, now);
  const residents = found.map((r) => {
    const mine = docs.filter((d) => String(d.resident) === r.id);
    const verifications = mine
      .map((d) => ({ doc: d, shown: view(d) }))
      .filter(({ shown }) => shown.status === 'current')
      .map(({ doc, shown }) => ({ ...shown, revocable: mayRevoke(actor, doc), note: String(doc.verifiedBy) === actor.id ? (doc.note ?? null) : null }));
    return {
      id: r.id,
      name: r.name,
      hint: r.hint,
      community: r.community,
      verifiedHere: mine.some((d) => d.scopeKey === resolved.key && view(d).status === 'current'),
      verifications,
    };
  });
  return { residents, reason: search.reason };
}

export interface VerifiableResident {
  id: string;
  name: string;
  hint: string;
  community: LocalizedText;
  verifiedAt: string | null;
  method: VerificationView['method'] | null;
}

/**
 * The paper-ballot page's residents: those of the grid worker's area found by the search, with
 * their latest current verification (whether it counts for the competition is decided on saving).
 */
export async function listVerifiableResidents(actor: SessionUser, query: string, ip?: string, now = new Date()): Promise<{ residents: VerifiableResident[]; reason: 'lookupLimited' | null }> {
  const search = await searchResidents(actor, query, gridAreas(actor), true, ip);
  const found = search.found.filter((r) => hasPermission(actor.roles, 'resident:assist', r.place));
  const docs = found.length
    ? ((await Residency.find({ resident: mongoose.trusted({ $in: found.map((r) => new Types.ObjectId(r.id)) }) })
        .select(VIEW_FIELDS)
        .lean()) as StoredVerification[])
    : [];
  const view = await describeScopes(docs, now);
  const residents = found.map((r) => {
    const latest = docs
      .filter((d) => String(d.resident) === r.id)
      .map(view)
      .filter((v) => v.status === 'current')
      .sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt))[0];
    return { id: r.id, name: r.name, hint: r.hint, community: r.community, verifiedAt: latest?.verifiedAt ?? null, method: latest?.method ?? null };
  });
  return { residents, reason: search.reason };
}
