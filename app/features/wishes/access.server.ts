import { requireUser } from '~/core/auth.server';
import { areaPlaces, listPlaces, workerArea } from './wishes.server';

/**
 * The worker pages' guard: signed in, and a grid or community worker somewhere (or an admin).
 * A 403 for anyone else. Returns the places of the area, grouped by street, for the forms and
 * filters; each act checks the wish's own place again.
 */
export async function requireWishWorker(request: Request) {
  const user = await requireUser(request);
  const area = workerArea(user.roles);
  if (area && area.streets.length === 0 && area.communities.length === 0) throw new Response('Forbidden: wish:register', { status: 403 });
  const all = await listPlaces();
  return { user, places: areaPlaces(all, user.roles), all };
}
