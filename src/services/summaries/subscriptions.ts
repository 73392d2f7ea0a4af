/**
 * Scheduled summaries: `/kr subscribe`, `/kr subscriptions`, `/kr unsubscribe`, and the run the
 * scheduler ticks. Each tick looks only at the latest slot that has passed for each subscription
 * and claims (subscription, period) in the store, so a period is posted exactly once across
 * replicas and restarts, and a missed run after an outage posts once, late.
 */
import { existingSubscription } from './duplicate-subscription.js';
import type { Clock } from '../../clock.js';
import { PAUSE_REASONS } from '../../domain/pause-reasons.js';
import type { Logger } from '../../logger.js';
import type { SummaryHistoryStore } from '../../store/summary-history-store.js';
import type { SubscriptionStore, SummaryFrequency, SummaryRun, SummarySubscription } from '../../store/subscription-store.js';
import type { OwnerStore } from '../../store/store.js';
import type { SlackDirectory } from '../ports.js';
import type { SummaryBuilder } from './build.js';
import {
  anchorDateFor,
  describeSchedule,
  FREQUENCIES,
  isValidTimeZone,
  latestSlot,
  nextSlot,
  nominalPeriodMs,
  parseTimeOfDay,
  parseWeekday,
  periodLabel,
  previousSlot,
  type Schedule,
  type Slot,
} from './periods.js';
import { ChannelUnavailableError, postingProblem, type ChannelProblem, type SummarySlack } from './ports.js';
import { deserializeScope, parseScope, serializeScope, type SummaryScope } from './scope.js';

const DEFAULT_TIME = '09:00';
/** Longer than the slowest summary (10,000 key results post ~170 messages at Slack's 1/s). */
const DEFAULT_LEASE_MS = 15 * 60_000;
/** Waits between attempts when Gtmhub or Slack fail; after the last one the period is given up. */
const DEFAULT_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
/** A summary posted this long after its slot says when it was due. */
const LATE_AFTER_MS = 15 * 60_000;

export interface ParsedSubscription {
  frequency: SummaryFrequency;
  day: number | null;
  timeOfDay: string;
  scopeText: string;
}

export type SubscribeParse = ({ ok: true } & ParsedSubscription) | { ok: false; problem: string };

const FREQUENCY_ALIASES: Record<string, SummaryFrequency> = { fortnightly: 'biweekly', 'bi-weekly': 'biweekly' };

/** `weekly fri 16:30 goal:"Revenue"` → frequency, day, time and the rest as scope text. */
export function parseSubscription(text: string): SubscribeParse {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const first = tokens.shift()?.toLowerCase() ?? '';
  const frequency = (FREQUENCIES as readonly string[]).includes(first) ? (first as SummaryFrequency) : FREQUENCY_ALIASES[first];
  if (!frequency) {
    return { ok: false, problem: first ? `\`${first}\` is not a frequency: use daily, weekly, biweekly or monthly.` : 'Say how often: daily, weekly, biweekly or monthly.' };
  }
  let day: number | null = frequency === 'daily' ? null : 1;
  const dayToken = tokens[0];
  if (dayToken && !dayToken.includes(':')) {
    if (frequency === 'monthly') {
      const match = /^(\d{1,2})(st|nd|rd|th)?$/i.exec(dayToken);
      if (match) {
        const n = Number(match[1]);
        if (n < 1 || n > 31) return { ok: false, problem: 'The day of the month must be between 1 and 31.' };
        day = n;
        tokens.shift();
      }
    } else {
      const weekday = parseWeekday(dayToken);
      if (weekday !== null && !/^(goal|session|team|objective):/i.test(dayToken)) {
        if (frequency === 'daily') return { ok: false, problem: 'A daily summary runs every weekday (Mon–Fri); to pick a day, use `weekly`.' };
        day = weekday;
        tokens.shift();
      }
    }
  }
  let timeOfDay = DEFAULT_TIME;
  const timeToken = tokens[0];
  if (timeToken && /^\d{1,2}:\d{2}$/.test(timeToken)) {
    const parsed = parseTimeOfDay(timeToken);
    if (!parsed) return { ok: false, problem: `\`${timeToken}\` is not a time of day: use 24-hour HH:MM, e.g. 09:00 or 16:30.` };
    timeOfDay = parsed;
    tokens.shift();
  }
  return { ok: true, frequency, day, timeOfDay, scopeText: tokens.join(' ') };
}

export function scheduleOf(subscription: SummarySubscription): Schedule {
  return {
    frequency: subscription.frequency,
    day: subscription.day,
    timeOfDay: subscription.timeOfDay,
    timeZone: subscription.timeZone,
    anchorDate: subscription.anchorDate,
  };
}

export type SubscribeOutcome =
  | { kind: 'invalid'; problem: string }
  | { kind: 'cannot_post'; problem: ChannelProblem }
  | { kind: 'duplicate'; existing: SummarySubscription; description: string }
  | { kind: 'created'; subscription: SummarySubscription; description: string; next: Date | null };

