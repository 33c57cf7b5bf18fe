import type { CompetitionSummary } from '~/features/competitions/competitions.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { listOrganizationChoices } from '~/features/organizations/registry.server';
import type { UploadErrorReason } from '~/core/uploads';
import { consentSchema } from '~/features/accounts/assist.schema';
import type { CompetitionRules } from './competition-rules.server';
import type { AssistedSubmission, ProposalPhoto } from './drafts.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import { shanghaiNoon } from '~/utils/dates';

/** What the proposal form needs to offer: the competition's directions, communities, limits and the registry's organizations. */
export async function proposalFormOptions(rules: CompetitionRules, categories: CompetitionSummary['categories']) {
  const [streets, organizations] = await Promise.all([listStreetsWithCommunities(), listOrganizationChoices()]);
  return {
    categories,
    streets: streets
      .filter((s) => rules.eligibleStreets.length === 0 || rules.eligibleStreets.includes(s.id))
      .map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name })) })),
    minRequestFen: rules.minRequestFen,
    maxRequestFen: rules.maxRequestFen,
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, street: o.street })),
  };
}

export type PhotoUploadResult =
  | { ok: true; photos: ProposalPhoto[] }
  | { ok: false; reason: UploadErrorReason | 'tooManyPhotos' | 'photoConsentRequired' };

/**
 * Stores the photos chosen in a proposal form (public, re-encoded, without metadata). The
 * uploader must confirm that people shown agreed. All or nothing: one refused photo removes
 * the ones already stored.
 */
export async function storeProposalPhotos(formData: FormData, uploaderId: string, room: number): Promise<PhotoUploadResult> {
  const files = formData.getAll('photos').filter((value): value is File => value instanceof File && value.size > 0);
  if (files.length === 0) return { ok: true, photos: [] };
  if (files.length > room) return { ok: false, reason: 'tooManyPhotos' };
  if (formData.get('peopleConsent') !== 'on') return { ok: false, reason: 'photoConsentRequired' };
  const photos: ProposalPhoto[] = [];
  for (const file of files) {
    const stored = await storeImage({
      data: new Uint8Array(await file.arrayBuffer()),
      filename: file.name,
      uploaderId,
      kind: 'photo',
      visibility: 'public',
    });
    if (!stored.ok) {
      await discardPhotos(photos.map((p) => p.fileId));
      return { ok: false, reason: stored.reason };
    }
    photos.push({ fileId: stored.fileId, thumbId: stored.thumbId, peopleConsent: true });
  }
  return { ok: true, photos };
}

export async function discardPhotos(fileIds: string[]): Promise<void> {
  for (const id of fileIds) await deleteImage(id);
}

export type ConsentResult = { ok: true; consent: AssistedSubmission['consent'] } | { ok: false; reason: UploadErrorReason | 'consentRequired' };

/**
 * The consent a grid worker records for an assisted submission; a photo of the signed form is
 * stored private (only the worker, the committee and admins can open it).
 */
export async function recordConsent(formData: FormData, workerId: string): Promise<ConsentResult> {
  const parsed = consentSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, reason: 'consentRequired' };
  const consent: AssistedSubmission['consent'] = {
    method: parsed.data.consentMethod,
    at: shanghaiNoon(parsed.data.consentOn),
    witness: parsed.data.consentWitness || undefined,
  };
  const file = formData.get('consentForm');
  if (file instanceof File && file.size > 0) {
    const stored = await storeImage({
      data: new Uint8Array(await file.arrayBuffer()),
      filename: file.name,
      uploaderId: workerId,
      kind: 'consentForm',
      visibility: 'private',
    });
    if (!stored.ok) return { ok: false, reason: stored.reason };
    consent.formFileId = stored.fileId;
  }
  return { ok: true, consent };
}
