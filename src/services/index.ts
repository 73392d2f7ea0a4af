import type { Clock } from '../clock.js';
import type { GtmhubClient } from '../gtmhub/client.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { CheckInFollowUps } from './checkin-followups.js';
import { ConfidenceScaleService } from './confidence-scale.js';
import { DrasticChangeConfirmations } from './drastic-change.js';
import { FormQuestions } from './form-questions.js';
import { SubmittedValues } from './checkin-shown.js';
import { CheckInFormService, FormAwareNotifier } from './checkin-form.js';
import { CheckInService } from './checkins.js';
import type { CheckInNotifier } from './checkin-types.js';
import { KeyResultService } from './key-results.js';
import { createKeyResultAdmin, type KeyResultAdmin } from './key-results-admin/index.js';
import { CheckInRefRecorder } from './key-results-admin/checkin-refs.js';
import type { NudgeMessenger } from './key-results-admin/nudges.js';
import { PeopleService } from './people/people-service.js';
import type { SlackDirectory } from './ports.js';
import { ReminderActions } from './reminders/actions.js';
import { ReminderAwareNotifier } from './reminders/checkin-notifier.js';
import { ReminderHome } from './reminders/home.js';
import type { ReminderPassTuning } from './reminders/pass.js';
import { ReminderPasses } from './reminders/passes.js';
import type { ReminderRules } from './reminders/planner.js';
import type { ReminderMessenger } from './reminders/ports.js';
import { ReminderRows } from './reminders/reminder-rows.js';
import { ReminderSettingsService } from './reminders/settings.js';
import type { RetryTimer } from './retry-delay.js';
import { RetentionService } from './retention.js';
import { SummaryBuilder } from './summaries/build.js';
import type { SummarySlack } from './summaries/ports.js';
import { SummarySubscriptionService } from './summaries/subscriptions.js';
import { SummaryService } from './summaries/summary-service.js';

/** Every rule of the app, wired once; the Slack layer and the scheduler call into this. */
export interface Services {
  clock: Clock;
  logger: Logger;
  store: Store;
  gtmhub: GtmhubClient;
  people: PeopleService;
  keyResults: KeyResultService;
  checkins: CheckInService;
  checkinFollowUps: CheckInFollowUps;
  checkinForm: CheckInFormService;
  confidenceScale: ConfidenceScaleService;
  changeConfirmations: DrasticChangeConfirmations;
  submittedValues: SubmittedValues;
  summaries: SummaryService;
  summarySubscriptions: SummarySubscriptionService;
  reminders: ReminderPasses;
  reminderSettings: ReminderSettingsService;
  reminderHome: ReminderHome;
  reminderActions: ReminderActions;
  keyResultAdmin: KeyResultAdmin;
  retention: RetentionService;
}

/** Everything the services ask of Slack: the one Slack gateway implements it. */
export type SlackPort = SlackDirectory & ReminderMessenger & SummarySlack & CheckInNotifier & NudgeMessenger;

export interface ServiceDependencies {
  gtmhub: GtmhubClient;
  store: Store;
  clock: Clock;
  logger: Logger;
  slack: SlackPort;
  adminSlackUserIds: string[];
  /** How long email matches, Slack profiles and Gtmhub users are trusted (PEOPLE_CACHE_TTL_HOURS). */
  peopleCacheTtlMs?: number;
  /** Gtmhub web app base for links (GTMHUB_APP_URL). */
  gtmhubAppUrl: string | undefined;
  /** Reminder DMs: the workspace's rules (default schedule, working hours, follow-up). */
  reminderRules: ReminderRules;
  reminderTuning?: Partial<ReminderPassTuning>;
  /** Link previews of pasted Gtmhub links (UNFURL_LINKS); on unless set false. */
  unfurlLinks?: boolean;
  /** The timer of the quick check-in retries (tests inject one; `false` leaves retries to the outbox worker). */
  checkinRetryTimer?: RetryTimer | false;
  /** The Gtmhub client's per-request timeout (GTMHUB_TIMEOUT_MS): a check-in is posted only while its lease outlasts it. */
  gtmhubTimeoutMs?: number;
  /** Tests: the outbox lease (default: 60 s, or longer for a long Gtmhub timeout). */
  outboxLeaseMs?: number;
  /** OUTBOX_RETENTION_DAYS. */
  retentionDays?: number;
}

