/** Go's zero time: Gtmhub's way of saying "no due date". */
export const NO_DUE_DATE = '0001-01-01T00:00:00Z';

export function hasDueDate(dueDate: string | null | undefined): dueDate is string {
  return !!dueDate && !dueDate.startsWith('0001-01-01');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for ISO-8601 date or date-time strings that Date.parse understands. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

export function addDays(date: Date | string, days: number): Date {
  return new Date(new Date(date).getTime() + days * 86_400_000);
}

export function iso(date: Date): string {
  return date.toISOString();
}
