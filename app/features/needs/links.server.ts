import { Types, type PipelineStage } from 'mongoose';
import { Need, NeedLink } from '#models';
import { audit } from '~/core/audit.server';
import { listBoard } from './board.server';
import { CARD_FIELDS, needCards, type CardDoc } from './cards.server';
import { isPublicNeedStatus, MAX_CITED_NEEDS, type NeedCard } from './needs';
import { needReference } from './reference.server';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * Proposals citing the needs they answer (issue 16, decision 029). A proposal's authors cite
 * verified needs of the proposal's own street, at most MAX_CITED_NEEDS, while they may still edit
 * it; the need's page shows the proposals (and their projects), the proposal's page its needs.
 * A citation is a NeedLink: its two unique indexes keep a need cited once per proposal and the
 * proposal within its slots, whoever cites at the same moment.
 *
 * What a page shows is worked out when it is read, never stored: a need that stops being public
 * (withdrawn) or a proposal moved to another street drops out of both pages by itself.
 */


/** The proposal doing the citing, as its route loaded it for one of its authors. */
export interface CitingProposal {
  id: string;
  number: number;
  competitionId: string;
  streetId: string | null;
}

export type CiteResult = { ok: true; changed: boolean } | { ok: false; reason: 'notFound' | 'otherStreet' | 'noStreet' | 'tooMany' };

export async function citeNeed(input: { proposal: CitingProposal; needNumber: number; actorId: string; ip?: string }): Promise<CiteResult> {
  const { proposal } = input;
  if (!proposal.streetId) return { ok: false, reason: 'noStreet' };
  const need = await Need.findOne({ number: input.needNumber }).select('_id number status street').lean();
  if (!need || !isPublicNeedStatus(need.status)) return { ok: false, reason: 'notFound' };
  if (String(need.street) !== proposal.streetId) return { ok: false, reason: 'otherStreet' };
  const proposalId = new Types.ObjectId(proposal.id);
  // Each round takes the first free slot; losing it to a co-author citing at the same moment
  // costs one more round, and there are only MAX_CITED_NEEDS slots to lose.
  for (let round = 0; round <= MAX_CITED_NEEDS; round++) {
    const links = await NeedLink.find({ proposal: proposalId }).select('need slot').lean();
    if (links.some((l) => l.need.equals(need._id))) return { ok: true, changed: false };
    const used = new Set(links.map((l) => l.slot));
    const slot = Array.from({ length: MAX_CITED_NEEDS }, (_, i) => i).find((i) => !used.has(i));
    if (slot === undefined) return { ok: false, reason: 'tooMany' };
    try {
      await NeedLink.create({ need: need._id, proposal: proposalId, competition: new Types.ObjectId(proposal.competitionId), slot, citedBy: new Types.ObjectId(input.actorId) });
    } catch (error) {
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
    await audit({ actor: input.actorId, action: 'need.cited', targetType: 'Need', targetId: String(need._id), after: { number: need.number, proposal: proposal.number }, ip: input.ip });
    return { ok: true, changed: true };
  }
  return { ok: false, reason: 'tooMany' };
}

export async function uncite(input: { proposal: CitingProposal; needNumber: number; actorId: string; ip?: string }): Promise<{ ok: true; changed: boolean }> {
  const need = await Need.findOne({ number: input.needNumber }).select('_id number').lean();
  if (!need) return { ok: true, changed: false };
  const removed = await NeedLink.deleteOne({ proposal: new Types.ObjectId(input.proposal.id), need: need._id });
  if (removed.deletedCount === 0) return { ok: true, changed: false };
  await audit({ actor: input.actorId, action: 'need.uncited', targetType: 'Need', targetId: String(need._id), after: { number: need.number, proposal: input.proposal.number }, ip: input.ip });
  return { ok: true, changed: true };
}

export interface CitedNeeds {
  cards: NeedCard[];
  /** The names of the cards' categories. */
  categories: { code: string; name: { zh: string; en?: string | null } }[];
}

/**
 * The cards of the needs a proposal cites that are still public and of its street, by number,
 * with their categories' names. The memoised reference is read only when there is a card.
 */
async function citedCards(docs: readonly (CardDoc & { _id: Types.ObjectId })[], streetId: string | null): Promise<CitedNeeds> {
  const shown = docs.filter((d) => isPublicNeedStatus(d.status) && streetId !== null && String(d.street) === streetId).sort((a, b) => a.number - b.number);
  if (!shown.length) return { cards: [], categories: [] };
  const [cards, reference] = await Promise.all([needCards(shown), needReference()]);
  const used = new Set(shown.map((d) => d.category));
  return { cards, categories: reference.categories.filter((c) => used.has(c.code)).map((c) => ({ code: c.code, name: c.name })) };
}

/** The needs a proposal cites, for its authors' page that changes them. */
export async function citedNeeds(proposal: CitingProposal) {
  const links = await NeedLink.aggregate<{ needs: (CardDoc & { _id: Types.ObjectId })[] }>([
    { $match: { proposal: new Types.ObjectId(proposal.id) } },
    { $lookup: { from: Need.collection.name, localField: 'need', foreignField: '_id', as: 'needs' } },
    { $project: { needs: { $map: { input: '$needs', in: CITED_FIELDS } } } },
  ]);
  return citedCards(
    links.flatMap((l) => l.needs),
    proposal.streetId,
  );
}

/**
 * A cited need's card fields (the board's CARD_FIELDS) inside the lookup's $map. Each wrapped in
 * $ifNull: the stand-in drops the connection on a missing field inside $map.
 */
const CITED_FIELDS = {
  _id: '$$this._id',
  ...Object.fromEntries(Object.keys(CARD_FIELDS).map((field) => [field, { $ifNull: [`$$this.${field}`, null] }])),
};

/**
 * The stages the proposal page's route adds to that page's one aggregate (ProposalPageJoin):
 * the needs it cites, their public fields only, into `as`.
 */
export function citedNeedsJoin(as: string): { as: string; stages: PipelineStage.FacetPipelineStage[] } {
  return {
    as,
    stages: [
      { $lookup: { from: NeedLink.collection.name, localField: '_id', foreignField: 'proposal', as: `${as}Links` } },
      // A top-level array of ids: the stand-in does not follow a path into the array.
      { $addFields: { [`${as}Ids`]: `$${as}Links.need` } },
      { $lookup: { from: Need.collection.name, localField: `${as}Ids`, foreignField: '_id', as } },
      { $addFields: { [as]: { $map: { input: `$${as}`, in: CITED_FIELDS } } } },
      { $project: { [`${as}Links`]: 0, [`${as}Ids`]: 0 } },
    ],
  };
}

/** The proposal page's cited needs from what citedNeedsJoin looked up. */
export function citedNeedsOf(joined: readonly unknown[], streetId: string | null) {
  return citedCards(joined as (CardDoc & { _id: Types.ObjectId })[], streetId);
}

/** A page of the verified needs of the proposal's street its authors may cite, by category. */
export async function citableNeeds(streetId: string | null, category: string | null, page: number) {
  const reference = await needReference();
  const street = streetId ? reference.streets.find((s) => s.id === streetId) : undefined;
  if (!street) return null;
  return { street: street.name, ...(await listBoard({ street: street.code, category, urgency: null, status: null }, page)) };
}
