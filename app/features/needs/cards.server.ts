import type { Types } from 'mongoose';
import type { NeedCard, NeedStatus, NeedUrgency } from './needs';
import { needReference, type NeedReference } from './reference.server';

/** What a need's card is made of: the public fields of a Need document, never NeedDetail. */
export type CardDoc = { number: number; category: string; urgency: NeedUrgency; status: NeedStatus; street: Types.ObjectId; community: Types.ObjectId; description: string; publishedAt?: Date | null; escalatedAt?: Date | null };
export const CARD_FIELDS = { number: 1, category: 1, urgency: 1, status: 1, street: 1, community: 1, description: 1, publishedAt: 1, escalatedAt: 1 } as const;

/** The places' names by id (the street's and the community's), from the memoised reference. */
export function places(reference: NeedReference) {
  const streets = new Map(reference.streets.map((s) => [s.id, s]));
  const communities = new Map(reference.streets.flatMap((s) => s.communities.map((c) => [c.id, c] as const)));
  return { street: (id: unknown) => streets.get(String(id))?.name ?? null, community: (id: unknown) => communities.get(String(id))?.name ?? null };
}

export function card(doc: CardDoc, at: ReturnType<typeof places>): NeedCard {
  return {
    number: doc.number,
    category: doc.category,
    urgency: doc.urgency,
    status: doc.status,
    street: at.street(doc.street),
    community: at.community(doc.community),
    description: doc.description,
    publishedAt: doc.publishedAt?.toISOString() ?? null,
    escalated: Boolean(doc.escalatedAt),
  };
}

/** Cards of `docs`, with their places' names. */
export async function needCards(docs: readonly CardDoc[]): Promise<NeedCard[]> {
  const at = places(await needReference());
  return docs.map((d) => card(d, at));
}
