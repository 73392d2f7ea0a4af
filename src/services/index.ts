import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { CheckInFormService } from './checkin-form.js';
import { CheckInService, type CheckInNotifier } from './checkins.js';
import { GtmhubPeople } from './gtmhub-people.js';
import { KeyResultService } from './key-results.js';
import { OwnerService } from './owners.js';
import { ReminderService } from './reminders/reminder-service.js';
import { ReminderAwareNotifier } from './reminders/checkin-notifier.js';
import type { ReminderPassTuning, ReminderRules } from './reminders/pass.js';
import type { ReminderMessenger } from './reminders/ports.js';
import type { SlackDirectory } from './ports.js';
import { SummaryService } from './summaries/summary-service.js';
import { SummaryBuilder } from './summaries/build.js';
import type { SummarySlack } from './summaries/ports.js';
import { SummarySubscriptionService } from './summaries/subscriptions.js';

/** Every rule of the app, wired once; the Slack layer and the scheduler call into this. */
export interface Services {
  clock: Clock;
  logger: Logger;
  store: Store;
  gtmhub: GtmhubClient;
  owners: OwnerService;
  keyResults: KeyResultService;
  checkins: CheckInService;
  checkinForm: CheckInFormService;
  summaries: SummaryService;
  summarySubscriptions: SummarySubscriptionService;
  reminders: ReminderService;
}

export interface ServiceDependencies {
  gtmhub: GtmhubClient;
  store: Store;
  clock: Clock;
  logger: Logger;
  slack: SlackDirectory;
  notifier: CheckInNotifier;
  adminSlackUserIds: string[];
  /** Channel summaries: channel lookups and posting. */
  summarySlack: SummarySlack;
  /** Gtmhub web app base for links (GTMHUB_APP_URL). */
  gtmhubAppUrl: string | undefined;
  /** Reminder DMs: posting, and the workspace's rules (default schedule, working hours, follow-up). */
  reminderMessenger: ReminderMessenger;
  reminderRules: ReminderRules;
  reminderTuning?: Partial<ReminderPassTuning>;
}

export function createServices(deps: ServiceDependencies): Services {
  const { gtmhub, store, clock, logger } = deps;
  const owners = new OwnerService({ gtmhub, store, slack: deps.slack, clock, logger, adminSlackUserIds: deps.adminSlackUserIds });
  const keyResults = new KeyResultService({ gtmhub, clock, logger });
  const people = new GtmhubPeople({ gtmhub, clock, logger });
  // A check-in that lands (modal, outbox, reminder button) also updates the person's reminder DM.
  const notifier = new ReminderAwareNotifier(deps.notifier, logger);
  const checkins = new CheckInService({ gtmhub, store, owners, keyResults, clock, logger, notifier });
  const checkinForm = new CheckInFormService({ owners, keyResults, store, clock });
  const summaryBuilder = new SummaryBuilder({ gtmhub, keyResults, owners, people, store, directory: deps.slack, slack: deps.summarySlack, clock, logger, appUrl: deps.gtmhubAppUrl });
  const summaries = new SummaryService({ builder: summaryBuilder, store, slack: deps.summarySlack, clock, logger });
  const summarySubscriptions = new SummarySubscriptionService({ builder: summaryBuilder, store, slack: deps.summarySlack, directory: deps.slack, clock, logger });
  const reminders = new ReminderService({
    gtmhub,
    store,
    owners,
    keyResults,
    checkins,
    people,
    messenger: deps.reminderMessenger,
    clock,
    logger: logger.child({ component: 'reminders' }),
    rules: deps.reminderRules,
    ...(deps.reminderTuning ? { tuning: deps.reminderTuning } : {}),
  });
  notifier.attach(reminders);
  return { clock, logger, store, gtmhub, owners, keyResults, checkins, checkinForm, summaries, summarySubscriptions, reminders };
}
