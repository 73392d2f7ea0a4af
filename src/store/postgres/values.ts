/** Guards for values bound to statements: refuse what the SQLite store also refuses, with the same errors. */

export function validDate(date: Date): Date {
  if (!Number.isFinite(date.getTime())) throw new RangeError('Cannot store an invalid Date');
  return date;
}

export function validDateOrNull(date: Date | null): Date | null {
  return date === null ? null : validDate(date);
}

/** now + leaseMs, rounded up to whole milliseconds as in SQLite. */
export function leaseEnd(now: Date, leaseMs: number): Date {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive number of milliseconds, got ${leaseMs}`);
  return new Date(validDate(now).getTime() + Math.ceil(leaseMs));
}
