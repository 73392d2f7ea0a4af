/** Slack's own Block Kit limits (https://api.slack.com/reference/block-kit); beyond them Slack refuses the payload. */
export const SLACK_LIMITS = {
  /** A text object, and with it a section's text. */
  text: 3000,
  headerText: 150,
  /** A modal's title, submit and close labels. */
  modalLabel: 24,
  /** An option's text and an option group's label. */
  optionText: 75,
  /** A placeholder text. */
  placeholder: 150,
  messageBlocks: 50,
} as const;

/** Slack allows 100 options in a static select; beyond that the picker types ahead instead. */
export const STATIC_SELECT_LIMIT = 100;
