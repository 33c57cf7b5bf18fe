import mongoose, { Types } from 'mongoose';
import { Ballot, Kiosk, Street } from '#models';

/**
 * Votes per kiosk per hour (the anomalies page, decision 032). A resident's turn at a kiosk
 * (a code by text message, the ballot, the "done" screen) takes a couple of minutes, so more than
 * KIOSK_VOTES_PER_HOUR counted ballots on one kiosk in one clock hour is worth a look: someone
 * may be voting for a queue of absent people. Hours are Shanghai's, which are whole UTC hours.
 */
export const KIOSK_VOTES_PER_HOUR = 30;
const HOUR_MS = 60 * 60 * 1000;

export interface KioskHourRow {
  key: string;
  kiosk: string;
  street: string;
  hour: string;
  count: number;
  flagged: boolean;
}

export async function kioskAnomalies(competitionId: string, language: 'zh' | 'en') {
  const ballots = await Ballot.find({ competition: new Types.ObjectId(competitionId) }).select('kiosk submittedAt voided').lean();
  const counts = new Map<string, { kiosk: string; hour: number; count: number }>();
  let total = 0;
  for (const ballot of ballots) {
    if (!ballot.kiosk || ballot.voided?.at) continue;
    total += 1;
    const hour = Math.floor(ballot.submittedAt.getTime() / HOUR_MS) * HOUR_MS;
    const key = `${String(ballot.kiosk)}:${hour}`;
    const row = counts.get(key) ?? { kiosk: String(ballot.kiosk), hour, count: 0 };
    row.count += 1;
    counts.set(key, row);
  }
  const kioskIds = [...new Set([...counts.values()].map((r) => r.kiosk))].map((id) => new Types.ObjectId(id));
  const kiosks = kioskIds.length ? await Kiosk.find({ _id: mongoose.trusted({ $in: kioskIds }) }).select('name street').lean() : [];
  const streetIds = [...new Set(kiosks.map((k) => String(k.street)))].map((id) => new Types.ObjectId(id));
  const streets = streetIds.length ? await Street.find({ _id: mongoose.trusted({ $in: streetIds }) }).select('name').lean() : [];
  const streetName = new Map(streets.map((s) => [String(s._id), (language === 'en' ? s.name.en : null) ?? s.name.zh]));
  const kioskOf = new Map(kiosks.map((k) => [String(k._id), { name: k.name, street: streetName.get(String(k.street)) ?? '' }]));
  const rows: KioskHourRow[] = [...counts.entries()]
    .map(([key, r]) => ({
      key,
      kiosk: kioskOf.get(r.kiosk)?.name ?? r.kiosk,
      street: kioskOf.get(r.kiosk)?.street ?? '',
      hour: new Date(r.hour).toISOString(),
      count: r.count,
      flagged: r.count > KIOSK_VOTES_PER_HOUR,
    }))
    .sort((a, b) => (a.hour === b.hour ? b.count - a.count : b.hour.localeCompare(a.hour)));
  return { kioskHours: rows, kioskBallots: total, kioskThreshold: KIOSK_VOTES_PER_HOUR };
}
