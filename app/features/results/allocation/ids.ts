/**
 * Project ids compare as numbers when both are plain digit strings ("9" before "10", as a
 * committee reading proposal numbers expects), otherwise (and between "07" and "7") as strings
 * by code unit, so the order is the same on every machine and locale.
 */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
