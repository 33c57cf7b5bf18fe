import type { LoaderFunctionArgs } from '@remix-run/node';
import QRCode from 'qrcode';
import { publicUrl } from '~/core/request.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { projectExists } from '~/features/projects/notice.server';
import { invariantResponse, numberParam } from '~/utils/misc';

/** A QR code of the project's page, for its printed page (print CSS, decision 033); as the proposal's. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const number = numberParam(params.number);
  invariantResponse(await projectExists(String(doc._id), number), 'Not found', { status: 404 });
  const svg = await QRCode.toString(publicUrl(`/competitions/${doc.slug}/projects/${number}`), { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#0c564a', light: '#ffffff' } });
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
