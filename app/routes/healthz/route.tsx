import { pingDb } from '~/core/db.server';

/** For load balancers: 200 when the database answers, 503 otherwise. */
export async function loader() {
  try {
    await pingDb();
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ status: 'database unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
