import type { RespondFn } from '@slack/bolt';
import type { ListenerContext } from '../../app.js';
import { textReply } from '../../blocks/text-reply.js';
import { describeFailure } from '../describe-failure.js';

/** Tells the caller, ephemerally and in plain words, that `what` failed; logs the details. */
export async function replyWithError(respond: RespondFn, ctx: ListenerContext, error: unknown, what: string): Promise<void> {
  ctx.logger.error({ err: error }, `could not ${what}`);
  await respond({ response_type: 'ephemeral', ...textReply(`:warning: I could not ${what}. ${describeFailure(error)}`) }).catch((e: unknown) =>
    ctx.logger.error({ err: e }, 'could not send the error reply'),
  );
}
