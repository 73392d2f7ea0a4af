/** How long a key result in a reminder can be snoozed. */
export type SnoozeOption = 'tomorrow' | 'three_days' | 'next_week';

export const SNOOZE_OPTIONS: readonly SnoozeOption[] = ['tomorrow', 'three_days', 'next_week'];
