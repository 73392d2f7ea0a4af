/** The days of the week by their JavaScript number (0 = Sunday), as schedules are read and shown. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
