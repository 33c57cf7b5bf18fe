/**
 * npm run backup -- <file.json>   writes every collection (uploads included) as Extended JSON
 * npm run restore -- <file.json>  replaces the collections in the file with its contents
 * Uses the same database as the app (MONGODB_URI, else the embedded one under DATA_DIR); stop the
 * app first when it is embedded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { exportAll, importAll } from '~/core/backup.server';
import { connectDb, disconnectDb } from '~/core/db.server';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'backup' && mode !== 'restore') || !file) {
  console.error('usage: tsx scripts/backup.ts backup|restore <file.json>');
  process.exit(2);
}
await connectDb({ persist: true });
try {
  if (mode === 'backup') {
    const text = await exportAll();
    await writeFile(file, text);
    console.log(`Backup written to ${file} (${(text.length / 1024).toFixed(0)} KiB).`);
  } else {
    const counts = await importAll(await readFile(file, 'utf8'));
    console.log(`Restored ${Object.values(counts).reduce((a, b) => a + b, 0)} documents in ${Object.keys(counts).length} collections.`);
  }
} finally {
  await disconnectDb();
}
