/**
 * `/kr summary [scope]`: a preview for the caller, then "Post to #channel". The preview's buttons
 * carry only the request id; posting re-reads the request, checks who clicks and where, claims it
 * atomically (a double click posts once) and builds the summary again from fresh data.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { SubscriptionStore } from '../../store/subscription-store.js';
import type { OwnerStore } from '../../store/store.js';
import type { SummaryHistoryStore } from '../../store/summary-history-store.js';
import type { SummaryBuilder } from './build.js';
import type { Summary, SummaryPeriod } from './model.js';
import { periodLabel } from './periods.js';
import { ChannelUnavailableError, postingProblem, type ChannelProblem, type SummarySlack } from './ports.js';
import { deserializeScope, parseScope, scopeKey, serializeScope, type SummaryScope } from './scope.js';

/** On demand, "this period" is the last seven days. */
export const ON_DEMAND_PERIOD_MS = 7 * 24 * 3600_000;
/** As long as Slack keeps a slash command's response_url. */
const REQUEST_TTL_MS = 30 * 60_000;

export type SummaryPreview =
  | { kind: 'invalid'; problem: string }
  | { kind: 'cannot_post'; problem: ChannelProblem }
  | { kind: 'nothing'; reason: string }
  /** `notInChannel`: the preview is shown anyway (via the command's response_url); posting needs /invite first. */
  | { kind: 'ready'; requestId: string; summary: Summary; channelName: string | null; notInChannel: boolean };

export type SummaryPostOutcome =
  | { kind: 'posted'; channelId: string; ts: string; messages: number }
  | { kind: 'refused'; reason: string }
  /** Another click of the same button got there first. */
  | { kind: 'duplicate' }
  | { kind: 'cannot_post'; problem: ChannelProblem }
  | { kind: 'nothing'; reason: string };

export interface SummaryServiceOptions {
  builder: Pick<SummaryBuilder, 'build'>;
  store: Pick<SubscriptionStore, 'createSummaryRequest' | 'getSummaryRequest' | 'claimSummaryRequest' | 'releaseSummaryRequest' | 'cancelSummaryRequest' | 'replaceSummaryBaseline'> &
    Pick<OwnerStore, 'getSlackProfile'> &
    Pick<SummaryHistoryStore, 'recordSummaryProgress'>;
  slack: Pick<SummarySlack, 'channelInfo' | 'postSummary'>;
  clock: Clock;
  logger: Logger;
}

/** Baseline of on-demand summaries: the previous one posted to this channel for the same scope. */
export function onDemandBaselineKey(channelId: string, scope: SummaryScope): string {
  return `channel:${channelId}:${scopeKey(scope)}`;
}

export class SummaryService {
  constructor(private readonly options: SummaryServiceOptions) {}

  private async period(slackUserId: string): Promise<SummaryPeriod> {
    const end = this.options.clock.now();
    const start = new Date(end.getTime() - ON_DEMAND_PERIOD_MS);
    const profile = await this.options.store.getSlackProfile(slackUserId).catch(() => null);
    return { start, end, label: periodLabel(start, end, profile?.tz ?? 'UTC') };
  }

  private async buildFor(scope: SummaryScope, channelId: string, slackUserId: string) {
    return this.options.builder.build({
      scope,
      channelId,
      title: 'Key results summary',
      period: await this.period(slackUserId),
      baselineKey: onDemandBaselineKey(channelId, scope),
    });
  }

