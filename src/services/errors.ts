/**
 * Errors whose message is written for the person who asked: the Slack layer shows `message` as it
 * is (`slack/listeners/describe-failure.ts` turns every other error into plain words of its own).
 * Throw one of these from a service when the person can act on the reason; anything else is ours.
 */
export abstract class PersonFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The person may not do this (not an admin, not the owner, Gtmhub forbids it for our account). */
export class NotAllowedError extends PersonFacingError {}

/** What the person typed or chose is not acceptable; the message says what to change. */
export class InvalidInputError extends PersonFacingError {}

/** What the person pointed at (a reminder, a check-in, a key result) is not theirs or is gone. */
export class NotFoundError extends PersonFacingError {}
