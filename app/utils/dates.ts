/**
 * Days in Asia/Shanghai (UTC+8 all year, no daylight saving). The database keeps UTC instants;
 * forms and printed slips speak of days there, written yyyy-mm-dd.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The first instant of that day in Shanghai. */
export function startOfShanghaiDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+08:00`);
}

/** The last instant (millisecond) of that day in Shanghai. */
export function endOfShanghaiDay(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999+08:00`);
}

/** Noon of that day in Shanghai: a day told without a time, stored so no time zone moves it. */
export function shanghaiNoon(isoDate: string): Date {
  return new Date(`${isoDate}T12:00:00+08:00`);
}

/** The Shanghai day (yyyy-mm-dd) an instant falls on. */
export function shanghaiDay(date: Date | number): string {
  return new Date(new Date(date).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A calendar day typed in a form (yyyy-mm-dd) as midnight of that day in Shanghai, or null when
 * it is not a real day (2027-02-30 would roll over to March: not a day anyone meant).
 */
export function parseShanghaiDay(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const utc = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(utc.getTime()) || utc.toISOString().slice(0, 10) !== text) return null;
  return startOfShanghaiDay(text);
}
