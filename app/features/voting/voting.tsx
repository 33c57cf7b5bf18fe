import { useCallback, useEffect, useRef, useState } from 'react';
import { Form, Link, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormError, SubmitButton } from '~/components/forms';
import { formatMoney } from '~/utils/format';
import type { Language } from '~/core/locales';
import { remaining, type VotingMethod } from './rules';
import { SubNav } from '~/components/sub-nav';

/** A refusal from the voting services: its reason is a key under "voting:reason.". */
export function VotingError({ reason }: { reason?: string | null }) {
  const { t } = useTranslation('voting');
  return <FormError>{reason ? t(`reason.${reason}`) : null}</FormError>;
}

export interface PickerOption {
  number: number;
  title: string;
  summary: string;
  categoryName: string;
  totalFen: number;
  photoId: string | null;
}

/**
 * The ballot's proposals as large tappable cards: plain, uncontrolled checkboxes, so the form
 * works without JavaScript (the server checks the limits) and boxes ticked on a slow phone before
 * the scripts arrive stay ticked. The counter of choices or budget left is read from the boxes
 * themselves: once at mount (ticks made before hydration) and on every change. With scripts, the
 * review (the chosen proposals and their total) follows the boxes with its confirm button, so a
 * vote is open, tick, confirm (issue 18, decision 033); without, the server's review step stays.
 */
