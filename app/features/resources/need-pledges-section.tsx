import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';
import { PledgeList, type PledgeLineView } from './pledge-list';

/** A public need's pledges (partner, what, status; nothing private) and the way to offer one. */
export function NeedPledgesSection({ pledges, number, language }: { pledges: readonly PledgeLineView[]; number: number; language: Language }) {
  const { t } = useTranslation('resources');
  return (
    <section className="card space-y-2" aria-labelledby="need-pledges">
      <h2 id="need-pledges" className="text-lg font-semibold">
        {t('need.title')}
      </h2>
      {pledges.length ? <PledgeList lines={pledges} language={language} /> : <p className="text-stone-700">{t('need.none')}</p>}
      <Link to={`/needs/${number}/pledge`} className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
        {t('need.offer')}
      </Link>
    </section>
  );
}
