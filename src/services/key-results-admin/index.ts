import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Logger } from '../../logger.js';
import type { ActionClaimStore } from '../../store/action-claim-store.js';
import type { OwnerStore } from '../../store/store.js';
import type { KeyResultService } from '../key-results.js';
import type { PeopleService } from '../people/people-service.js';
import type { ReminderRows } from '../reminders/reminder-rows.js';
import { KeyResultCreator } from './create.js';
import { KeyResultDeleter } from './delete.js';
import { KeyResultEditor } from './edit.js';
import { KeyResultHistory } from './history.js';
import { NudgeService, type NudgeMessenger } from './nudges.js';
import { ObjectiveStatusService } from './objectives.js';
import { KeyResultPermissions } from './permissions.js';
import { LinkPreviews } from './unfurls.js';

/** Managing key results and objectives from Slack; every write goes through `permissions` first. */
export interface KeyResultAdmin {
  permissions: KeyResultPermissions;
  create: KeyResultCreator;
  edit: KeyResultEditor;
  delete: KeyResultDeleter;
  history: KeyResultHistory;
  objectives: ObjectiveStatusService;
  nudges: NudgeService;
  linkPreviews: LinkPreviews;
}

export interface KeyResultAdminDependencies {
  gtmhub: GtmhubClient;
  people: PeopleService;
  keyResults: KeyResultService;
  rows: ReminderRows;
  store: ActionClaimStore & Pick<OwnerStore, 'getSlackProfile'>;
  clock: Clock;
  logger: Logger;
  messenger: NudgeMessenger;
  unfurlLinks: boolean;
}

export function createKeyResultAdmin(deps: KeyResultAdminDependencies): KeyResultAdmin {
  const { gtmhub, people, keyResults, rows, store, clock } = deps;
  const logger = deps.logger.child({ component: 'key-results-admin' });
  const permissions = new KeyResultPermissions({ people, gtmhub });
  return {
    permissions,
    create: new KeyResultCreator({ gtmhub, permissions, people, keyResults, store, clock, logger }),
    edit: new KeyResultEditor({ gtmhub, permissions, clock, logger }),
    delete: new KeyResultDeleter({ gtmhub, permissions, people, rows, logger }),
    history: new KeyResultHistory({ gtmhub, permissions, people, store, logger }),
    objectives: new ObjectiveStatusService({ gtmhub, permissions, keyResults, logger }),
    linkPreviews: new LinkPreviews({ gtmhub, permissions, logger, enabled: deps.unfurlLinks }),
    nudges: new NudgeService({ permissions, people, store, messenger: deps.messenger, clock, logger }),
  };
}
