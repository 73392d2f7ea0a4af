/**
 * Which key results a reminder names. A key result is *remindable* for an owner when it takes
 * manual check-ins now (KeyResultService's rules: manual, objective active, session not closed, not
 * past its due date) and *due* in a period when it has no check-in since the period started.
 */
import { hasDueDate, type Metric } from '../../gtmhub/types.js';
import type { ReminderItemSnapshot, ReminderMute } from '../../store/reminder-store.js';
import { lastCheckInOf, METRIC_LIST_FIELDS } from '../key-results.js';
import type { ReminderPeriod } from './schedule.js';

/** The listing fields plus every owner with their email, so owners map to Slack without more calls. */
export const REMINDER_METRIC_FIELDS = `${METRIC_LIST_FIELDS},assignees`;

export const DUE_SOON_MS = 7 * 24 * 60 * 60 * 1000;

/** No check-in since the period started. */
export function isDueIn(metric: Pick<Metric, 'lastCheckInDate'>, period: Pick<ReminderPeriod, 'start'>): boolean {
  const last = lastCheckInOf(metric);
  return last === null || last < period.start.getTime();
}

/** The key result's own due date is within the next 7 days. */
export function isDueSoon(metric: Pick<Metric, 'dueDate'>, now: Date): boolean {
  if (!hasDueDate(metric.dueDate)) return false;
  const due = Date.parse(metric.dueDate);
  return !Number.isNaN(due) && due >= now.getTime() && due - now.getTime() <= DUE_SOON_MS;
}

/** Whether `mute` keeps its key result out of reminders in `period` at `now`. */
export function isMuteActive(mute: ReminderMute, period: Pick<ReminderPeriod, 'key'>, now: Date): boolean {
  if (mute.kind === 'skip') return mute.periodKey === period.key;
  return mute.until !== null && mute.until.getTime() > now.getTime();
}

export function snapshotOf(metric: Metric, goalName: string, now: Date, confidenceLabel?: (value: number) => string): ReminderItemSnapshot {
  const confidence = metric.confidence?.value;
  return {
    name: metric.name,
    goalName,
    url: typeof metric.url === 'string' && metric.url ? metric.url : null,
    initialValue: metric.initialValue ?? null,
    target: metric.target ?? null,
    actual: metric.actual ?? null,
    targetOperator: metric.targetOperator ?? null,
    format: metric.format ?? null,
    lastCheckInDate: metric.lastCheckInDate ?? null,
    dueDate: hasDueDate(metric.dueDate) ? metric.dueDate : null,
    dueSoon: isDueSoon(metric, now),
    ...(typeof confidence === 'number' && Number.isFinite(confidence) ? { confidence: confidenceLabel ? confidenceLabel(confidence) : String(confidence) } : {}),
  };
}

