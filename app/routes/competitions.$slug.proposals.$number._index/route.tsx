import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { ConfirmStep } from '~/components/confirm';
import { CopyField } from '~/components/copy-field';
import { ErrorList } from '~/components/forms';
import { useTranslation } from 'react-i18next';
import { confirmedField, proposalPageActionSchema } from '~/features/proposals/proposal.schema.server';
import { CommentsSection } from '~/features/proposals/comments';
import { ProposalStatusBadge } from '~/features/proposals/status-badge';
import { getOptionalUser, requireUser } from '~/core/auth.server';
import { inviteCoAuthor } from '~/features/proposals/coauthors.server';
import { getCommentsSection } from '~/features/proposals/comments.server';
import { getFixedT } from '~/core/i18n.server';
import { followProposal, getProposalPage, unfollowProposal } from '~/features/proposals/browse.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { withdrawProposal } from '~/features/proposals/drafts.server';
import { redirectWithToast } from '~/core/toast.server';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { clientIp, publicUrl, readForm } from '~/core/request.server';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition } from '~/features/competitions/context.server';
import { ScrollRegion } from '~/components/scroll-region';
import { citedNeedsJoin, citedNeedsOf } from '~/features/needs/links.server';
import { NeedCards } from '~/features/needs/need-cards';
import { NoticeTools, PrintOnlyAddress } from '~/components/notice-tools';
import { proposalShortPath } from '~/features/proposals/notice';

