/**
 * Who may change key results and objectives — the one rule, checked on the server before every
 * write, against what Gtmhub holds right now (ids that came back from Slack are only pointers):
 *
 * - create a key result under an objective → the objective's owner;
 * - edit or delete a key result, or change its check-ins → the key result's owner or its objective's owner;
 * - close or reopen an objective → its owner;
 * - admins (ADMIN_SLACK_USER_IDS) may do all of it.
 */
import type { GtmhubClient } from '../../gtmhub/client.js';
import { GtmhubError } from '../../gtmhub/errors.js';
import { isGtmhubId } from '../../gtmhub/ids.js';
import type { Goal, Metric } from '../../gtmhub/types.js';
import { InvalidInputError, NotAllowedError, NotFoundError } from '../errors.js';
import { isOwnedBy } from '../key-results.js';
import type { PeopleService } from '../people/people-service.js';

/** The person acting, as Gtmhub knows them. */
export interface Actor {
  slackUserId: string;
  /** Null only for an admin who is not a Gtmhub user (admins may act on everything anyway). */
  gtmhubUserId: string | null;
  isAdmin: boolean;
}

export type ManageAction = 'create_key_result' | 'change_key_result' | 'change_objective';

export const GOAL_FIELDS = 'id,name,sessionId,ownerIds,closedStatus,url';

/** The rule itself, pure: may `actor` do `action` to this objective (and key result)? */
export function mayManage(actor: Actor, action: ManageAction, objective: Pick<Goal, 'ownerIds'>, keyResult?: Metric): boolean {
  if (actor.isAdmin) return true;
  if (actor.gtmhubUserId === null) return false;
  const ownsObjective = objective.ownerIds?.includes(actor.gtmhubUserId) ?? false;
  if (action === 'change_key_result') return ownsObjective || (keyResult !== undefined && isOwnedBy(keyResult, actor.gtmhubUserId));
  return ownsObjective;
}

const REFUSALS: Record<ManageAction, string> = {
  create_key_result: 'Only the owners of an objective (and kr-checkin admins) may add key results to it.',
  change_key_result: 'Only the owner of a key result, the owner of its objective (and kr-checkin admins) may change it.',
  change_objective: 'Only the owners of an objective (and kr-checkin admins) may close or reopen it.',
};

export interface KeyResultPermissionsOptions {
  people: Pick<PeopleService, 'resolve' | 'isAdmin'>;
  gtmhub: Pick<GtmhubClient, 'getMetric' | 'listGoals'>;
}

export class KeyResultPermissions {
  constructor(private readonly options: KeyResultPermissionsOptions) {}

  /** The Slack person as a Gtmhub user; someone who cannot be mapped may change nothing. */
  async actor(slackUserId: string): Promise<Actor> {
    const resolution = await this.options.people.resolve(slackUserId);
    const isAdmin = this.options.people.isAdmin(slackUserId);
    if (!resolution.mapped && isAdmin) return { slackUserId, gtmhubUserId: null, isAdmin };
    if (!resolution.mapped) {
      throw new NotAllowedError('I cannot find you in Gtmhub, so I cannot change key results for you. Try `/kr whoami` to see why.');
    }
    return { slackUserId, gtmhubUserId: resolution.gtmhubUserId, isAdmin };
  }

  /** The objective as Gtmhub holds it now. */
  async objective(goalId: unknown): Promise<Goal> {
    if (!isGtmhubId(goalId)) throw new InvalidInputError('That is not an objective I know.');
    const { items } = await this.options.gtmhub.listGoals({ fields: GOAL_FIELDS, filter: { _id: { $in: [goalId] } }, limit: 1 });
    const goal = items.find((g) => g.id === goalId);
    if (!goal) throw new NotFoundError('That objective is no longer in Gtmhub.');
    return goal;
  }

  /** The key result as Gtmhub holds it now. */
  async keyResult(metricId: unknown): Promise<Metric> {
    if (!isGtmhubId(metricId)) throw new InvalidInputError('That is not a key result I know.');
    try {
      return await this.options.gtmhub.getMetric(metricId);
    } catch (error) {
      if (error instanceof GtmhubError && error.status === 404) throw new NotFoundError('That key result is no longer in Gtmhub.');
      throw error;
    }
  }

  async assertMayCreateUnder(slackUserId: string, goalId: unknown): Promise<{ actor: Actor; objective: Goal }> {
    const [actor, objective] = await Promise.all([this.actor(slackUserId), this.objective(goalId)]);
    this.#require(actor, 'create_key_result', objective);
    return { actor, objective };
  }

  async assertMayChangeKeyResult(slackUserId: string, metricId: unknown): Promise<{ actor: Actor; keyResult: Metric; objective: Goal }> {
    const [actor, keyResult] = await Promise.all([this.actor(slackUserId), this.keyResult(metricId)]);
    const objective = await this.objective(keyResult.goalId);
    this.#require(actor, 'change_key_result', objective, keyResult);
    return { actor, keyResult, objective };
  }

  async assertMayChangeObjective(slackUserId: string, goalId: unknown): Promise<{ actor: Actor; objective: Goal }> {
    const [actor, objective] = await Promise.all([this.actor(slackUserId), this.objective(goalId)]);
    this.#require(actor, 'change_objective', objective);
    return { actor, objective };
  }

  #require(actor: Actor, action: ManageAction, objective: Goal, keyResult?: Metric): void {
    if (!mayManage(actor, action, objective, keyResult)) throw new NotAllowedError(REFUSALS[action]);
  }
}
