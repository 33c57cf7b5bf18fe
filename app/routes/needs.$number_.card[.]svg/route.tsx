import type { LoaderFunctionArgs } from '@remix-run/node';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { cardSvg } from '~/features/needs/share-card';
import { needShare } from '~/features/needs/share.server';
import { invariantResponse, numberParam } from '~/utils/misc';

/**
 * A need's share picture (1200×630 SVG), the og:image of its share page: the public card only,
 * never the person's details. Generated here with every text escaped (no script, no external
 * reference); a need that is not public, or no need, is a 404 like any unknown address.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  const language = await getLanguage(request, context);
  const share = await needShare(number, language);
  invariantResponse(share, 'Not found', { status: 404 });
  const t = fixedT(language, ['needs', 'common']);
  const svg = cardSvg(
    {
      brand: t('needs:share.brand'),
      heading: t('needs:share.heading', { category: share.category }),
      category: share.category,
      urgency: t(`needs:urgency.${share.urgency}`),
      urgent: share.urgency === 'urgent' || share.urgency === 'high',
      status: t(`needs:status.${share.status}`),
      community: share.community,
      description: share.description,
      scan: t('needs:share.scan'),
      number: t('needs:share.number', { number: share.number }),
    },
    share.qr,
  );
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      // The status changes as the need is answered: a few minutes, not a day.
      'Cache-Control': 'public, max-age=300',
      Vary: 'Cookie, Accept-Language',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