export const handle = { i18n: ['common', 'proposals', 'assist', 'comments', 'projects', 'needs'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const number = numberParam(params.number);
  const viewer = await getOptionalUser(request);
  // The needs it answers come with the proposal, in its one aggregate.
  const page = await getProposalPage(rules, number, viewer?.id ?? null, citedNeedsJoin('citedNeeds'));
  invariantResponse(page, 'Not found', { status: 404 });
  const { proposal } = page;
  const [t, comments, needs] = await Promise.all([getFixedT(request, ['common']), getCommentsSection(rules, number, viewer, page.commented), citedNeedsOf(page.joined, page.streetId)]);
  return {
    title: `${proposal.title} · ${t('brand.name')}`,
    slug: rules.slug,
    proposal,
    comments,
    needs,
    versions: proposal.versions,
    signedIn: Boolean(viewer),
    shareUrl: publicUrl(`/competitions/${rules.slug}/proposals/${number}`),
    shortUrl: publicUrl(proposalShortPath(rules.slug, number)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const number = numberParam(params.number);
  const parsed = proposalPageActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  invariantResponse(parsed.success, 'Unknown action', { status: 400 });
  const here = `/competitions/${rules.slug}/proposals/${number}`;
  switch (parsed.data.intent) {
    case 'follow':
      invariantResponse(await followProposal(rules, number, user.id), 'Not found', { status: 404 });
      return redirectWithToast(here, { type: 'success', key: 'proposals:toast.followed' });
    case 'unfollow':
      invariantResponse(await unfollowProposal(rules, number, user.id), 'Not found', { status: 404 });
      return redirectWithToast(here, { type: 'info', key: 'proposals:toast.unfollowed' });
    case 'invite': {
      const invited = await inviteCoAuthor({ rules, number, inviterId: user.id, identifier: parsed.data.identifier ?? '', ip: clientIp(request) });
      if (!invited.ok) {
        if (invited.reason === 'notFound') throw new Response('Not found', { status: 404 });
        return data({ error: invited.reason }, { status: 400 });
      }
      // Shown once, here: the code the inviter may hand over in person.
      return data({ error: null, handoverCode: invited.handoverCode, messaged: invited.messaged });
    }
    case 'withdraw': {
      if (!confirmedField.safeParse(parsed.data.confirm).success) return data({ error: null, confirm: ['confirmRequired'] }, { status: 400 });
      const result = await withdrawProposal({ rules, number, userId: user.id });
      if (!result.ok) {
        if (result.reason === 'notFound') throw new Response('Not found', { status: 404 });
        return data({ error: result.reason }, { status: 400 });
      }
      return redirectWithToast(here, { type: 'info', key: 'proposals:toast.withdrawn' });
    }
  }
}

function Section({ title, children }: { title: string; children: string }) {
  if (!children) return null;
  return (
    <section>
      <h3 className="mb-1 text-lg font-semibold">{title}</h3>
      <p className="whitespace-pre-line text-stone-800">{children}</p>
    </section>
  );
}

export default function ProposalPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { slug, proposal, comments, needs, versions, signedIn, shareUrl, shortUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const category = competition?.categories.find((c) => c.code === proposal.category);
  const isPublic = proposal.status !== 'draft' && proposal.status !== 'withdrawn';
  return (
    <article className="space-y-5">
      {proposal.status === 'draft' ? <p className="rounded-lg bg-amber-50 p-3 text-amber-900">{t('detail.draftNotice')}</p> : null}
      {proposal.status === 'withdrawn' ? <p className="rounded-lg bg-stone-100 p-3">{t('detail.withdrawnNotice')}</p> : null}
      {proposal.mergedInto ? (
        <p className="rounded-lg bg-stone-100 p-3">
          <Link to={`../${proposal.mergedInto.number}`} relative="path" className="underline">
            {t('detail.mergedInto', { number: proposal.mergedInto.number, title: proposal.mergedInto.title })}
          </Link>
        </p>
      ) : null}
      <header className="space-y-2" data-read-aloud>
        <p className="text-sm text-stone-500">
          <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
            {t('list.title')}
          </Link>{' '}
          · {t('detail.number', { number: proposal.number })} ·{' '}
          <ProposalStatusBadge status={proposal.status} funded={proposal.funded} />
        </p>
        <h2 className="text-2xl font-bold">{proposal.title}</h2>
        {proposal.funded ? (
          <p className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-emerald-950">
            {t('detail.fundedNotice')}{' '}
            <Link to="../../results" relative="path" className="font-semibold underline">
              {t('detail.seeResults')}
            </Link>
            {proposal.projectNumber ? (
              <Link to={`../../projects/${proposal.projectNumber}`} relative="path" className="mt-2 block min-h-11 font-semibold underline">
                {t('projects:detail.seeProject')}
              </Link>
            ) : null}
          </p>
        ) : null}
        {proposal.assistedBy ? (
          <p className="inline-block rounded-full bg-sky-50 px-3 py-1 text-sm text-sky-900">{t('assist:badge', { name: proposal.assistedBy })}</p>
        ) : null}
        <p className="text-lg text-stone-700">{proposal.summary}</p>
      </header>
      {isPublic ? <NoticeTools pdfHref={`/competitions/${slug}/proposals/${proposal.number}/notice.pdf`} language={language} /> : null}

      {proposal.screeningReason ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-3">
          <p className="font-semibold">{t('detail.screeningReason')}</p>
          <p className="whitespace-pre-line">{proposal.screeningReason}</p>
          {proposal.changesDueAt ? <p>{t('detail.changesDue', { date: formatDate(proposal.changesDueAt, language, { dateStyle: 'long' }) })}</p> : null}
        </div>
      ) : null}

      <dl className="card grid grid-cols-2 gap-3 sm:grid-cols-4" data-read-aloud>
        <div>
          <dt className="text-sm text-stone-500">{t('detail.requested')}</dt>
          <dd className="text-xl font-semibold">{formatMoney(proposal.totalFen, language)}</dd>
        </div>
        <div>
          <dt className="text-sm text-stone-500">{t('detail.category')}</dt>
          <dd>{pickText(category?.name, language) || '—'}</dd>
        </div>
        <div>
          <dt className="text-sm text-stone-500">{t('detail.community')}</dt>
          <dd>{proposal.community ? `${pickText(proposal.street?.name, language)} · ${pickText(proposal.community.name, language)}` : '—'}</dd>
        </div>
        <div>
          <dt className="text-sm text-stone-500">{t('detail.by')}</dt>
          <dd>{proposal.authors.join('、')}</dd>
        </div>
      </dl>

      <div className="flex flex-wrap items-center gap-3">
        {signedIn && proposal.status !== 'draft' && proposal.status !== 'withdrawn' ? (
          <Form method="post">
            <button type="submit" name="intent" value={proposal.following ? 'unfollow' : 'follow'} className={proposal.following ? 'btn-secondary' : 'btn-primary'}>
              {proposal.following ? t('detail.unfollow') : t('detail.follow')} · {proposal.followerCount}
            </button>
          </Form>
        ) : null}
        {!signedIn ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(new URL(shareUrl).pathname)}`} className="btn-secondary">
            {t('detail.loginToFollow')}
          </Link>
        ) : null}
        {proposal.canEdit ? (
          <Link to="edit" className="btn-secondary">
            {t('detail.edit')}
          </Link>
        ) : null}
        {proposal.canEdit ? (
          <Link to="needs" className="btn-secondary">
            {t('detail.citeNeeds')}
          </Link>
        ) : null}
        {proposal.isAuthor && ['submitted', 'changesRequested'].includes(proposal.status) ? (
          <Form method="post" className="flex flex-wrap items-start gap-2">
            <ConfirmStep act="withdraw" values={{ title: proposal.title }} errors={actionData && 'confirm' in actionData ? actionData.confirm : null} />
            <button type="submit" name="intent" value="withdraw" className="btn-danger">
              {t('detail.withdraw')}
            </button>
          </Form>
        ) : null}
      </div>

      {actionData?.error ? <ErrorList errors={[actionData.error]} /> : null}

      {proposal.isAuthor && proposal.status !== 'withdrawn' && proposal.status !== 'merged' ? (
        <section className="card space-y-3">
          <h3 className="text-lg font-semibold">{t('coauthors.title')}</h3>
          <p className="text-sm text-stone-600">{t('coauthors.help')}</p>
          {actionData && 'handoverCode' in actionData && actionData.handoverCode ? (
            <div className="rounded-lg border border-brand-600 bg-brand-50 p-3" role="status" data-testid="handover-code">
              <p>{actionData.messaged ? t('coauthors.invitedMessaged') : t('coauthors.invitedNotMessaged')}</p>
              <p className="mt-1">{t('coauthors.handoverHelp')}</p>
              <p className="mt-2 font-mono text-2xl tracking-widest">{actionData.handoverCode}</p>
            </div>
          ) : null}
          {proposal.invitations.length ? (
            <ul className="text-sm">
              {proposal.invitations.map((invitation, index) => (
                <li key={index}>
                  {invitation.who} · {t(`coauthors.status.${invitation.status}`)}
                </li>
              ))}
            </ul>
          ) : null}
          {proposal.canInvite ? (
            <Form method="post" className="flex gap-2">
              <input type="hidden" name="intent" value="invite" />
              <label htmlFor="invite-identifier" className="sr-only">
                {t('coauthors.identifier')}
              </label>
              <input id="invite-identifier" name="identifier" className="input" placeholder={t('coauthors.identifier')} required />
              <button type="submit" className="btn-secondary">
                {t('coauthors.invite')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {proposal.photos.length ? (
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
          {proposal.photos.map((photo, index) => (
            <li key={photo.fileId}>
              <a href={`/uploads/${photo.fileId}`}>
                <img src={`/uploads/${photo.fileId}?size=thumb`} alt={photo.caption || t('detail.photoAlt', { n: index + 1, title: proposal.title })} className="aspect-[4/3] w-full rounded-lg object-cover" loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      <section className="card space-y-4" data-read-aloud>
        {proposal.beneficiaries.length ? (
          <section>
            <h3 className="mb-1 text-lg font-semibold">{t('detail.beneficiaries')}</h3>
            <ul className="flex flex-wrap gap-2">
              {proposal.beneficiaries.map((b) => (
                <li key={b.group} className="rounded-full bg-brand-50 px-3 py-1 text-brand-800">
                  {t(`group.${b.group}`)} · {t('detail.people', { count: b.count })}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <Section title={t('fields.problem')}>{proposal.problem}</Section>
        <Section title={t('fields.plan')}>{proposal.plan}</Section>
        <Section title={t('fields.schedule')}>{proposal.schedule}</Section>
        <Section title={t('fields.outcomes')}>{proposal.outcomes}</Section>
        <Section title={t('fields.sustainability')}>{proposal.sustainability}</Section>
        {proposal.organization.name ? (
          <section>
            <h3 className="mb-1 text-lg font-semibold">{t('detail.organization')}</h3>
            <p>
              {proposal.organization.name} ·{' '}
              <span className="text-stone-600">{t(proposal.organization.kind === 'new' ? 'fields.organizationNew' : 'fields.organizationExisting')}</span>
            </p>
          </section>
        ) : null}
      </section>

      {needs.cards.length ? (
        <section className="space-y-2" aria-labelledby="cited-needs">
          <h3 id="cited-needs" className="text-lg font-semibold">
            {t('detail.answersNeeds')}
          </h3>
          <p className="text-sm text-stone-600">{t('detail.answersNeedsHelp')}</p>
          <NeedCards cards={needs.cards} categories={needs.categories} label={t('detail.answersNeeds')} />
        </section>
      ) : null}

      {proposal.budget.length ? (
        <section className="card">
          <h3 className="mb-2 text-lg font-semibold">{t('fields.budget')}</h3>
          <ScrollRegion label={t('fields.budget')}>
          <table className="w-full text-left">
            <thead>
              <tr className="border-b border-stone-300 text-sm text-stone-600">
                <th className="py-1 pr-2">{t('fields.item')}</th>
                <th className="py-1 pr-2 text-right">{t('fields.quantity')}</th>
                <th className="py-1 pr-2 text-right">{t('fields.unitPrice')}</th>
                <th className="py-1 text-right">{t('fields.lineTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {proposal.budget.map((line, index) => (
                <tr key={index} className="border-b border-stone-100">
                  <td className="py-1 pr-2">{line.item}</td>
                  <td className="py-1 pr-2 text-right">{formatNumber(line.quantity, language)}</td>
                  <td className="py-1 pr-2 text-right">{formatMoney(line.unitPriceFen, language)}</td>
                  <td className="py-1 text-right">{formatMoney(line.quantity * line.unitPriceFen, language)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="font-semibold">
                <td className="pt-2" colSpan={3}>
                  {t('fields.total')}
                </td>
                <td className="pt-2 text-right">{formatMoney(proposal.totalFen, language)}</td>
              </tr>
            </tfoot>
          </table>
          </ScrollRegion>
        </section>
      ) : null}

      <section className="card grid gap-4 sm:grid-cols-2" data-print-hide>
        <div>
          <h3 className="mb-2 text-lg font-semibold">{t('detail.history')}</h3>
          <ol className="space-y-1 text-sm">
            {proposal.statusHistory.map((entry, index) => (
              <li key={index}>
                <span className="text-stone-500">{formatDate(entry.at, language, { dateStyle: 'medium', timeStyle: 'short' })}</span> ·{' '}
                {t(`status.${entry.status}`)}
                {entry.reason ? <span className="text-stone-600"> — {entry.reason}</span> : null}
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h3 className="mb-2 text-lg font-semibold">{t('detail.versions')}</h3>
          {versions.length === 0 ? <p className="text-sm text-stone-600">{t('detail.noVersions')}</p> : null}
          <ol className="space-y-1 text-sm">
            {versions.map((v) => (
              <li key={v.revision}>
                <span className="text-stone-500">{formatDate(v.at, language, { dateStyle: 'medium', timeStyle: 'short' })}</span> ·{' '}
                {t('detail.versionLine', { editor: v.editor, fields: v.fields.map((f) => t(`fields.${f}`)).join('、') })}
              </li>
            ))}
          </ol>
        </div>
      </section>

      {proposal.status !== 'draft' && proposal.status !== 'withdrawn' ? (
        <section className="card flex flex-wrap items-center gap-4" data-print-hide>
          <img src={`${new URL(shareUrl).pathname}/qr.svg`} alt={t('detail.qrAlt')} width={144} height={144} className="rounded border border-stone-200" />
          <div className="min-w-0 flex-1 space-y-2">
            <h3 className="text-lg font-semibold">{t('detail.share')}</h3>
            <p className="text-sm text-stone-600">{t('detail.shareHelp')}</p>
            <CopyField value={shareUrl} label={t('detail.copyLink')} copyLabel={t('detail.copy')} copiedLabel={t('detail.copied')} />
          </div>
        </section>
      ) : null}

      {comments ? (
        <div data-print-hide>
          <CommentsSection competitionSlug={slug} proposalNumber={proposal.number} section={comments} />
        </div>
      ) : null}
      {isPublic ? <PrintOnlyAddress qrSrc={`${new URL(shareUrl).pathname}/qr.svg`} shortUrl={shortUrl} /> : null}
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
