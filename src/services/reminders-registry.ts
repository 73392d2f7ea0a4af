/**
 * Finds the ReminderService that belongs to a Services object. The composition root registers it;
 * listeners, which receive `ctx.services`, look it up. (Once `Services` has a `reminders` member,
 * this registry can go.)
 */
import type { Services } from './index.js';
import type { ReminderService } from './reminders.js';

const registry = new WeakMap<Services, ReminderService>();

export function registerReminders(services: Services, reminders: ReminderService): void {
  registry.set(services, reminders);
}

export function remindersOf(services: Services): ReminderService {
  const reminders = registry.get(services);
  if (!reminders) throw new Error('reminders are not set up (registerReminders was not called by the composition root)');
  return reminders;
}
