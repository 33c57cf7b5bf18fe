import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatDate, formatNumber } from '~/utils/format';

export interface Place {
  id: string;
  name: LocalizedText;
  communities: { id: string; name: LocalizedText }[];
}

/** "中韩街道 · 张村社区 · 社区党群服务中心": the community-level place of an activity. */
export function placeText(places: readonly Place[], streetId: string, communityId: string, place: string, language: Language): string {
  const street = places.find((s) => s.id === streetId);
  const community = street?.communities.find((c) => c.id === communityId);
  return [street ? pickText(street.name, language) : '', community ? pickText(community.name, language) : '', place].filter(Boolean).join(' · ');
}

/** When: "12月20日 周六 09:00–11:30" in Shanghai time. */
export function whenText(startsAt: string, endsAt: string, language: Language): string {
  const start = formatDate(startsAt, language, { month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  const sameDay = formatDate(startsAt, language, { dateStyle: 'short' }) === formatDate(endsAt, language, { dateStyle: 'short' });
  const end = sameDay ? formatDate(endsAt, language, { hour: '2-digit', minute: '2-digit', hour12: false }) : formatDate(endsAt, language, { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${start} – ${end}`;
}

interface CardActivity {
  number: number;
  title: string;
  organiserName: string;
  startsAt: string;
  endsAt: string;
  streetId: string;
  communityId: string;
  place: string;
  slots: number;
  left: number;
  waitlisted: number;
  skills: string[];
  status: string;
}

/** Seats left, or "full" with the waitlist's length. */
export function SeatsLine({ activity, language }: { activity: Pick<CardActivity, 'slots' | 'left' | 'waitlisted' | 'status'>; language: Language }) {
  const { t } = useTranslation('volunteers');
  if (activity.status === 'cancelled') return <p className="font-semibold text-red-800">{t('activity.cancelled')}</p>;
  return activity.left > 0 ? (
    <p className="font-semibold text-emerald-800">{t('activity.left', { left: formatNumber(activity.left, language), slots: formatNumber(activity.slots, language) })}</p>
  ) : (
    <p className="font-semibold text-amber-800">{t('activity.full', { count: activity.waitlisted, waiting: formatNumber(activity.waitlisted, language) })}</p>
  );
}

export function ActivityCard({ activity, places, language }: { activity: CardActivity; places: readonly Place[]; language: Language }) {
  const { t } = useTranslation('volunteers');
  return (
    <li className="card space-y-2" data-testid="activity-card">
      <Link to={`/volunteers/${activity.number}`} className="block min-h-11 text-xl font-bold text-brand-800 underline-offset-2 hover:underline">
        {activity.title}
      </Link>
      <p className="text-stone-700">{t('activity.by', { name: activity.organiserName })}</p>
      <p><span aria-hidden="true">🕘</span> {whenText(activity.startsAt, activity.endsAt, language)}</p>
      <p><span aria-hidden="true">📍</span> {placeText(places, activity.streetId, activity.communityId, activity.place, language)}</p>
      {activity.skills.length ? <p className="text-stone-700">{t('activity.skills', { skills: activity.skills.map((s) => t(`skill.${s}`)).join('、') })}</p> : null}
      <SeatsLine activity={activity} language={language} />
    </li>
  );
}

/** Hours from minutes, as the pages show them ("12.5"). */
export function hoursText(minutes: number, language: Language): string {
  return formatNumber(Math.round((minutes / 60) * 100) / 100, language);
}
