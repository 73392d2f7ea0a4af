/**
 * Closing an objective (`PUT /v1/goals/{id}/status` with a status and a reason) and reopening it
 * (`DELETE /v1/goals/{id}/status`), for its owners and admins. A closed objective's key results
 * take no check-ins, so reminders leave them out (key-results.ts `goal_closed`).
 */
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Goal } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import { InvalidInputError } from '../errors.js';
import type { KeyResultService } from '../key-results.js';
import { GOAL_FIELDS, mayManage, type KeyResultPermissions } from './permissions.js';

export const CLOSING_STATUSES = ['achieved', 'abandoned'] as const;
export type ClosingStatus = (typeof CLOSING_STATUSES)[number];
export const CLOSE_REASON_MAX = 500;

/** A "closed" status is anything but active. */
export function closedStatusOf(goal: Goal): string | null {
  const status = (goal.closedStatus ?? goal.goalClosedStatus)?.status;
  return status && status !== 'active' ? status : null;
}

export interface ObjectiveStatusOptions {
  gtmhub: Pick<GtmhubClient, 'setGoalStatus' | 'deleteGoalStatus' | 'iterateGoals'>;
  permissions: KeyResultPermissions;
  keyResults: Pick<KeyResultService, 'closedSessionIds'>;
  logger: Logger;
}

export class ObjectiveStatusService {
  constructor(private readonly options: ObjectiveStatusOptions) {}

  /** Objectives in sessions that are not closed that this person may close or reopen, open ones first. */
  async manageable(slackUserId: string, limit = 20): Promise<Goal[]> {
    const { permissions, gtmhub, keyResults } = this.options;
    const actor = await permissions.actor(slackUserId);
    const closedSessions = await keyResults.closedSessionIds();
    const goals: Goal[] = [];
    const filter = actor.gtmhubUserId === null ? {} : { filter: { ownerIds: actor.gtmhubUserId } };
    for await (const goal of gtmhub.iterateGoals({ fields: GOAL_FIELDS, sort: 'name', ...filter })) {
      if (goal.sessionId && closedSessions.has(goal.sessionId)) continue;
      if (mayManage(actor, 'change_objective', goal)) goals.push(goal);
    }
    return goals.sort((a, b) => Number(closedStatusOf(a) !== null) - Number(closedStatusOf(b) !== null)).slice(0, limit);
  }

  async prepareClose(slackUserId: string, goalId: unknown): Promise<Goal> {
    const { objective } = await this.options.permissions.assertMayChangeObjective(slackUserId, goalId);
    if (closedStatusOf(objective)) throw new InvalidInputError(`This objective is already closed (${closedStatusOf(objective)}).`);
    return objective;
  }

  async close(slackUserId: string, goalId: unknown, status: string, reason: string): Promise<Goal> {
    if (!(CLOSING_STATUSES as readonly string[]).includes(status)) throw new InvalidInputError('Choose whether the objective was achieved or abandoned.');
    if (reason.trim().length > CLOSE_REASON_MAX) throw new InvalidInputError(`Keep the reason within ${CLOSE_REASON_MAX} characters.`);
    const { objective } = await this.options.permissions.assertMayChangeObjective(slackUserId, goalId);
    await this.options.gtmhub.setGoalStatus(objective.id, { status, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    this.options.logger.info({ goalId: objective.id, slackUserId, status }, 'objective closed');
    return objective;
  }

  async reopen(slackUserId: string, goalId: unknown): Promise<Goal> {
    const { objective } = await this.options.permissions.assertMayChangeObjective(slackUserId, goalId);
    if (!closedStatusOf(objective)) throw new InvalidInputError('This objective is open already.');
    await this.options.gtmhub.deleteGoalStatus(objective.id);
    this.options.logger.info({ goalId: objective.id, slackUserId }, 'objective reopened');
    return objective;
  }
}
