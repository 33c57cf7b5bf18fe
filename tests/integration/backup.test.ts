import { describe, expect, it } from 'vitest';
import { Proposal, User } from '#models';
import { resetDatabase, seedDemo } from '#seeds/seed';
import { exportAll, importAll } from '~/core/backup.server';

describe('backup and restore', () => {
  it('round-trips the demo data exactly, uploads included', async () => {
    await resetDatabase();
    await seedDemo();
    const first = await exportAll();
    const users = await User.countDocuments();
    await resetDatabase();
    expect(await User.countDocuments()).toBe(0);

    const counts = await importAll(first);
    expect(counts.users).toBe(users);
    const second = await exportAll();
    const strip = (text: string) => text.replace(/"createdAt":"[^"]+","collections"/, '"collections"');
    // Same documents, same ids, dates, binary chunks: the two exports differ only in their own timestamp.
    expect(strip(second)).toBe(strip(first));
    expect(await Proposal.countDocuments()).toBeGreaterThanOrEqual(40);
  });

  it('refuses a file that is not a backup, and changes nothing', async () => {
    const before = await User.countDocuments();
    await expect(importAll('{"collections":{"users":[]}}')).rejects.toThrow(/Not a Laoshanxing backup/);
    expect(await User.countDocuments()).toBe(before);
  });
});
