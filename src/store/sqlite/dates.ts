/** The SQLite schema stores every date as epoch milliseconds (INTEGER). */
export function toMillis(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Cannot store an invalid Date');
  return ms;
}

export function toMillisOrNull(date: Date | null): number | null {
  return date === null ? null : toMillis(date);
}

export function fromMillis(ms: number): Date {
  return new Date(ms);
}

export function fromMillisOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
