import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Project } from '#models';

const LOCK_MS = 15_000;
const LOCK_TRIES = 40;
const LOCK_WAIT_MS = 50;

/**
 * Runs `work` holding the project's ledger lock: one conditional update takes it (free, or
 * expired after LOCK_MS if a process died holding it), the token releases it. Two approvals of
 * one project therefore never both count the budget the other is about to spend, and a plan's
 * approval and a lowered budget never both pass a check the other would fail.
 */
export async function withLedgerLock<T>(projectId: string, work: () => Promise<T>): Promise<T | 'busy'> {
  const token = randomUUID();
  for (let attempt = 0; attempt < LOCK_TRIES; attempt++) {
    const now = new Date();
    const taken = await Project.updateOne(
      { _id: projectId, $or: [{ 'ledgerLock.until': null }, { 'ledgerLock.until': mongoose.trusted({ $lt: now }) }] },
      { $set: { ledgerLock: { token, until: new Date(now.getTime() + LOCK_MS) } } },
    );
    if (taken.modifiedCount === 1) {
      try {
        return await work();
      } finally {
        await Project.updateOne({ _id: projectId, 'ledgerLock.token': token }, { $set: { ledgerLock: { token: null, until: null } } });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS + Math.floor(Math.random() * LOCK_WAIT_MS)));
  }
  return 'busy';
}
