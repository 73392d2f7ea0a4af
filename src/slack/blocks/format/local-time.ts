const DAY_MS = 24 * 60 * 60_000;

/** "Mon 09:00", or "Mon 7 Dec 09:00" when it is six days or more away from `now`. */
export function localLabel(instant: Date, timeZone: string, now: Date): string {
  const withDate = Math.abs(instant.getTime() - now.getTime()) >= 6 * DAY_MS;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    ...(withDate ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(instant)
    .replace(',', '');
}
