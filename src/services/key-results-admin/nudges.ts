/**
 * A teammate's nudge: the owner of a key result gets a reminder DM now, saying who nudged. At most
 * once per key result, owner and day (UTC) whoever clicks: a later click is told when the nudge went out.
 */
import type { Clock } from '../../clock.js';
import type { Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import { InvalidInputError } from '../errors.js';
import type { PeopleService } from '../people/people-service.js';
import { ownersOf } from '../people/metric-owners.js';
import type { KeyResultPermissions } from './permissions.js';

export interface NudgeMessage {
  keyResult: Metric;
  objectiveName: string;
  nudgerSlackUserId: string;
}

/** The Slack side of a nudge: a DM to the owner (the gateway renders it). */
export interface NudgeMessenger {
  sendNudge(ownerSlackUserId: string, message: NudgeMessage): Promise<void>;
}

export type NudgeOutcome =
  | { ownerSlackUserId: string; sent: true }
  | { ownerSlackUserId: string; sent: false; lastNudgeAt: Date };

export interface NudgeServiceOptions {
  permissions: Pick<KeyResultPermissions, 'keyResult' | 'objective'>;
  people: Pick<PeopleService, 'slackUsersOf'>;
  store: ActionClaimStore;
  messenger: NudgeMessenger;
  clock: Clock;
  logger: Logger;
}

export class NudgeService {
  constructor(private readonly options: NudgeServiceOptions) {}

  /** Nudges every owner of the key result who is in Slack (not the nudger); one outcome per owner. */
  async nudge(nudgerSlackUserId: string, metricId: unknown): Promise<{ keyResult: Metric; outcomes: NudgeOutcome[] }> {
    const { permissions, people, store, messenger, clock, logger } = this.options;
    const keyResult = await permissions.keyResult(metricId);
    const objective = await permissions.objective(keyResult.goalId).catch(() => null);
    const owners = [...(await people.slackUsersOf(ownersOf(keyResult))).values()]
      .map((match) => match.slackUserId)
      .filter((id): id is string => id !== null && id !== nudgerSlackUserId);
    if (owners.length === 0) throw new InvalidInputError('Nobody else in this Slack workspace owns that key result, so there is no one to nudge.');
    const now = clock.now();
    const day = now.toISOString().slice(0, 10);
    const outcomes: NudgeOutcome[] = [];
    for (const owner of owners) {
      const key = `nudge:${keyResult.id}:${owner}:${day}`;
      const claim = await store.claimAction(key, now);
      if (!claim.claimed) {
        outcomes.push({ ownerSlackUserId: owner, sent: false, lastNudgeAt: claim.claim.claimedAt });
        continue;
      }
      try {
        await messenger.sendNudge(owner, { keyResult, objectiveName: objective?.name ?? 'Objective', nudgerSlackUserId });
      } catch (error) {
        await store.releaseAction(key);
        throw error;
      }
      await store.setActionResult(key, nudgerSlackUserId);
      outcomes.push({ ownerSlackUserId: owner, sent: true });
    }
    logger.info({ metricId: keyResult.id, nudgerSlackUserId, sent: outcomes.filter((o) => o.sent).length }, 'nudge');
    return { keyResult, outcomes };
  }
}
