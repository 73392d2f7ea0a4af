/**
 * Deleting a key result (`DELETE /v1/metrics/{id}`) after the one rule; afterwards the open reminder
 * rows that name it say it was deleted (reminders and summaries stop listing it because Gtmhub does).
 */
import type { GtmhubClient } from '../../gtmhub/client.js';
import { GtmhubError } from '../../gtmhub/errors.js';
import type { Goal, Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import { NotFoundError } from '../errors.js';
import type { PeopleService } from '../people/people-service.js';
import { ownersOf } from '../people/metric-owners.js';
import type { ReminderRows } from '../reminders/reminder-rows.js';
import type { KeyResultPermissions } from './permissions.js';

export interface KeyResultDeleterOptions {
  gtmhub: Pick<GtmhubClient, 'deleteMetric'>;
  permissions: KeyResultPermissions;
  people: Pick<PeopleService, 'slackUsersOf' | 'nameOf'>;
  rows: Pick<ReminderRows, 'applyEverywhere'>;
  logger: Logger;
}

export class KeyResultDeleter {
  constructor(private readonly options: KeyResultDeleterOptions) {}

  /** What the confirm dialog names, once the person may delete it. */
  async prepare(slackUserId: string, metricId: unknown): Promise<{ keyResult: Metric; objective: Goal }> {
    const { keyResult, objective } = await this.options.permissions.assertMayChangeKeyResult(slackUserId, metricId);
    return { keyResult, objective };
  }

  async delete(slackUserId: string, metricId: unknown): Promise<{ keyResult: Metric; objective: Goal }> {
    const { gtmhub, permissions, people, rows, logger } = this.options;
    const { keyResult, objective } = await permissions.assertMayChangeKeyResult(slackUserId, metricId);
    try {
      await gtmhub.deleteMetric(keyResult.id);
    } catch (error) {
      if (error instanceof GtmhubError && error.status === 404) throw new NotFoundError('That key result is already gone from Gtmhub.');
      throw error;
    }
    logger.info({ metricId: keyResult.id, slackUserId }, 'key result deleted');
    try {
      const who = await people.nameOf(slackUserId, 'someone');
      const owners = await people.slackUsersOf(ownersOf(keyResult));
      for (const match of owners.values()) {
        if (match.slackUserId) await rows.applyEverywhere(match.slackUserId, keyResult.id, { kind: 'not_checkable', reason: `it was deleted from Gtmhub by ${who}` }, null);
      }
    } catch (error) {
      logger.warn({ err: error, metricId: keyResult.id }, 'could not mark the deleted key result on reminders');
    }
    return { keyResult, objective };
  }
}
