import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { getOptionalUser } from '~/core/auth.server';
import { deviceKiosk, kioskSignOutHeaders } from '~/features/accounts/kiosk.server';

/** GET never signs anyone out (no mutation by link); the kiosk's "start over" and its idle timer POST here. */
export function loader() {
  return redirect('/kiosk');
}

/**
 * Ends the resident's turn at the kiosk ("start over", or the idle timer) and shows the start
 * screen, with the browser's cache of their pages dropped (decision 032). Only a kiosk session,
 * or any session on a kiosk (one that has just expired on the server, when the screen's timer
 * and the server's end cross), ends here: anyone else is simply sent to the start screen.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const [user, device] = await Promise.all([getOptionalUser(request, context), deviceKiosk(request, context)]);
  if (!user?.kiosk && device.state !== 'kiosk') return redirect('/kiosk', { status: 303, headers: { 'Cache-Control': 'no-store' } });
  const form = await request.formData();
  const idle = form.get('reason') === 'idle';
  return redirect(idle ? '/kiosk?idle=1' : '/kiosk', { status: 303, headers: await kioskSignOutHeaders(request) });
}