/** Builds the object graph in one direction: each service gets only what was built before it. */
export function createServices(deps: ServiceDependencies): Services {
  const { gtmhub, store, clock, logger, slack } = deps;
  const remindersLogger = logger.child({ component: 'reminders' });
  const people = new PeopleService({
    gtmhub,
    store,
    slack,
    clock,
    logger,
    adminSlackUserIds: deps.adminSlackUserIds,
    ...(deps.peopleCacheTtlMs === undefined ? {} : { matchTtlMs: deps.peopleCacheTtlMs }),
  });
  const keyResults = new KeyResultService({ gtmhub, clock, logger });
  const confidenceScale = new ConfidenceScaleService({ gtmhub, clock, logger });
  const reminderRows = new ReminderRows({ store, messenger: slack, clock, logger: remindersLogger, confidenceScale });
  const checkinForm = new CheckInFormService({ people, keyResults, store, clock });
  // A check-in that lands (modal, outbox, reminder button) is told to its person and shown on their reminder DMs.
  const checkins = new CheckInService({
    gtmhub,
    store,
    people,
    keyResults,
    clock,
    logger,
    notifier: new FormAwareNotifier(new CheckInRefRecorder(new ReminderAwareNotifier(slack, reminderRows, logger), store, clock, logger), checkinForm),
    ...(deps.checkinRetryTimer === undefined ? {} : { retryTimer: deps.checkinRetryTimer }),
    ...(deps.gtmhubTimeoutMs === undefined ? {} : { postTimeoutMs: deps.gtmhubTimeoutMs }),
    ...(deps.outboxLeaseMs === undefined ? {} : { leaseMs: deps.outboxLeaseMs }),
  });
  const checkinFollowUps = new CheckInFollowUps({
    gtmhub,
    store,
    logger,
    people,
    undone: async (entry) => {
      await reminderRows.reopen(entry.slackUserId, entry.metricId, ['checked_in', 'no_change']);
    },
  });
  const summaryBuilder = new SummaryBuilder({ gtmhub, keyResults, people, store, slack, clock, logger, appUrl: deps.gtmhubAppUrl, confidenceScale });
  const summaries = new SummaryService({ builder: summaryBuilder, store, slack, clock, logger });
  const summarySubscriptions = new SummarySubscriptionService({ builder: summaryBuilder, store, slack, directory: slack, clock, logger });
  const reminderSettings = new ReminderSettingsService({ store, slack, clock, logger: remindersLogger, rules: deps.reminderRules });
  const reminders = new ReminderPasses({
    gtmhub,
    store,
    keyResults,
    people,
    slack,
    messenger: slack,
    clock,
    logger: remindersLogger,
    rules: deps.reminderRules,
    confidenceScale,
    ...(deps.reminderTuning ? { tuning: deps.reminderTuning } : {}),
  });
  const reminderHome = new ReminderHome({ people, keyResults, settings: reminderSettings, store, clock });
  const reminderActions = new ReminderActions({ store, people, keyResults, checkins, settings: reminderSettings, rows: reminderRows, clock, confidenceScale });
  const keyResultAdmin = createKeyResultAdmin({ gtmhub, people, keyResults, rows: reminderRows, store, clock, logger, messenger: slack, unfurlLinks: deps.unfurlLinks ?? true });
  const changeConfirmations = new DrasticChangeConfirmations(new FormQuestions(store, clock));
  const submittedValues = new SubmittedValues({ people, keyResults, changeConfirmations, questions: new FormQuestions(store, clock) });
  return {
    clock,
    logger,
    store,
    gtmhub,
    people,
    keyResults,
    checkins,
    checkinFollowUps,
    checkinForm,
    confidenceScale,
    changeConfirmations,
    submittedValues,
    summaries,
    summarySubscriptions,
    reminders,
    reminderSettings,
    reminderHome,
    reminderActions,
    keyResultAdmin,
    retention: new RetentionService({ store, clock, logger, retentionDays: deps.retentionDays ?? 30 }),
  };
}
