import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { publicUrl } from '~/core/request.server';
import { NeedStatusBadge } from '~/features/needs/need-cards';
import { needShare } from '~/features/needs/share.server';
import { formatDate } from '~/utils/format';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'needs'] };

/**
 * A need's share page (红哨子's one-click sharing): what a resident forwards in WeChat or prints
 * for a notice board. The public card only (category, urgency, community, description, status),
 * a QR code of the need's page and its link; the picture at card.svg is its link preview. The
 * same for every visitor, so anonymous visitors get it from the page cache. A need that is not
 * public, or no need, is a 404 that says nothing more.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  const language = await getLanguage(request, context);
  const share = await needShare(number, language);
  invariantResponse(share, 'Not found', { status: 404 });
  const t = fixedT(language, ['needs', 'common']);
  return {
    share,
    title: `${t('needs:share.heading', { category: share.category })} · ${t('common:brand.name')}`,
    image: publicUrl(`/needs/${share.number}/card.svg${language === 'en' ? '?lng=en' : ''}`),
  };
}

export default function NeedSharePage() {
  const { share } = useLoaderData<typeof loader>();
  const { t } = useTranslation('needs');
  const language = useLanguage();
  const [copied, setCopied] = useState(false);
  const urgent = share.urgency === 'urgent' || share.urgency === 'high';
  const copy = () => {
    void navigator.clipboard?.writeText(share.url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <p>
        <Link to={`/needs/${share.number}`} className="inline-flex min-h-11 items-center text-brand-800 underline">
          {t('share.back')}
        </Link>
      </p>
      <article className="card space-y-4 border-t-8 border-t-brand-700" aria-labelledby="share-heading">
        <p className="text-sm font-semibold text-brand-800">{t('share.brand')}</p>
        <h1 id="share-heading" className="text-2xl font-bold">
          {t('share.heading', { category: share.category })}
        </h1>
        <div className="flex flex-wrap items-center gap-2">
          <NeedStatusBadge status={share.status} />
          <span className={`inline-block rounded-full px-3 py-0.5 text-sm font-semibold ${urgent ? 'bg-red-100 text-red-800' : 'bg-stone-100 text-stone-700'}`}>
            {t('share.urgency', { urgency: t(`urgency.${share.urgency}`) })}
          </span>
        </div>
        <dl className="space-y-1 text-stone-700">
          {share.community ? (
            <div className="flex gap-2">
              <dt className="shrink-0">{t('share.community')}</dt>
              <dd className="font-medium text-stone-900">{share.community}</dd>
            </div>
          ) : null}
          {share.publishedAt ? (
            <div className="flex gap-2">
              <dt className="shrink-0">{t('share.published')}</dt>
              <dd>{formatDate(share.publishedAt, language)}</dd>
            </div>
          ) : null}
        </dl>
        <p className="whitespace-pre-line text-lg leading-relaxed">{share.description}</p>
        <figure className="flex flex-col items-center gap-2 rounded-xl bg-white p-4 ring-1 ring-stone-200">
          <svg viewBox={`0 0 ${share.qr.size} ${share.qr.size}`} className="h-56 w-56" role="img" aria-label={t('share.qrLabel', { number: share.number })} shapeRendering="crispEdges">
            <path d={share.qr.path} fill="#0c564a" />
          </svg>
          <figcaption className="text-center text-stone-700">{t('share.scan')}</figcaption>
        </figure>
      </article>
      <section className="card space-y-3" aria-labelledby="share-how">
        <h2 id="share-how" className="text-lg font-semibold">
          {t('share.howTitle')}
        </h2>
        <p className="text-stone-700">{t('share.howWechat')}</p>
        <label className="block space-y-1">
          <span className="text-sm font-medium">{t('share.link')}</span>
          <input readOnly value={share.url} className="input w-full" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <button type="button" className="btn-secondary min-h-11" onClick={copy}>
          {copied ? t('share.copied') : t('share.copy')}
        </button>
        <p role="status" className="sr-only">
          {copied ? t('share.copied') : ''}
        </p>
        <p>
          <a href={`/needs/${share.number}/card.svg`} className="inline-flex min-h-11 items-center text-brand-800 underline" download={`need-${share.number}.svg`}>
            {t('share.image')}
          </a>
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: '崂善行 Laoshanxing' }];
  const description = data.share.description.length > 100 ? `${data.share.description.slice(0, 100)}…` : data.share.description;
  return [
    { title: data.title },
    { name: 'description', content: description },
    { property: 'og:type', content: 'article' },
    { property: 'og:title', content: data.title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: data.share.url },
    { property: 'og:image', content: data.image },
    { property: 'og:image:type', content: 'image/svg+xml' },
    { property: 'og:image:width', content: '1200' },
    { property: 'og:image:height', content: '630' },
    { name: 'twitter:card', content: 'summary_large_image' },
  ];
};

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
