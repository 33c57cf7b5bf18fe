import { connectDb, disconnectDb } from '~/core/db.server';
import { backfillProjects } from '~/features/projects/projects.server';

/**
 * `npm run projects:backfill` creates the projects of every published result that lacks them
 * (a database whose results were published before projects existed). Idempotent: a second run
 * creates nothing. With the embedded database, stop the app first.
 */
await connectDb({ persist: true });
const created = await backfillProjects();
console.log(created ? `${created} project(s) created.` : 'Every published result already has its projects.');
await disconnectDb();