  /** Builds the summary the caller asked for and keeps a request the preview's buttons refer to. */
  async preview(slackUserId: string, channelId: string, scopeText: string): Promise<SummaryPreview> {
    const parsed = parseScope(scopeText, slackUserId);
    if (!parsed.ok) return { kind: 'invalid', problem: parsed.problem };
    const channel = await this.options.slack.channelInfo(channelId);
    const problem = postingProblem(channel);
    if (problem && problem !== 'not_in_channel') return { kind: 'cannot_post', problem };
    const built = await this.buildFor(parsed.scope, channelId, slackUserId).catch((error: unknown) => {
      if (problem) return { ok: false as const, reason: '' };
      throw error;
    });
    // Outside the channel a scope that needs its members cannot be read: then the one step is the answer.
    if (!built.ok) return problem ? { kind: 'cannot_post', problem } : { kind: 'nothing', reason: built.reason };
    const now = this.options.clock.now();
    const request = await this.options.store.createSummaryRequest({
      id: randomBytes(12).toString('hex'),
      channelId,
      requestedBy: slackUserId,
      scope: serializeScope(parsed.scope),
      createdAt: now,
      expiresAt: new Date(now.getTime() + REQUEST_TTL_MS),
    });
    return { kind: 'ready', requestId: request.id, summary: built.summary, channelName: channel?.name ?? null, notInChannel: problem === 'not_in_channel' };
  }

  /** "Post to #channel": only the requester, only in the channel of the request, only once. */
  async post(slackUserId: string, channelId: string, requestId: string, onClaimed?: () => Promise<void>): Promise<SummaryPostOutcome> {
    const { store, clock, logger } = this.options;
    const request = await store.getSummaryRequest(requestId);
    if (!request) return { kind: 'refused', reason: 'This preview is no longer available. Run `/kr summary` again.' };
    if (request.requestedBy !== slackUserId) return { kind: 'refused', reason: 'Only the person who asked for this summary can post it.' };
    if (request.channelId !== channelId) return { kind: 'refused', reason: 'This preview belongs to another conversation.' };
    const now = clock.now();
    const claimed = await store.claimSummaryRequest(requestId, now);
    if (!claimed) {
      // Read again: a click that read the request just before another one claimed it is a duplicate, not "expired".
      const current = (await store.getSummaryRequest(requestId)) ?? request;
      if (current.postedAt) return { kind: 'duplicate' };
      if (current.cancelledAt) return { kind: 'refused', reason: 'This preview was cancelled. Run `/kr summary` again.' };
      return { kind: 'refused', reason: 'This preview has expired. Run `/kr summary` again.' };
    }
    const scope = deserializeScope(claimed.scope);
    if (!scope) return { kind: 'refused', reason: 'This preview cannot be read any more. Run `/kr summary` again.' };

    let posted = false;
    try {
      await onClaimed?.();
      const problem = postingProblem(await this.options.slack.channelInfo(channelId));
      if (problem) return { kind: 'cannot_post', problem };
      const built = await this.buildFor(scope, channelId, slackUserId);
      if (!built.ok) return { kind: 'nothing', reason: built.reason };
      const result = await this.options.slack.postSummary(channelId, { ...built.summary, postedBy: slackUserId });
      posted = true;
      logger.info({ channelId, requestId, keyResults: built.summary.total, messages: result.messages }, 'summary posted on demand');
      // Slack has it: from here on nothing may turn the answer into "not posted" (the claim stays, so no retry
      // posts it twice). A baseline or progress that cannot be kept only makes the next comparison less exact.
      const key = onDemandBaselineKey(channelId, scope);
      await store.replaceSummaryBaseline(key, built.baseline, built.summary.generatedAt).catch((e: unknown) => {
        logger.warn({ err: e, channelId, requestId }, 'summary posted, but its baseline could not be stored');
      });
      await store.recordSummaryProgress(key, built.progress).catch((e: unknown) => {
        logger.warn({ err: e, channelId, requestId }, 'summary posted, but its progress history could not be stored');
      });
      return { kind: 'posted', channelId, ts: result.ts, messages: result.messages };
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return { kind: 'cannot_post', problem: error.problem };
      throw error;
    } finally {
      // Anything short of a post leaves the preview usable for another try.
      if (!posted) await store.releaseSummaryRequest(requestId).catch((e: unknown) => logger.warn({ err: e }, 'could not release a summary request'));
    }
  }

  async cancel(slackUserId: string, requestId: string): Promise<boolean> {
    const request = await this.options.store.getSummaryRequest(requestId);
    if (!request || request.requestedBy !== slackUserId) return false;
    return this.options.store.cancelSummaryRequest(requestId, this.options.clock.now());
  }
}
