import { connectDb, disconnectDb, reconcileIndexes } from '~/core/db.server';

/**
 * `npm run indexes` lists, per collection, the indexes the database has that no schema declares
 * (left by earlier releases) and those it lacks; `npm run indexes -- --apply` drops and builds
 * them (mongoose syncIndexes). Run it once after deploying a release that changed indexes.
 */
const apply = process.argv.includes('--apply');
await connectDb();
const reports = await reconcileIndexes({ apply });
let changes = 0;
for (const report of reports) {
  for (const name of report.toDrop) console.log(`${report.collection}: ${apply ? 'dropped' : 'would drop'} ${name}`);
  for (const spec of report.toCreate) console.log(`${report.collection}: ${apply ? 'built' : 'would build'} ${spec}`);
  changes += report.toDrop.length + report.toCreate.length;
}
console.log(changes ? `${changes} index change(s)${apply ? ' applied' : '; run with --apply to make them'}.` : 'Indexes match the schemas.');
await disconnectDb();