export interface SubscriptionListing {
  subscription: SummarySubscription;
  scope: SummaryScope | null;
  description: string;
  next: Date | null;
}

export interface DueRunTotals {
  posted: number;
  skipped: number;
  failed: number;
  retrying: number;
}

export interface SummarySubscriptionServiceOptions {
  builder: Pick<SummaryBuilder, 'build' | 'resolver'>;
  store: SubscriptionStore & Pick<OwnerStore, 'getSlackProfile'> & Pick<SummaryHistoryStore, 'recordSummaryProgress'>;
  slack: Pick<SummarySlack, 'channelInfo' | 'postSummary' | 'tellUser'>;
  directory: Pick<SlackDirectory, 'timeZoneOf'>;
  clock: Clock;
  logger: Logger;
  leaseMs?: number;
  retryDelaysMs?: number[];
}

const TITLES: Record<SummaryFrequency, string> = {
  daily: 'Daily key results summary',
  weekly: 'Weekly key results summary',
  biweekly: 'Biweekly key results summary',
  monthly: 'Monthly key results summary',
};

export function subscriptionBaselineKey(subscriptionId: number): string {
  return `subscription:${subscriptionId}`;
}

export class SummarySubscriptionService {
  constructor(private readonly options: SummarySubscriptionServiceOptions) {}

  private async timeZoneOf(slackUserId: string): Promise<string> {
    let tz: string | null | undefined;
    try {
      tz = await this.options.directory.timeZoneOf(slackUserId);
    } catch (error) {
      this.options.logger.warn({ err: error, slackUserId }, 'could not read the subscriber’s time zone');
      tz = (await this.options.store.getSlackProfile(slackUserId))?.tz;
    }
    return tz && isValidTimeZone(tz) ? tz : 'UTC';
  }

  async subscribe(slackUserId: string, channelId: string, text: string): Promise<SubscribeOutcome> {
    const parsed = parseSubscription(text);
    if (!parsed.ok) return { kind: 'invalid', problem: parsed.problem };
    const scope = parseScope(parsed.scopeText, slackUserId);
    if (!scope.ok) return { kind: 'invalid', problem: scope.problem };
    const problem = postingProblem(await this.options.slack.channelInfo(channelId));
    if (problem) return { kind: 'cannot_post', problem };
    // Catch a scope that can never match now, not at the first run.
    if (scope.scope.kind !== 'channel') {
      const resolved = await this.options.builder.resolver.resolve(scope.scope, channelId);
      if (!resolved.ok) return { kind: 'invalid', problem: resolved.reason };
    }
    const now = this.options.clock.now();
    const base = { frequency: parsed.frequency, day: parsed.day, timeOfDay: parsed.timeOfDay, timeZone: await this.timeZoneOf(slackUserId) };
    const existing = await existingSubscription(this.options.store, { ...base, channelId, scope: serializeScope(scope.scope) });
    if (existing) return { kind: 'duplicate', existing, description: describeSchedule(base) };
    const subscription = await this.options.store.createSubscription({
      ...base,
      channelId,
      createdBy: slackUserId,
      scope: serializeScope(scope.scope),
      anchorDate: anchorDateFor(base, now),
      createdAt: now,
    });
    this.options.logger.info({ subscriptionId: subscription.id, channelId, by: slackUserId }, 'summary subscription created');
    return { kind: 'created', subscription, description: describeSchedule(base), next: nextSlot(scheduleOf(subscription), now)?.at ?? null };
  }

  async list(channelId: string): Promise<SubscriptionListing[]> {
    const now = this.options.clock.now();
    const subscriptions = await this.options.store.listSubscriptions({ channelId });
    return subscriptions.map((subscription) => ({
      subscription,
      scope: deserializeScope(subscription.scope),
      description: describeSchedule(scheduleOf(subscription)),
      next: subscription.status === 'active' ? (nextSlot(scheduleOf(subscription), now)?.at ?? null) : null,
    }));
  }

  /** `12` or `#12`; only a subscription of this channel. */
  async unsubscribe(slackUserId: string, channelId: string, idText: string): Promise<{ removed: boolean; id: number | null }> {
    const match = /^#?(\d{1,9})$/.exec(idText.trim());
    if (!match) return { removed: false, id: null };
    const id = Number(match[1]);
    const removed = await this.options.store.deleteSubscription(id, channelId);
    if (removed) this.options.logger.info({ subscriptionId: id, channelId, by: slackUserId }, 'summary subscription removed');
    return { removed, id };
  }

  /** The slot a subscription is due for now, or null (not yet reached, already done, or before it existed). */
  dueSlot(subscription: SummarySubscription, now: Date): Slot | null {
    const slot = latestSlot(scheduleOf(subscription), now);
    if (!slot || slot.at.getTime() < subscription.createdAt.getTime()) return null;
    if (subscription.lastPeriod !== null && subscription.lastPeriod >= slot.period) return null;
    return slot;
  }

