import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { readForm } from '~/core/request.server';
import { textSizeSetCookie } from '~/core/text-size.server';
import { safeRedirect } from '~/utils/misc';

export function loader() {
  return redirect('/');
}

/**
 * The header's "大字" switch, without JavaScript too: remembers the choice on this device and
 * goes back to the page it came from, a same-origin path only (safeRedirect; anything else goes
 * home). Switching back clears the cookie, so a normal-size visitor carries no extra cookie.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const size = form.get('size');
  if (size !== 'large' && size !== 'normal') throw new Response('Unknown size', { status: 400 });
  return redirect(safeRedirect(form.get('redirectTo'), '/'), { status: 303, headers: { 'Set-Cookie': textSizeSetCookie(size === 'large') } });
}
