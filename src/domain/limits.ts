/** Limits of the app's own rules, read by the services that enforce them and the blocks that show them. */

/** The longest check-in comment kr-checkin accepts. */
export const MAX_COMMENT_LENGTH = 1500;

/** Rows a reminder shows per page: 2 blocks each, under Slack's 50 blocks with header and footer. */
export const ROWS_PER_MESSAGE = 20;

/** Decimals a typed key result value may have; beyond this it is kept exactly nowhere. */
export const MAX_VALUE_DECIMALS = 6;
