/** Opening the key-result management modals: a loading modal at once (trigger_id lives 3 s), then the content. */
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { ModalView } from '@slack/types';
import { createKeyResultView, editKeyResultView, messageModal, noObjectivesView } from '../blocks/key-result-form.js';
import { deleteKeyResultView, historyView } from '../blocks/key-result-manage.js';
import { objectivesView } from '../blocks/objective-status.js';
import { formValuesOf } from '../../services/key-results-admin/edit.js';
import type { ListenerContext } from './context.js';
import { runReportingFailure } from './respond.js';

type Fill = (show: (view: ModalView) => Promise<unknown>) => Promise<void>;

/** Opens a loading modal (or pushes one over an open modal), then fills it; a failure replaces it with the reason. */
export async function openThenFill(client: WebClient, ctx: ListenerContext, triggerId: string, title: string, what: string, fill: Fill, push = false): Promise<void> {
  const loading = messageModal(title, ':hourglass_flowing_sand: Loading from Gtmhub…');
  const opened = push ? await client.views.push({ trigger_id: triggerId, view: loading }) : await client.views.open({ trigger_id: triggerId, view: loading });
  const viewId = opened.view?.id;
  if (!viewId) throw new Error('views.open returned no view id');
  const show = (view: ModalView) => client.views.update({ view_id: viewId, view });
  const work = { what, level: 'warn' as const, tell: (reason: string) => show(messageModal(title, `:warning: ${reason}`)) };
  await ctx.inFlight.track(runReportingFailure(ctx, work, () => fill(show)));
}

export function openCreateKeyResult(client: WebClient, ctx: ListenerContext, triggerId: string, slackUserId: string, words: string): Promise<void> {
  return openThenFill(client, ctx, triggerId, 'New key result', 'open the new key result form', async (show) => {
    const objectives = await ctx.services.keyResultAdmin.create.objectivesFor(slackUserId, words);
    await show(objectives.length === 0 ? noObjectivesView(words) : createKeyResultView({ nonce: randomUUID() }, objectives, slackUserId));
  });
}

export function openEditKeyResult(client: WebClient, ctx: ListenerContext, triggerId: string, slackUserId: string, metricId: string): Promise<void> {
  return openThenFill(client, ctx, triggerId, 'Edit key result', 'open the key result editor', async (show) => {
    const { keyResult, objective, fingerprint } = await ctx.services.keyResultAdmin.edit.open(slackUserId, metricId);
    const values = formValuesOf(keyResult);
    await show(editKeyResultView({ metricId: keyResult.id, seen: fingerprint, dueDay: values.dueDate }, keyResult, objective.name, values));
  });
}

export function openKeyResultHistory(client: WebClient, ctx: ListenerContext, triggerId: string, slackUserId: string, metricId: string): Promise<void> {
  return openThenFill(client, ctx, triggerId, 'Check-in history', 'show the check-in history', async (show) => {
    await show(historyView(await ctx.services.keyResultAdmin.history.view(slackUserId, metricId)));
  });
}

export function openDeleteKeyResult(client: WebClient, ctx: ListenerContext, triggerId: string, slackUserId: string, metricId: string): Promise<void> {
  return openThenFill(client, ctx, triggerId, 'Delete key result?', 'prepare deleting the key result', async (show) => {
    const { keyResult, objective } = await ctx.services.keyResultAdmin.delete.prepare(slackUserId, metricId);
    await show(deleteKeyResultView(keyResult, objective));
  });
}

export function openObjectives(client: WebClient, ctx: ListenerContext, triggerId: string, slackUserId: string): Promise<void> {
  return openThenFill(client, ctx, triggerId, 'Your objectives', 'list your objectives', async (show) => {
    await show(objectivesView(await ctx.services.keyResultAdmin.objectives.manageable(slackUserId)));
  });
}
