import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { getOptionalUser } from '~/core/auth.server';
import { readImage } from '~/core/uploads.server';
import { evidenceOwner } from '~/features/organizations/incubation.server';
import { mayOpenIncubation } from '~/features/organizations/rules';
import { implementingCompetitions, projectsOfOrganization } from '~/features/projects/implementer.server';
import { imageAccess, type ImageAccess } from '~/features/proposals/image-access.server';
import { receiptAccess } from '~/features/resources/pledges.server';
import { invariantResponse } from '~/utils/misc';

const sizeSchema = z.enum(['full', 'thumb']).default('full');

// A 404 must not be cached: the same URL answers 200 once its uploader signs in.
const NOT_FOUND = { status: 404, headers: { 'Cache-Control': 'no-store' } };

/**
 * Serves a stored image: /uploads/<id> or /uploads/<id>?size=thumb. Only the re-encoded JPEG
 * and WebP variants exist, so what goes out is always a clean image. An image answers 404 (not
 * 403) to anyone who may not see it (imageAccess), so its existence is not revealed either.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const size = sizeSchema.safeParse(new URL(request.url).searchParams.get('size') ?? undefined);
  invariantResponse(size.success, 'Not found', NOT_FOUND);
  const image = await readImage(params.fileId ?? '', size.data);
  invariantResponse(image, 'Not found', NOT_FOUND);

  const viewer = await getOptionalUser(request);
  const access = image.kind === 'evidence' ? await evidenceAccess(viewer, params.fileId ?? '') : ((image.kind === 'receipt' ? await pledgeReceiptAccess(viewer, params.fileId ?? '') : null) ?? (await imageAccess(viewer, image, params.fileId ?? '')));
  invariantResponse(access.allowed, 'Not found', NOT_FOUND);
  // A proposal's photo stops being public when the proposal is withdrawn: cached for an hour, not a year.
  const cacheControl = { public: 'public, max-age=31536000, immutable', listed: 'public, max-age=3600', private: 'private, no-store' }[access.audience];

  return new Response(createReadableStreamFromReadable(image.stream), {
    headers: {
      'Content-Type': image.contentType,
      'Content-Length': String(image.length),
      'Content-Disposition': 'inline',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': cacheControl,
    },
  });
}

/**
 * A checklist item's evidence (decision 025): only the mentors and managers of the organization
 * it is attached to (rules.ts mayOpenIncubation), admins included; not its uploader as such (a
 * mentor whose grant was revoked no longer sees it); nobody once the confirmation is withdrawn.
 */
async function evidenceAccess(viewer: Awaited<ReturnType<typeof getOptionalUser>>, fileId: string): Promise<ImageAccess> {
  if (!viewer) return { allowed: false };
  const owner = await evidenceOwner(fileId);
  if (!owner) return { allowed: false };
  return mayOpenIncubation(viewer, owner, implementingCompetitions(await projectsOfOrganization(owner.id))) ? { allowed: true, audience: 'private' } : { allowed: false };
}

/**
 * A pledge's delivery receipt (decision 031): its project's team, the committee, district staff
 * and the pledger, never the public; null when the file is no pledge's (a milestone's receipt).
 */
async function pledgeReceiptAccess(viewer: Awaited<ReturnType<typeof getOptionalUser>>, fileId: string): Promise<ImageAccess | null> {
  const allowed = await receiptAccess(viewer, fileId);
  if (allowed === null) return null;
  return allowed ? { allowed: true, audience: 'private' } : { allowed: false };
}