  /** One scheduler tick: every active subscription whose latest slot has passed and is not done yet. */
  async runDue(): Promise<DueRunTotals> {
    const totals: DueRunTotals = { posted: 0, skipped: 0, failed: 0, retrying: 0 };
    const subscriptions = await this.options.store.listSubscriptions({ status: 'active' });
    for (const subscription of subscriptions) {
      const now = this.options.clock.now();
      const slot = this.dueSlot(subscription, now);
      if (!slot) continue;
      const run = await this.options.store.claimSummaryRun(subscription.id, slot.period, now, this.options.leaseMs ?? DEFAULT_LEASE_MS);
      if (!run) continue;
      totals[await this.runOne(subscription, slot, run)] += 1;
    }
    return totals;
  }

  private async runOne(subscription: SummarySubscription, slot: Slot, run: SummaryRun): Promise<keyof DueRunTotals> {
    const { store, clock, logger } = this.options;
    const log = logger.child({ subscriptionId: subscription.id, period: slot.period, attempt: run.attempts });
    const finish = async (outcome: Parameters<SubscriptionStore['finishSummaryRun']>[2]) =>
      store.finishSummaryRun(subscription.id, slot.period, outcome, clock.now());
    const scope = deserializeScope(subscription.scope);
    if (!scope) {
      await finish({ status: 'failed', error: 'unreadable scope' });
      return 'failed';
    }
    let postedTs: string | null = null;
    try {
      const problem = postingProblem(await this.options.slack.channelInfo(subscription.channelId));
      if (problem) throw new ChannelUnavailableError(problem, subscription.channelId);
      const schedule = scheduleOf(subscription);
      const start = previousSlot(schedule, slot)?.at ?? new Date(slot.at.getTime() - nominalPeriodMs(subscription.frequency));
      const built = await this.options.builder.build({
        scope,
        channelId: subscription.channelId,
        title: TITLES[subscription.frequency],
        period: { start, end: slot.at, label: periodLabel(start, slot.at, subscription.timeZone) },
        baselineKey: subscriptionBaselineKey(subscription.id),
      });
      if (!built.ok) {
        log.info({ reason: built.reason }, 'scheduled summary has nothing to show');
        await finish({ status: 'skipped', reason: built.reason });
        return 'skipped';
      }
      const summary = clock.now().getTime() - slot.at.getTime() > LATE_AFTER_MS ? { ...built.summary, dueAt: slot.at } : built.summary;
      const posted = await this.options.slack.postSummary(subscription.channelId, summary);
      postedTs = posted.ts;
      await finish({ status: 'posted', messageTs: posted.ts });
      const lateMs = clock.now().getTime() - slot.at.getTime();
      log.info({ keyResults: built.summary.total, messages: posted.messages, lateMs }, 'scheduled summary posted');
      // A baseline or progress that cannot be kept only makes the next comparison less exact.
      const key = subscriptionBaselineKey(subscription.id);
      await store.replaceSummaryBaseline(key, built.baseline, built.summary.generatedAt).catch((e: unknown) => log.warn({ err: e }, 'summary posted, but its baseline could not be stored'));
      await store.recordSummaryProgress(key, built.progress).catch((e: unknown) => log.warn({ err: e }, 'summary posted, but its progress history could not be stored'));
      return 'posted';
    } catch (error) {
      // Slack has it: a retry would post it a second time.
      if (postedTs !== null) {
        log.error({ err: error, messageTs: postedTs }, 'scheduled summary posted, but recording that failed; not posting it again');
        return 'posted';
      }
      if (error instanceof ChannelUnavailableError) {
        await this.pause(subscription, error.problem);
        await finish({ status: 'skipped', reason: error.problem });
        return 'skipped';
      }
      const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
      const delay = delays[run.attempts - 1];
      const message = error instanceof Error ? error.message : String(error);
      if (delay === undefined) {
        log.error({ err: error }, 'scheduled summary failed; giving this period up');
        await finish({ status: 'failed', error: message });
        return 'failed';
      }
      log.warn({ err: error, retryInMs: delay }, 'scheduled summary failed; will retry');
      await store.retrySummaryRun(subscription.id, slot.period, new Date(clock.now().getTime() + delay), message);
      return 'retrying';
    }
  }

  private async pause(subscription: SummarySubscription, problem: ChannelProblem): Promise<void> {
    const paused = await this.options.store.pauseSubscription(subscription.id, problem);
    if (!paused) return;
    this.options.logger.warn({ subscriptionId: subscription.id, channelId: subscription.channelId, problem }, 'summary subscription paused');
    const fix =
      problem === 'not_in_channel'
        ? 'Invite me back (`/invite @kr-checkin` in the channel) and run `/kr subscribe` there again.'
        : 'Run `/kr subscribe` in a channel I can post to if you still want it.';
    const text = `:pause_button: Your ${describeSchedule(scheduleOf(subscription))} summary (subscription #${subscription.id}) for <#${subscription.channelId}> is paused: ${PAUSE_REASONS[problem]}. ${fix}`;
    await this.options.slack.tellUser(subscription.createdBy, text).catch((error: unknown) => {
      this.options.logger.warn({ err: error, subscriptionId: subscription.id }, 'could not tell the creator that a subscription was paused');
    });
  }
}
