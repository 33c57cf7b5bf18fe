import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, SubmitButton } from '~/components/forms';
import { confirmedField } from '~/core/confirm.schema';
import { ResultsTable } from '~/features/results/results-table';
import { pageTitle } from '~/core/i18n.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { clientIp, readForm } from '~/core/request.server';
import { getPublishedResults, previewResults, publishResults } from '~/features/results/results.server';
import { createProjectsFromResult } from '~/features/projects/projects.server';
import { redirectWithToast } from '~/core/toast.server';
import { formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'results'] };

async function guard(args: CompetitionArgs) {
  const { user, ...competition } = await requireCompetition(args, 'competition:manage');
  return { rules: competitionRules(competition), user };
}

/** The committee compares greedy and the Method of Equal Shares on the same inputs, then publishes one. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { rules } = await guard({ request, params, context });
  const [preview, published, title] = await Promise.all([
    previewResults(rules.id),
    getPublishedResults(rules.id),
    pageTitle(request, 'results:preview.title', ['results', 'common']),
  ]);
  invariantResponse(preview, 'Not found', { status: 404 });
  const judges = [...new Set(preview.greedy.lines.flatMap((l) => Object.keys(l.judgeScores)))].sort();
  return { title, preview, judges, alreadyPublished: Boolean(published) };
}

const publishSchema = z.object({ method: z.enum(['greedy', 'mes'], { error: 'invalidChoice' }), confirm: confirmedField });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { rules, user } = await guard({ request, params, context });
  const parsed = publishSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const { method, confirm } = z.flattenError(parsed.error).fieldErrors;
    return data({ errors: method ?? [], confirm: confirm ?? [] }, { status: 400 });
  }
  const result = await publishResults({ competitionId: rules.id, slug: rules.slug, method: parsed.data.method, actorId: user.id, ip: clientIp(request) });
  if (!result.ok) return data({ errors: [result.reason], confirm: [] }, { status: 400 });
  // Every funded proposal becomes a project (idempotent: a retry or a second publisher creates none twice).
  await createProjectsFromResult(rules.id);
  return redirectWithToast(`/competitions/${rules.slug}/results`, { type: 'success', key: 'results:toast.published' });
}

export default function ResultsPreviewPage() {
  const { t } = useTranslation(['results', 'common']);
  const { preview, judges, alreadyPublished } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-5">
      <h2 className="text-2xl font-bold">{t('preview.title')}</h2>
      <p className="text-stone-600">{t('preview.intro')}</p>
      {(['greedy', 'mes'] as const).map((method) => {
        const outcome = preview[method];
        const funded = outcome.lines.filter((l) => l.funded).length;
        return (
          <section key={method} className="card space-y-3" aria-labelledby={`preview-${method}`}>
            <h3 id={`preview-${method}`} className="text-lg font-semibold">
              {t(`method.${method}`)}
            </h3>
            <p className="text-sm text-stone-600">
              {t('preview.summary', { funded, spent: formatMoney(outcome.spent, language), remaining: formatMoney(outcome.remaining, language) })}
            </p>
            <ResultsTable outcome={outcome} language={language} judges={judges} label={`${t('table.label')} · ${t(`method.${method}`)}`} />
          </section>
        );
      })}
      {alreadyPublished ? (
        <p className="card">{t('preview.published')}</p>
      ) : (
        <Form method="post" className="card space-y-3">
          <p className="font-semibold">{t('preview.choose')}</p>
          {(['greedy', 'mes'] as const).map((method) => (
            <label key={method} className="flex items-center gap-2">
              <input type="radio" name="method" value={method} defaultChecked={method === 'greedy'} className="h-5 w-5" />
              {t(`method.${method}`)}
            </label>
          ))}
          <p className="text-sm text-stone-600">{t('preview.warning')}</p>
          <ErrorList errors={actionData?.errors} />
          <ConfirmStep act="publish" errors={actionData?.confirm} />
          <SubmitButton pending="publishing">
            {t('preview.publish')}
          </SubmitButton>
        </Form>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