export function BallotPicker({
  options,
  method,
  maxChoices,
  ballotBudgetFen,
  initial,
  language,
  castLabel,
}: {
  options: PickerOption[];
  method: VotingMethod;
  maxChoices: number;
  ballotBudgetFen: number;
  initial: number[];
  language: Language;
  /** With scripts, the review shows under the boxes as they are ticked, with this confirm button. */
  castLabel?: string;
}) {
  const { t } = useTranslation('voting');
  const listRef = useRef<HTMLUListElement>(null);
  const [picked, setPicked] = useState<ReadonlySet<number>>(() => new Set(initial));
  const [hydrated, setHydrated] = useState(false);
  const readTicks = useCallback(() => {
    const boxes = listRef.current?.querySelectorAll<HTMLInputElement>('input[name="choice"]:checked') ?? [];
    setPicked(new Set([...boxes].map((box) => Number(box.value))));
  }, []);
  useEffect(() => {
    readTicks();
    setHydrated(true);
  }, [readTicks]);
  const chosen = options.filter((o) => picked.has(o.number));
  const left = remaining({ method, maxChoices, ballotBudgetFen }, chosen);
  const over = left < 0;
  const chosenSet = new Set(initial);
  return (
    <div className="space-y-3" onChange={readTicks} data-testid="ballot-picker" data-hydrated={hydrated ? 'true' : undefined}>
      <p
        className={`sticky top-0 z-10 rounded-lg border p-3 text-lg font-semibold ${over ? 'border-red-300 bg-red-50 text-red-800' : 'border-brand-100 bg-brand-50 text-brand-800'}`}
        aria-live="polite"
        data-testid="ballot-counter"
      >
        {method === 'approval'
          ? over
            ? t('ballot.tooMany', { count: -left })
            : t('ballot.choicesLeft', { count: left, max: maxChoices })
          : over
            ? t('ballot.overBudget', { amount: formatMoney(-left, language) })
            : t('ballot.budgetLeft', { amount: formatMoney(left, language), total: formatMoney(ballotBudgetFen, language) })}
      </p>
      <ul className="space-y-3" ref={listRef} data-read-aloud>
        {options.map((o) => (
          <li key={o.number}>
            <label className="card flex cursor-pointer gap-3 has-checked:ring-2 has-checked:ring-brand-600">
              <input type="checkbox" name="choice" value={o.number} defaultChecked={chosenSet.has(o.number)} className="mt-1 h-7 w-7 shrink-0" />
              {o.photoId ? (
                <img src={`/uploads/${o.photoId}?size=thumb`} alt="" width={72} height={72} loading="lazy" className="h-18 w-18 shrink-0 rounded object-cover" />
              ) : null}
              <span className="min-w-0 space-y-1">
                <span className="block text-lg font-semibold">
                  #{o.number} {o.title}
                </span>
                <span className="block text-sm text-stone-600">
                  {o.categoryName} · {formatMoney(o.totalFen, language)}
                </span>
                {o.summary ? <span className="block text-sm text-stone-700">{o.summary}</span> : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {castLabel && hydrated && chosen.length > 0 && !over ? (
        <section className="card space-y-3 border-2 border-brand-600" aria-labelledby="ballot-quick-review" data-testid="ballot-quick-review">
          <h3 id="ballot-quick-review" className="text-xl font-bold">
            {t('ballot.reviewTitle')}
          </h3>
          <ol className="space-y-1">
            {chosen.map((o) => (
              <li key={o.number} className="rounded-lg bg-stone-50 px-3 py-2">
                <span className="font-semibold">
                  #{o.number} {o.title}
                </span>{' '}
                <span className="text-stone-700">{formatMoney(o.totalFen, language)}</span>
              </li>
            ))}
          </ol>
          <p className="text-lg font-semibold">{t('ballot.reviewTotal', { amount: formatMoney(chosen.reduce((sum, o) => sum + o.totalFen, 0), language) })}</p>
          <button type="submit" name="intent" value="cast" className="btn-primary w-full py-3 text-lg" data-testid="quick-cast">
            {castLabel}
          </button>
        </section>
      ) : null}
    </div>
  );
}

/**
 * The review step, rendered by the server: the chosen proposals in the ballot's order, each
 * linked to its page, the total, and "confirm" (posts the same choices as hidden fields with
 * intent=cast) or "change" (back to the ballot with the boxes ticked). The address is set to
 * carry the choices, so coming back from a proposal opened here keeps them.
 */
export function BallotReview({
  slug,
  items,
  totalFen,
  replaceAssisted,
  castLabel,
  language,
}: {
  slug: string;
  items: { number: number; title: string; totalFen: number }[];
  totalFen: number;
  replaceAssisted: boolean;
  castLabel: string;
  language: Language;
}) {
  const { t } = useTranslation('voting');
  const carry = new URLSearchParams(items.map((item) => ['choice', String(item.number)])).toString();
  // The review shows while the router still revalidates; the address is its own once it is idle.
  const idle = useNavigation().state === 'idle';
  useEffect(() => {
    if (idle) window.history.replaceState(window.history.state, '', `${window.location.pathname}?${carry}`);
  }, [carry, idle]);
  return (
    <section className="card space-y-4 border-2 border-brand-600" aria-labelledby="ballot-review-title" data-testid="ballot-review">
      <h3 id="ballot-review-title" className="text-xl font-bold">
        {t('ballot.reviewTitle')}
      </h3>
      <ol className="space-y-2">
        {items.map((item) => (
          <li key={item.number} className="rounded-lg bg-stone-50 p-3" data-testid="review-item">
            <Link to={`/competitions/${slug}/proposals/${item.number}`} className="block min-h-11 text-lg font-semibold text-brand-800 underline">
              #{item.number} {item.title}
            </Link>
            <span className="text-stone-700">{formatMoney(item.totalFen, language)}</span>
          </li>
        ))}
      </ol>
      <p className="text-lg font-semibold" data-testid="review-total">
        {t('ballot.reviewTotal', { amount: formatMoney(totalFen, language) })}
      </p>
      <p className="text-stone-700">{t('ballot.reviewHint')}</p>
      <Form method="post" className="space-y-3">
        {items.map((item) => (
          <input key={item.number} type="hidden" name="choice" value={item.number} />
        ))}
        {replaceAssisted ? <input type="hidden" name="replaceAssisted" value="on" /> : null}
        <SubmitButton name="intent" value="cast" pending="casting" className="btn-primary w-full py-3 text-lg">
          {castLabel}
        </SubmitButton>
      </Form>
      <Link to={`/competitions/${slug}/vote?${carry}`} className="btn-secondary block w-full py-3 text-center text-lg">
        {t('ballot.reviewChange')}
      </Link>
    </section>
  );
}

/** The committee's voting pages. */
export function VotingAdminNav({ slug }: { slug: string }) {
  const { t } = useTranslation('voting');
  const base = `/competitions/${slug}/voting`;
  const links = [
    { to: base, label: t('admin.tally') },
    { to: `${base}/rules`, label: t('admin.rules') },
    { to: `${base}/codes`, label: t('admin.codes') },
    { to: `${base}/anomalies`, label: t('admin.anomalies') },
  ];
  return <SubNav label={t('admin.nav')} links={links} />;
}
