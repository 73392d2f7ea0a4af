import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../context.js';
import { keyResultOptions as renderOptions } from '../../blocks/checkin-modal.js';

/** Options must be answered within 3 s; past this we answer with what we have (nothing) rather than an error. */
const OPTIONS_DEADLINE_MS = 2500;

/** Type-ahead for the key result picker when someone has more than 100 key results. */
export async function keyResultOptions({ ack, body }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs, ctx: ListenerContext): Promise<void> {
  const query = typeof body.value === 'string' ? body.value : '';
  const groups = await Promise.race([
    ctx.services.checkinForm.groupsFor(body.user.id).catch((error: unknown) => {
      ctx.logger.warn({ err: error }, 'could not list key results for type-ahead');
      return [];
    }),
    new Promise<[]>((resolve) => setTimeout(() => resolve([]), OPTIONS_DEADLINE_MS).unref()),
  ]);
  await ack(renderOptions(groups, query));
}
