import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { destroySessionCookie } from '~/core/session.server';
import { redirectWithToast } from '~/core/toast.server';

/** GET never signs anyone out (no mutation by link or image); the header's form POSTs here. */
export function loader() {
  return redirect('/');
}

export async function action({ request }: ActionFunctionArgs) {
  const cleared = await destroySessionCookie(request);
  return redirectWithToast('/', { type: 'info', key: 'toast.loggedOut' }, { headers: { 'Set-Cookie': cleared } });
}
