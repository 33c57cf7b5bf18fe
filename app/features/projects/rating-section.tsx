import { Form, Link, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '~/utils/format';
import { useLanguage } from '~/utils/root-data';
import { RATING_COMMENT_MAX, RATING_STARS } from './rules';
import type { RatingSummary } from './ratings.server';

/**
 * The completed project's ratings on its public page: the average, how many gave each number of
 * stars, the newest comments without names, and the form (stars as large radio buttons, an
 * optional comment) for a signed-in resident who has not rated yet. It posts to the rate route,
 * which answers with a toast, so it works without JavaScript.
 */
export function RatingSection({ summary, signedIn, action }: { summary: RatingSummary; signedIn: boolean; action: string }) {
  const { t } = useTranslation('projects');
  const language = useLanguage();
  const location = useLocation();
  return (
    <section id="rating" className="card space-y-3" aria-labelledby="rating-title">
      <h3 id="rating-title" className="text-lg font-semibold">
        {t('rating.title')}
      </h3>
      <p className="text-stone-700">{t('rating.intro')}</p>
      {summary.average === null ? (
        <p>{t('rating.none')}</p>
      ) : (
        <>
          <p className="text-xl font-semibold" data-testid="rating-average">
            {t('rating.average', { average: summary.average.toFixed(1), count: summary.count })}
          </p>
          <ul className="space-y-1" aria-label={t('rating.histogram')}>
            {[...RATING_STARS].reverse().map((stars) => (
              <li key={stars} className="flex items-center gap-2">
                <span className="w-16 shrink-0">{t('rating.starsLabel', { count: stars })}</span>
                <span className="h-3 rounded bg-amber-500" style={{ width: `${summary.count ? (summary.histogram[stars - 1]! / summary.count) * 60 : 0}%` }} aria-hidden="true" />
                <span>{summary.histogram[stars - 1]}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {summary.comments.length > 0 ? (
        <div className="space-y-2">
          <h4 className="font-semibold">{t('rating.recent')}</h4>
          <ul className="space-y-2">
            {summary.comments.map((c, i) => (
              <li key={i} className="rounded-lg border border-stone-200 p-3">
                <p className="font-semibold">{t('rating.starsLabel', { count: c.stars })}</p>
                <p className="whitespace-pre-line">{c.comment}</p>
                <p className="text-stone-600">
                  <time dateTime={c.at}>{formatDate(c.at, language, { dateStyle: 'long' })}</time>
                </p>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {summary.mine ? (
        <p className="font-semibold text-brand-800">{t('rating.mine', { stars: summary.mine.stars })}</p>
      ) : signedIn ? (
        <Form method="post" action={action} className="space-y-3">
          <fieldset>
            <legend className="mb-1 font-medium">{t('rating.stars')}</legend>
            <div className="flex flex-wrap gap-2">
              {RATING_STARS.map((stars) => (
                <label key={stars} className="inline-flex min-h-11 min-w-16 cursor-pointer items-center justify-center gap-1 rounded-lg border border-stone-300 px-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
                  <input type="radio" name="stars" value={stars} required className="h-5 w-5" />
                  {t('rating.starsLabel', { count: stars })}
                </label>
              ))}
            </div>
          </fieldset>
          <div>
            <label htmlFor="rating-comment" className="mb-1 block font-medium">
              {t('rating.comment')}
            </label>
            <textarea id="rating-comment" name="comment" className="input" rows={3} maxLength={RATING_COMMENT_MAX} aria-describedby="rating-comment-help" />
            <p id="rating-comment-help" className="mt-1 text-stone-600">
              {t('rating.commentHelp')}
            </p>
          </div>
          <button type="submit" className="btn-primary">
            {t('rating.submit')}
          </button>
        </Form>
      ) : (
        <Link to={`/login?${new URLSearchParams({ redirectTo: `${location.pathname}#rating` })}`} className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
          {t('rating.signIn')}
        </Link>
      )}
    </section>
  );
}
