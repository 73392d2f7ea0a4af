import type { RespondFn } from '@slack/bolt';
import { PersonFacingError } from '../../services/errors.js';
import { textReply } from '../blocks/text-reply.js';
import type { ListenerContext } from './context.js';
import { describeFailure } from './describe-failure.js';

/** How the person learns that the work failed; `reason` is `describeFailure`'s words. */
export type TellFailure = (reason: string) => Promise<unknown>;

/** What a listener is doing, for the log ("could not <what>") and for telling the person. */
export interface ListenerWork {
  what: string;
  tell: TellFailure;
  /** The level for failures not written for people (those are logged at info); `error` by default. */
  level?: 'info' | 'warn' | 'error';
  /** More fields for the log line. */
  logFields?: Record<string, unknown>;
}

/** For work whose failure has no place to be shown (the modal or message stays as it is); it is only logged. */
export const tellNobody: TellFailure = async () => {};

/** Tells a failure of `what` in an ephemeral ":warning: <lead> <reason>"; `lead` defaults to "I could not <what>.". */
export function repliesEphemerally(respond: RespondFn, what: string, lead = `I could not ${what}.`): ListenerWork {
  return { what, tell: (reason) => respond({ response_type: 'ephemeral', replace_original: false, ...textReply(`:warning: ${lead} ${reason}`) }) };
}

/** Tells a failure of `what` by replacing the message the person clicked in with ":warning: <lead> <reason>". */
export function replacesMessage(respond: RespondFn, what: string, lead: string): ListenerWork {
  return { what, tell: (reason) => respond({ replace_original: true, ...textReply(`:warning: ${lead} ${reason}`) }) };
}

/** Logs a failure (people's own mistakes at info) and tells the person in plain words. */
async function reportFailure(ctx: ListenerContext, work: ListenerWork, error: unknown): Promise<void> {
  const level = error instanceof PersonFacingError ? 'info' : (work.level ?? 'error');
  ctx.logger[level]({ err: error, ...work.logFields }, `could not ${work.what}`);
  try {
    await work.tell(describeFailure(error));
  } catch (tellError) {
    ctx.logger.error({ err: tellError }, 'could not tell the person about a failure');
  }
}

/** Runs the work; a failure is reported instead of thrown. */
export async function runReportingFailure(ctx: ListenerContext, work: ListenerWork, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await reportFailure(ctx, work, error);
  }
}

/**
 * Acks at once (with `ack`'s own payload, if any), then does the work as in-flight work that
 * shutdown waits for; a failure is logged and told to the person, never thrown at Bolt. The work
 * starts right after the ack: it usually begins with a call bound to the trigger's 3 s (views.open);
 * heavy rendering later on waits for pending requests with `afterPendingRequests`.
 */
export async function ackThenRun(ack: () => Promise<void>, ctx: ListenerContext, work: ListenerWork, run: () => Promise<unknown>): Promise<void> {
  await ack();
  await ctx.inFlight.track(runReportingFailure(ctx, work, run));
}

const waitingForTurn: Array<() => void> = [];

function releaseOneWaiting(): void {
  waitingForTurn.shift()?.();
  if (waitingForTurn.length > 0) setImmediate(releaseOneWaiting);
}

/**
 * Resolves after the I/O callbacks already waiting, one waiter per turn of the event loop: requests
 * that arrive meanwhile (other people's commands, under a burst) are read and acked between two
 * pieces of deferred work instead of after all of them. Under a burst of Gtmhub answers, the forms
 * they fill are built one per turn, so an ack waits for at most one form, not for twenty.
 */
export function afterPendingRequests(): Promise<void> {
  return new Promise((resolve) => {
    waitingForTurn.push(resolve);
    if (waitingForTurn.length === 1) setImmediate(releaseOneWaiting);
  });
}
