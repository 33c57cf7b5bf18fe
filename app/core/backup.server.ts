import mongoose from 'mongoose';

/**
 * Backup and restore of every collection (uploads included) as Extended JSON, which keeps
 * ObjectIds, dates and binary data exact. Used by `npm run backup` / `npm run restore`.
 */
const { EJSON } = mongoose.mongo.BSON;

export interface Backup {
  format: 'laoshanxing-backup';
  version: 1;
  createdAt: string;
  collections: Record<string, unknown[]>;
}

function db() {
  const database = mongoose.connection.db;
  if (!database) throw new Error('not connected');
  return database;
}

export async function exportAll(): Promise<string> {
  const names = (await db().listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
  const collections: Record<string, unknown[]> = {};
  for (const name of names) collections[name] = await db().collection(name).find().sort({ _id: 1 }).toArray();
  const backup: Backup = { format: 'laoshanxing-backup', version: 1, createdAt: new Date().toISOString(), collections };
  return EJSON.stringify(backup, { relaxed: false });
}

/** Replaces the contents of every collection in the backup; collections not in it are left alone. */
export async function importAll(text: string): Promise<Record<string, number>> {
  const backup = EJSON.parse(text, { relaxed: false }) as Backup;
  if (backup.format !== 'laoshanxing-backup' || Number(backup.version) !== 1) throw new Error('Not a Laoshanxing backup (format/version)');
  const counts: Record<string, number> = {};
  for (const [name, docs] of Object.entries(backup.collections)) {
    const collection = db().collection(name);
    await collection.deleteMany({});
    // Without transactions: in batches, so a large collection does not need one huge message.
    for (let i = 0; i < docs.length; i += 500) {
      await collection.insertMany(docs.slice(i, i + 500) as mongoose.mongo.OptionalId<mongoose.mongo.Document>[], { ordered: true });
    }
    counts[name] = docs.length;
  }
  return counts;
}
