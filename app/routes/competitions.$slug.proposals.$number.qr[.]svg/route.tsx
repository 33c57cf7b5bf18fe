import type { LoaderFunctionArgs } from '@remix-run/node';
import QRCode from 'qrcode';
import { getProposalView } from '~/features/proposals/browse.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { publicUrl } from '~/core/request.server';
import { invariantResponse, numberParam } from '~/utils/misc';
import { requireCompetition } from '~/features/competitions/context.server';

/**
 * A QR code of the proposal's address, for WeChat and printed notices in the community.
 * Generated here as SVG (no script, no external reference); only public proposals have one.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const number = numberParam(params.number);
  const proposal = await getProposalView(rules, number, null);
  invariantResponse(proposal, 'Not found', { status: 404 });
  const url = publicUrl(`/competitions/${rules.slug}/proposals/${number}`);
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#0c564a', light: '#ffffff' } });
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
