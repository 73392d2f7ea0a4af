/**
 * What reminders need from Slack, as plain interfaces (the Slack layer implements them with the
 * Web API and Block Kit). Messages are described as domain values; rendering is Slack's business.
 */
import type { Reminder, ReminderItem } from '../../store/reminder-store.js';
import type { ReminderSchedule } from './schedule.js';

/** A reminder DM as the person sees it; `items` are all rows, the renderer pages them. */
export interface ReminderMessage {
  reminder: Pick<Reminder, 'id' | 'kind' | 'periodStart' | 'periodEnd' | 'pageOffset' | 'timeZone'>;
  items: ReminderItem[];
  now: Date;
}

export interface FollowUpMessage {
  reminderId: number;
  pendingCount: number;
  sentAt: Date;
  timeZone: string;
}

export interface ReminderMessenger {
  /** chat.postMessage to the person's DM with the app; returns the DM channel id and ts to update it later. */
  postReminder(slackUserId: string, message: ReminderMessage): Promise<{ channel: string; ts: string }>;
  updateReminder(channel: string, ts: string, message: ReminderMessage): Promise<void>;
  /** The follow-up nudge, in the reminder's thread. */
  postFollowUp(channel: string, threadTs: string, message: FollowUpMessage): Promise<string>;
}

/** Reminder settings as people see them (the store's row, or the workspace default). */
export interface EffectiveSettings {
  enabled: boolean;
  schedule: ReminderSchedule;
  /** False when the person never chose: the workspace default applies. */
  custom: boolean;
}
