/**
 * Closing an objective (`PUT /v1/goals/{id}/status` with a status and a reason) and reopening it
 * (`DELETE /v1/goals/{id}/status`), for its owners and admins. A closed objective's key results are
 * neither offered for check-in nor reminded (key-results.ts `objectiveIsActive`); an abandoned one's
 * also refuse check-ins, an achieved one's still take them (`notCheckableReason`).
 */
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Goal } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import { InvalidInputError } from '../errors.js';
import type { KeyResultService } from '../key-results.js';
import { displayNameOf } from '../people/people-types.js';
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
  gtmhub: Pick<GtmhubClient, 'setGoalStatus' | 'deleteGoalStatus' | 'iterateGoals' | 'listUsers'>;
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
    // The objective as Gtmhub holds it now: someone may have closed it since the dialog opened, and a PUT would overwrite their status and reason.
    const { objective } = await this.options.permissions.assertMayChangeObjective(slackUserId, goalId);
    if (closedStatusOf(objective)) throw new InvalidInputError(await this.alreadyClosed(objective));
    await this.options.gtmhub.setGoalStatus(objective.id, { status, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    this.options.logger.info({ goalId: objective.id, slackUserId, status }, 'objective closed');
    return objective;
  }

  /** "<name> was already closed as achieved by Ben Okafor on 2026-11-27 14:03 UTC (“reason”)." — as much as Gtmhub says. */
  private async alreadyClosed(objective: Goal): Promise<string> {
    const closed = (objective.closedStatus ?? objective.goalClosedStatus) as Record<string, unknown> | undefined;
    const by = typeof closed?.userId === 'string' ? await this.userName(closed.userId) : null;
    const at = typeof closed?.date === 'string' && !Number.isNaN(Date.parse(closed.date)) ? new Date(closed.date) : null;
    const reason = typeof closed?.reason === 'string' && closed.reason.trim() ? closed.reason.trim() : null;
    return (
      `${objective.name} was already closed as ${closedStatusOf(objective)}` +
      (by ? ` by ${by}` : '') +
      (at ? ` on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '') +
      (reason ? ` (“${reason}”)` : '') +
      '. To close it differently, reopen it first.'
    );
  }

  /** The Gtmhub user's name, or null when Gtmhub does not say (a refusal never fails for want of a name). */
  private async userName(gtmhubUserId: string): Promise<string | null> {
    try {
      const { items } = await this.options.gtmhub.listUsers({ fields: 'id,firstName,lastName', filter: { _id: { $in: [gtmhubUserId] } }, limit: 1 });
      const user = items.find((u) => u.id === gtmhubUserId);
      return user ? displayNameOf(user) : null;
    } catch (error) {
      this.options.logger.warn({ err: error, gtmhubUserId }, 'could not look up who closed an objective');
      return null;
    }
  }

  async reopen(slackUserId: string, goalId: unknown): Promise<Goal> {
    const { objective } = await this.options.permissions.assertMayChangeObjective(slackUserId, goalId);
    if (!closedStatusOf(objective)) throw new InvalidInputError('This objective is open already.');
    await this.options.gtmhub.deleteGoalStatus(objective.id);
    this.options.logger.info({ goalId: objective.id, slackUserId }, 'objective reopened');
    return objective;
  }
}
