/**
 * `npm run seed`: empties the database and loads the demo data. Uses the same database the app
 * would (MONGODB_URI, else the embedded one under DATA_DIR) — stop the app first when it is
 * embedded, since the data file has one owner at a time.
 */
import { connectDb, disconnectDb } from '~/core/db.server';
import { resetDatabase, seedDemo } from './seed';

await connectDb({ persist: true });
await resetDatabase();
await seedDemo();
console.log('Demo data loaded.');
await disconnectDb();
