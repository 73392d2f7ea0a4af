import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { ModalView } from '@slack/types';
import type { CheckInFormState } from '../../services/checkin-form.js';
import type { ListenerContext } from './context.js';
import {
  checkInFormView,
  loadFailedView,
  loadingView,
  noKeyResultsView,
  messageView,
  type CheckInModalMetadata,
} from '../blocks/checkin-modal.js';
import { unmappedText } from '../blocks/unmapped-message.js';
import { afterPendingRequests, runReportingFailure } from './respond.js';
import { adminsText } from './admins-text.js';

export function newModalMetadata(channelId: string | null, search: string, draft?: string): CheckInModalMetadata {
  return { channelId, nonce: randomUUID(), search, ...(draft ? { draft } : {}) };
}

/** Renders what the check-in service prepared for this person into an already open modal. */
export async function fillCheckInModal(
  client: WebClient,
  ctx: ListenerContext,
  slackUserId: string,
  viewId: string,
  meta: CheckInModalMetadata,
  preselectMetricId?: string,
  preparing?: Promise<CheckInFormState>,
): Promise<void> {
  const show = (view: ModalView) => client.views.update({ view_id: viewId, view });
  const work = { what: 'load the check-in form', level: 'warn' as const, logFields: { slackUserId }, tell: (reason: string) => show(loadFailedView(meta, reason)) };
  await runReportingFailure(ctx, work, async () => {
    const [state, confidenceScale] = await Promise.all([preparing ?? ctx.services.checkinForm.prepare(slackUserId, meta.search, preselectMetricId), ctx.services.confidenceScale.scale()]);
    // Building the form and its views.update wait for the commands already waiting to be acked.
    await afterPendingRequests();
    const now = ctx.services.clock.now();
    if (state.kind === 'unmapped') await show(messageView(meta, 'Check in', unmappedText(state.reason, slackUserId, adminsText(ctx))));
    else if (state.kind === 'empty') await show(noKeyResultsView(meta, state.leftOut));
    else await show(checkInFormView({ meta, groups: state.groups, selected: state.selected ? { ...state.selected, now } : null, confidenceScale, leftOut: state.leftOut }));
  });
}

/**
 * Opens the loading modal at once (trigger_id lives 3 s) while Gtmhub is already being asked, then
 * fills it: the form is ready one views.open earlier than when the load waited for the modal.
 */
export async function openCheckInModal(
  client: WebClient,
  ctx: ListenerContext,
  triggerId: string,
  slackUserId: string,
  channelId: string | null,
  search: string,
  preselectMetricId?: string,
  draft?: string,
): Promise<void> {
  const meta = newModalMetadata(channelId, search, draft);
  const preparing = ctx.services.checkinForm.prepare(slackUserId, search, preselectMetricId);
  // Its failure is reported into the modal by fillCheckInModal; if the modal never opens, there is nobody to tell.
  preparing.catch(() => undefined);
  const opened = await client.views.open({ trigger_id: triggerId, view: loadingView(meta) });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error('views.open returned no view id');
  await ctx.inFlight.track(fillCheckInModal(client, ctx, slackUserId, viewId, meta, preselectMetricId, preparing));
}
