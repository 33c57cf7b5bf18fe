import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { ErrorList } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';
import { citableNeeds, citedNeeds, citeNeed, uncite, type CitingProposal } from '~/features/needs/links.server';
import { NeedCards } from '~/features/needs/need-cards';
import { MAX_CITED_NEEDS } from '~/features/needs/needs';
import { citableQuerySchema, citeSchema } from '~/features/needs/needs.schema.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { getOwnProposal } from '~/features/proposals/drafts.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'needs', 'proposals'] };

// An author's own page: never kept by a shared cache, as HTML or as .data.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

/**
 * A proposal's authors choose the verified needs of its street that it answers (issue 16): the
 * proposal's page shows them, each need's page shows the proposal. Only while the proposal may
 * still be edited, so what residents vote on does not change under them; anyone but its authors
 * (and its assisting worker) gets 404, as for a proposal that does not exist.
 */
async function ownProposal({ request, params, context }: CompetitionArgs & { params: LoaderFunctionArgs['params'] }) {
  const user = await requireUser(request);
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const proposal = await getOwnProposal(rules, numberParam(params.number), user.id);
  invariantResponse(proposal, 'Not found', { status: 404 });
  const citing: CitingProposal = { id: proposal.id, number: proposal.number, competitionId: rules.id, streetId: proposal.streetId };
  return { user, rules, proposal, citing };
}

export async function loader(args: LoaderFunctionArgs) {
  const { proposal, citing } = await ownProposal(args);
  const search = new URL(args.request.url).searchParams;
  const query = citableQuerySchema.parse({ category: search.get('category'), page: search.get('page') });
  const [cited, citable, title] = await Promise.all([
    citedNeeds(citing),
    proposal.editable ? citableNeeds(proposal.streetId, query.category, query.page) : null,
    pageTitle(args.request, 'needs:cite.title', ['needs', 'common']),
  ]);
  return { title, proposal: { number: proposal.number, title: proposal.title, editable: proposal.editable, hasStreet: Boolean(proposal.streetId) }, cited, citable, category: query.category ?? '' };
}

const REFUSED = { notFound: 404, otherStreet: 400, noStreet: 400, tooMany: 409 } as const;

export async function action(args: ActionFunctionArgs) {
  const { user, rules, proposal, citing } = await ownProposal(args);
  const parsed = citeSchema.safeParse(Object.fromEntries(await readForm(args.request)));
  if (!parsed.success) return data({ errors: ['invalid'] }, { status: 400 });
  if (!proposal.editable) return data({ errors: ['closed'] }, { status: 409 });
  const back = new URL(args.request.url);
  const here = `/competitions/${rules.slug}/proposals/${proposal.number}/needs${back.search}`;
  const input = { proposal: citing, needNumber: parsed.data.need, actorId: user.id, ip: clientIp(args.request) };
  if (parsed.data.intent === 'uncite') {
    await uncite(input);
    return redirectWithToast(here, { type: 'info', key: 'needs:cite.toast.uncited', values: { number: parsed.data.need } });
  }
  const cited = await citeNeed(input);
  if (!cited.ok) return data({ errors: [cited.reason] }, { status: REFUSED[cited.reason] });
  return redirectWithToast(here, { type: 'success', key: 'needs:cite.toast.cited', values: { number: parsed.data.need } });
}

export default function CiteNeeds() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { proposal, cited, citable, category } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const citedNumbers = new Set(cited.cards.map((c) => c.number));
  const full = cited.cards.length >= MAX_CITED_NEEDS;
  const button = (intent: 'cite' | 'uncite', number: number) => (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="need" value={number} />
      <button type="submit" name="intent" value={intent} className={intent === 'cite' ? 'btn-primary' : 'btn-secondary'} disabled={busy}>
        {t(intent === 'cite' ? 'cite.cite' : 'cite.uncite')}
        <span className="sr-only"> #{number}</span>
      </button>
    </Form>
  );
  return (
    <div className="space-y-5">
      <p>
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
          {t('cite.back', { number: proposal.number, title: proposal.title })}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('cite.title')}</h1>
      <p className="text-stone-700">{t('cite.intro', { max: MAX_CITED_NEEDS })}</p>
      <ErrorList errors={reply?.errors} values={{ max: MAX_CITED_NEEDS }} keyPrefixes={['needs:cite.errors.']} />

      <section className="space-y-2" aria-labelledby="cited">
        <h2 id="cited" className="text-xl font-semibold">
          {t('cite.cited', { count: cited.cards.length, max: MAX_CITED_NEEDS })}
        </h2>
        {cited.cards.length ? (
          <NeedCards cards={cited.cards} categories={cited.categories} label={t('cite.cited', { count: cited.cards.length, max: MAX_CITED_NEEDS })} action={proposal.editable ? (card) => button('uncite', card.number) : undefined} />
        ) : (
          <p className="text-stone-600">{t('cite.none')}</p>
        )}
      </section>

      {!proposal.editable ? <p className="rounded-lg bg-stone-100 p-3">{t('cite.closed')}</p> : null}
      {proposal.editable && !proposal.hasStreet ? <p className="rounded-lg bg-amber-50 p-3 text-amber-900">{t('cite.noStreet')}</p> : null}

      {citable ? (
        <section className="space-y-3" aria-labelledby="citable">
          <h2 id="citable" className="text-xl font-semibold">
            {t('cite.citable', { street: pickText(citable.street, language) })}
          </h2>
          <FilterForm className="flex flex-wrap items-end gap-3" submit={t('board.filter')}>
            <FilterSelect
              id="filter-category"
              name="category"
              label={t('field.category')}
              all={t('board.allCategories')}
              value={category}
              options={citable.categories.map((c) => ({ value: c.code, label: pickText(c.name, language) }))}
            />
          </FilterForm>
          {full ? <p className="text-stone-700">{t('cite.full', { max: MAX_CITED_NEEDS })}</p> : null}
          {citable.cards.length ? (
            <NeedCards
              cards={citable.cards}
              categories={citable.categories}
              label={t('cite.citable', { street: pickText(citable.street, language) })}
              action={(card) => (citedNumbers.has(card.number) ? <p className="font-semibold text-emerald-800">{t('cite.citedMark')}</p> : full ? null : button('cite', card.number))}
            />
          ) : (
            <p className="text-stone-600">{t('cite.empty')}</p>
          )}
          <Pagination page={citable.page} pages={citable.pages} />
        </section>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
