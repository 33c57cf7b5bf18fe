import { connectDb, disconnectDb } from '~/core/db.server';
import { getEnv } from '~/core/env.server';
import { escalateStaleNeeds } from '~/features/needs/escalation.server';
import { remindOverdueWishClaims } from '~/features/wishes/reminders.server';

/**
 * `npm run housekeeping` runs the app's background jobs once, for a deployment that turns their
 * timers off (NEED_ESCALATION_CHECK_MINUTES=0, WISH_REMINDER_CHECK_MINUTES=0) and runs this from
 * cron instead: needs unclaimed for NEED_ESCALATION_DAYS go to their street committee, and
 * overdue micro-wish claims are reminded. Both are idempotent: running it twice tells nobody twice.
 */
const env = getEnv();
await connectDb();
const escalated = await escalateStaleNeeds({ days: env.NEED_ESCALATION_DAYS });
const reminded = await remindOverdueWishClaims();
console.log(`needs escalated: ${escalated}; overdue micro-wish claims reminded: ${reminded}`);
await disconnectDb();
