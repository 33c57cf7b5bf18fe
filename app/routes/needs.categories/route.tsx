import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { addCategory, listCategories, saveCategory } from '~/features/needs/categories.server';
import { categoryFormSchema } from '~/features/needs/needs.schema.server';
import { titleMeta } from '~/utils/meta';

export const handle = { i18n: ['common', 'needs'] };

/**
 * The needs whistle's service categories, for admins: rename (Chinese and English), order,
 * retire or bring back, add. A retired category leaves the raise form and the board's filter;
 * needs raised with it keep it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'need:categories');
  const [categories, title] = await Promise.all([listCategories(), pageTitle(request, 'needs:categories.title', ['needs', 'common'])]);
  return { title, categories };
}

type Reply = { code: string | null; errors: string[]; values?: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'need:categories');
  const fields = Object.fromEntries(await readForm(request));
  const typed = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const code = typeof fields.code === 'string' ? fields.code : null;
  const parsed = categoryFormSchema.safeParse(fields);
  if (!parsed.success) return data<Reply>({ code: fields.intent === 'add' ? null : code, errors: [...new Set(parsed.error.issues.map((i) => i.message))], values: typed }, { status: 400 });
  const values = { zh: parsed.data.zh, en: parsed.data.en, order: parsed.data.order };
  const result =
    parsed.data.intent === 'save'
      ? await saveCategory({ actorId: user.id, code: parsed.data.code, revision: parsed.data.revision, values: { ...values, active: parsed.data.active === 'yes' }, ip: clientIp(request) })
      : await addCategory({ actorId: user.id, code: parsed.data.code, values, ip: clientIp(request) });
  if (!result.ok) return data<Reply>({ code: parsed.data.intent === 'add' ? null : parsed.data.code, errors: [result.reason], values: typed }, { status: result.reason === 'notFound' ? 404 : 409 });
  return redirectWithToast('/needs/categories', { type: 'success', key: 'needs:categories.saved', values: { code: parsed.data.code } });
}

function CategoryFields({ prefix, values }: { prefix: string; values: { zh: string; en: string; order: string } }) {
  const { t } = useTranslation('needs');
  return (
    <>
      <div>
        <label htmlFor={`${prefix}-zh`} className="mb-1 block font-medium">
          {t('categories.zh')}
        </label>
        <input id={`${prefix}-zh`} name="zh" className="input" defaultValue={values.zh} maxLength={30} required />
      </div>
      <div>
        <label htmlFor={`${prefix}-en`} className="mb-1 block font-medium">
          {t('categories.en')}
        </label>
        <input id={`${prefix}-en`} name="en" className="input" defaultValue={values.en} maxLength={60} required />
      </div>
      <div>
        <label htmlFor={`${prefix}-order`} className="mb-1 block font-medium">
          {t('categories.order')}
        </label>
        <input id={`${prefix}-order`} name="order" type="number" inputMode="numeric" min={0} max={999} className="input w-24" defaultValue={values.order} required />
      </div>
    </>
  );
}

export default function NeedCategories() {
  const { t } = useTranslation(['needs', 'common']);
  const { categories } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const typed = (code: string | null) => (reply && reply.code === code ? reply.values : undefined);
  const errorsOf = (code: string | null) => (reply && reply.code === code ? reply.errors : null);
  const next = String(Math.max(-1, ...categories.map((c) => c.order)) + 1);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">{t('categories.title')}</h1>
      <p className="text-stone-700">{t('categories.intro')}</p>
      <ul className="space-y-3" aria-label={t('categories.title')}>
        {categories.map((c) => {
          const values = typed(c.code);
          return (
            <li key={c.code} className="card">
              <Form method="post" className="flex flex-wrap items-end gap-3">
                <input type="hidden" name="intent" value="save" />
                <input type="hidden" name="code" value={c.code} />
                <input type="hidden" name="revision" value={c.revision} />
                <p className="w-full font-mono text-sm text-stone-600">{c.code}</p>
                <CategoryFields prefix={`category-${c.code}`} values={{ zh: values?.zh ?? c.zh, en: values?.en ?? c.en, order: values?.order ?? String(c.order) }} />
                <label className="inline-flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="active" value="yes" defaultChecked={values ? values.active === 'yes' : c.active} className="h-5 w-5" />
                  {t('categories.active')}
                </label>
                <button type="submit" className="btn-primary">
                  {t('categories.save')}
                </button>
                <div className="w-full">
                  <ErrorList errors={errorsOf(c.code)} keyPrefixes={['needs:categories.errors.', 'needs:error.']} />
                </div>
              </Form>
            </li>
          );
        })}
      </ul>
      <section className="card space-y-3" aria-labelledby="add-category">
        <h2 id="add-category" className="text-xl font-semibold">
          {t('categories.add')}
        </h2>
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="add" />
          <div>
            <label htmlFor="new-code" className="mb-1 block font-medium">
              {t('categories.code')}
            </label>
            <input id="new-code" name="code" className="input" defaultValue={typed(null)?.code ?? ''} pattern="[a-zA-Z][a-zA-Z0-9]*" maxLength={40} required aria-describedby="new-code-help" />
            <p id="new-code-help" className="text-sm text-stone-600">
              {t('categories.codeHelp')}
            </p>
          </div>
          <CategoryFields prefix="new" values={{ zh: typed(null)?.zh ?? '', en: typed(null)?.en ?? '', order: typed(null)?.order ?? next }} />
          <button type="submit" className="btn-primary">
            {t('categories.addSubmit')}
          </button>
          <div className="w-full">
            <ErrorList errors={errorsOf(null)} keyPrefixes={['needs:categories.errors.', 'needs:error.']} />
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
