/** The people service's answers: who a Slack user is in Gtmhub, why not, and a Gtmhub owner's Slack person. */
import type { User } from '../../gtmhub/types.js';
import type { OwnerLink } from '../../store/store.js';
import type { MetricOwner } from './metric-owners.js';

/** Why a Slack user has no Gtmhub owner. Each has its own message. */
export type UnmappedReason = { kind: 'no_slack_user' } | { kind: 'no_email' } | { kind: 'no_gtmhub_user'; email: string };

export type OwnerResolution =
  | { mapped: true; gtmhubUserId: string; email: string | null; source: OwnerLink['source']; displayName: string | null }
  | { mapped: false; reason: UnmappedReason };

/** A Gtmhub owner and the Slack person they are (null with the reason when nobody in Slack matches). */
export interface OwnerMatch {
  /** As listed, with the email and name filled in from Gtmhub where the listing left them out. */
  owner: MetricOwner;
  slackUserId: string | null;
  reason: 'no_slack_user' | 'no_email' | null;
}

export function displayNameOf(user: Pick<User, 'firstName' | 'lastName' | 'name'>): string | null {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return full || user.name || null;
}
