import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { JudgingAdminNav, JudgingError } from '~/features/judging/judging';
import { assignSchema } from '~/features/judging/judging.schema';
import { pageTitle } from '~/core/i18n.server';
import { assignJudges, judgingProgress } from '~/features/judging/assignment.server';
import { judgingContext } from '~/features/judging/context.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { MIN_JUDGES_PER_PROPOSAL } from '~/features/judging/rules';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'judging'] };

/** The committee assigns eligible proposals to judges: everyone to everything, or a panel per category. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = judgingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const { judges, rows } = await judgingProgress(ctx);
  const perCategory = ctx.categories.map((code) => ({ code, proposals: rows.filter((r) => r.category === code).length }));
  return {
    title: await pageTitle(request, 'judging:assign.title', ['judging', 'common']),
    slug: ctx.slug,
    judges,
    perCategory,
    proposals: rows.length,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = judgingContext(competition);
  const submission = parseWithZod(await readForm(request), { schema: assignSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const { mode, category, judges } = submission.value;
  const result = await assignJudges({ ctx, actorId: user.id, mode, category, judgeIds: judges, ip: clientIp(request) });
  if (!result.ok) return data({ result: submission.reply(), reason: result.reason }, { status: 400 });
  return redirectWithToast(`/competitions/${ctx.slug}/judging`, { type: 'success', key: 'judging:toast.assigned', values: { count: result.created } });
}

export default function AssignPage() {
  const { t } = useTranslation(['judging', 'common']);
  const { slug, judges, perCategory, proposals } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const categoryName = (code: string) => pickText(competition?.categories.find((c) => c.code === code)?.name, language) || code;
  const errors = actionData?.result.error;
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('assign.title')}</h2>
      <JudgingAdminNav slug={slug} />
      <p className="text-stone-600">{t('assign.intro', { min: MIN_JUDGES_PER_PROPOSAL })}</p>
      <JudgingError reason={actionData?.reason} />
      {judges.length === 0 ? <p className="card text-stone-600">{t('assign.noJudges')}</p> : null}

      <Form method="post" className="card space-y-3">
        <input type="hidden" name="mode" value="all" />
        <p className="font-semibold">{t('assign.allTitle')}</p>
        <p className="text-sm text-stone-600">{t('assign.allHelp', { judges: judges.length, proposals })}</p>
        <button type="submit" className="btn-primary" disabled={judges.length === 0}>
          {t('assign.allSubmit')}
        </button>
      </Form>

      <Form method="post" className="card space-y-3">
        <input type="hidden" name="mode" value="panel" />
        <p className="font-semibold">{t('assign.panelTitle')}</p>
        <label className="block">
          <span className="mb-1 block text-sm">{t('assign.category')}</span>
          <select name="category" className="input" required>
            {perCategory.map((c) => (
              <option key={c.code} value={c.code}>
                {t('assign.categoryOption', { name: categoryName(c.code), count: c.proposals })}
              </option>
            ))}
          </select>
        </label>
        <ErrorList errors={errors?.category} />
        <fieldset className="space-y-1">
          <legend className="mb-1 text-sm">{t('assign.judges')}</legend>
          {judges.map((j) => (
            <label key={j.id} className="flex items-center gap-2">
              <input type="checkbox" name="judges" value={j.id} className="h-5 w-5" />
              {j.name}
            </label>
          ))}
        </fieldset>
        <ErrorList errors={errors?.judges} />
        <button type="submit" className="btn-secondary" disabled={judges.length === 0}>
          {t('assign.panelSubmit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
