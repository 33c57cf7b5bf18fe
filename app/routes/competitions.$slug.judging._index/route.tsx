import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { JudgingAdminNav, JudgingError, SheetStatusBadge } from '~/features/judging/judging';
import { reopenSchema } from '~/features/judging/judging.schema';
import { pageTitle } from '~/core/i18n.server';
import { judgingProgress, remindJudges, shortCoverage } from '~/features/judging/assignment.server';
import { judgingContext, sheetsOpen } from '~/features/judging/context.server';
import { reopenSheet } from '~/features/judging/sheets.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { MIN_JUDGES_PER_PROPOSAL } from '~/features/judging/rules';
import { titleMeta } from '~/utils/meta';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'judging'] };

/** The committee's view of judging: who has scored what (statuses only), coverage, reminders, reopening. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = judgingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const { judges, rows } = await judgingProgress(ctx);
  return {
    title: await pageTitle(request, 'judging:progress.title', ['judging', 'common']),
    slug: ctx.slug,
    open: sheetsOpen(ctx),
    judges,
    rows,
    short: shortCoverage(rows).map((r) => ({ number: r.number, title: r.title, activeJudges: r.activeJudges })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = judgingContext(competition);
  const formData = await readForm(request);
  const here = `/competitions/${ctx.slug}/judging`;
  if (formData.get('intent') === 'remind') {
    const reminded = await remindJudges({ ctx, actorId: user.id });
    if (!reminded.ok) return data({ result: null, reason: reminded.reason }, { status: 400 });
    return redirectWithToast(here, { type: 'success', key: 'judging:toast.reminded', values: { count: reminded.reminded } });
  }
  const submission = parseWithZod(formData, { schema: reopenSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const { judgeId, number, reason } = submission.value;
  const reopened = await reopenSheet({ ctx, judgeId, number, reason, actorId: user.id, ip: clientIp(request) });
  if (!reopened.ok) return data({ result: submission.reply(), reason: reopened.reason }, { status: reopened.reason === 'notFound' ? 404 : 400 });
  return redirectWithToast(here, { type: 'success', key: 'judging:toast.reopened', values: { number } });
}

export default function JudgingProgressPage() {
  const { t } = useTranslation(['judging', 'common']);
  const { slug, open, judges, rows, short } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.result?.error;
  const submitted = rows.flatMap((row) => row.cells.flatMap((cell, i) => (cell === 'submitted' ? [{ number: row.number, judge: judges[i]! }] : [])));
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('progress.title')}</h2>
      <JudgingAdminNav slug={slug} />
      <p className="text-stone-600">{open ? t('progress.open') : t('progress.closed')}</p>
      <JudgingError reason={actionData?.reason} />

      <section className="card space-y-2" aria-labelledby="coverage">
        <h3 id="coverage" className="text-lg font-semibold">
          {t('progress.coverageTitle', { min: MIN_JUDGES_PER_PROPOSAL })}
        </h3>
        {rows.length === 0 ? (
          <p className="text-stone-600">{t('progress.coverageNoProposals')}</p>
        ) : short.length === 0 ? (
          <p className="text-stone-600">{t('progress.coverageOk')}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-5" data-testid="short-coverage">
            {short.map((p) => (
              <li key={p.number}>
                <Link to={`../proposals/${p.number}`} relative="path" className="text-brand-800 underline">
                  #{p.number} {p.title}
                </Link>{' '}
                · {t('progress.judgeCount', { count: p.activeJudges })}
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm">
          <Link to="assign" className="inline-flex min-h-11 items-center text-brand-800 underline">
            {t('progress.toAssign')}
          </Link>
        </p>
      </section>

      {/* Said once each: no judges (the coverage list above already names the proposals short of them), or no proposals. */}
      {judges.length === 0 ? (
        <p className="card text-stone-600">{t('progress.noJudges')}</p>
      ) : rows.length === 0 ? (
        <p className="card text-stone-600">{t('progress.noProposals')}</p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">{t('progress.matrix')}</caption>
            <thead>
              <tr>
                <th scope="col" className="p-2 text-left">
                  {t('progress.proposal')}
                </th>
                {judges.map((j) => (
                  <th key={j.id} scope="col" className="p-2 text-left">
                    {j.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.number} className="border-t border-stone-100">
                  <th scope="row" className="p-2 text-left font-normal">
                    #{row.number} {row.title}
                  </th>
                  {row.cells.map((cell, i) => (
                    <td key={judges[i]!.id} className="p-2">
                      <SheetStatusBadge status={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {open ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="intent" value="remind" />
          <p className="font-semibold">{t('progress.remindTitle')}</p>
          <p className="text-sm text-stone-600">{t('progress.remindHelp')}</p>
          <button type="submit" className="btn-secondary">
            {t('progress.remind')}
          </button>
        </Form>
      ) : null}

      {open && submitted.length ? (
        <Form method="post" className="card grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <input type="hidden" name="intent" value="reopen" />
          <p className="font-semibold sm:col-span-3">{t('progress.reopenTitle')}</p>
          <label className="block">
            <span className="mb-1 block text-sm">{t('progress.reopenSheet')}</span>
            <select name="sheet" className="input" required>
              {submitted.map((s) => (
                <option key={`${s.judge.id}:${s.number}`} value={`${s.judge.id}:${s.number}`}>
                  #{s.number} · {s.judge.name}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="mb-1 block text-sm">{t('progress.reopenReason')}</span>
            <input name="reason" className="input" required minLength={5} />
            <ErrorList errors={errors?.reason} />
          </label>
          <button type="submit" className="btn-secondary">
            {t('progress.reopen')}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
