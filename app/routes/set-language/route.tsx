import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { getOptionalUser } from '~/core/auth.server';
import { languageCookie } from '~/core/i18n.server';
import { setLanguage } from '~/features/accounts/users.server';
import { LANGUAGES } from '~/core/locales';
import { safeRedirect } from '~/utils/misc';
import { readForm } from '~/core/request.server';

const schema = z.object({ language: z.enum(LANGUAGES), redirectTo: z.string().optional() });

export function loader() {
  return redirect('/');
}

/** Remembers the choice in a cookie and, for a signed-in user, in the profile. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response('Unknown language', { status: 400 });
  const user = await getOptionalUser(request);
  if (user) await setLanguage(user.id, parsed.data.language);
  return redirect(safeRedirect(parsed.data.redirectTo, '/'), {
    status: 303,
    headers: { 'Set-Cookie': await languageCookie.serialize(parsed.data.language) },
  });
}
