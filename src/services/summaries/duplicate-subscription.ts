/** A channel subscribed twice to the same scope and schedule would get every summary twice: the second is refused. */
import type { NewSummarySubscription, SubscriptionStore, SummarySubscription } from '../../store/subscription-store.js';

type Candidate = Pick<NewSummarySubscription, 'channelId' | 'scope' | 'frequency' | 'day' | 'timeOfDay' | 'timeZone'>;

export function sameSubscription(a: Candidate, b: Candidate): boolean {
  return a.channelId === b.channelId && a.scope === b.scope && a.frequency === b.frequency && a.day === b.day && a.timeOfDay === b.timeOfDay && a.timeZone === b.timeZone;
}

/** The channel's existing subscription (active or paused) with this scope and schedule, if any. */
export async function existingSubscription(store: Pick<SubscriptionStore, 'listSubscriptions'>, candidate: Candidate): Promise<SummarySubscription | null> {
  const subscriptions = await store.listSubscriptions({ channelId: candidate.channelId });
  return subscriptions.find((s) => sameSubscription(s, candidate)) ?? null;
}
