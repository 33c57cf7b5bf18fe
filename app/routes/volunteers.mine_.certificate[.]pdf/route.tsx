import { existsSync } from 'node:fs';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/core/auth.server';
import { getEnv } from '~/core/env.server';
import { fixedT } from '~/core/i18n.server';
import { ownCertificate, renderCertificate } from '~/features/volunteers/certificates.server';
import { normalizeCertificateCode } from '~/features/volunteers/rules';

const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' } });

/** A volunteer's own certificate as a PDF (`?code=`): anyone else's code is 404, as for none. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = fixedT(user.language, 'volunteers');
  const code = normalizeCertificateCode(new URL(request.url).searchParams.get('code') ?? '');
  const certificate = code ? await ownCertificate(user.id, code) : null;
  if (!certificate) return text(t('verify.notFound'), 404);
  if (!existsSync(getEnv().PDF_FONT_PATH)) return text(t('certificate.unavailable'), 503);
  const pdf = await renderCertificate(certificate);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="laoshanxing-volunteer-hours-${certificate.code}.pdf"`,
      'Content-Length': String(pdf.length),
      'Cache-Control': 'private, no-store',
    },
  });
}
