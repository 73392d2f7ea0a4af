/** Runs reminder passes: on a scheduler tick when something may be due, or now for an admin. */
import type { Logger } from '../../logger.js';
import type { ReminderStore } from '../../store/reminder-store.js';
import { DEFAULT_TUNING, ReminderPass, type ReminderPassDependencies, type ReminderPassTuning } from './pass.js';
import { reportFromJson, type ReminderPassReport } from './report.js';

export interface ReminderStatus {
  nextPassAt: Date | null;
  lastPass: ReminderPassReport | null;
  running: boolean;
}

export type ReminderPassesOptions = Omit<ReminderPassDependencies, 'tuning' | 'store'> & {
  store: ReminderStore;
  logger: Logger;
  tuning?: Partial<ReminderPassTuning>;
};

export class ReminderPasses {
  private readonly tuning: ReminderPassTuning;
  private running: Promise<ReminderPassReport> | null = null;

  constructor(private readonly options: ReminderPassesOptions) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /** A scheduler tick: a pass when something may be due, else nothing (no Gtmhub call). */
  async tick(): Promise<ReminderPassReport | null> {
    const { store, clock } = this.options;
    const now = clock.now();
    const state = await store.getReminderPassState();
    const rescanDue = !state.lastScanAt || now.getTime() - state.lastScanAt.getTime() >= this.tuning.rescanMs;
    const workDue = !state.nextPassAt || state.nextPassAt <= now;
    if (!rescanDue && !workDue) return null;
    return this.runPass('tick');
  }

  /** Runs a pass now; a pass already running in this process is joined rather than doubled. */
  runPass(trigger: string): Promise<ReminderPassReport> {
    this.running ??= (async () => {
      try {
        const report = await new ReminderPass({ ...this.options, tuning: this.tuning }, trigger).run();
        const { sent, followUpsSent, wakeUpsSent, failed, people } = report;
        this.options.logger.info(
          { trigger, people, sent, followUpsSent, wakeUpsSent, failed, unmapped: report.unmappedCount, ms: report.durationMs },
          'reminder pass finished',
        );
        await this.options.store.recordReminderPass(
          { trigger, startedAt: new Date(report.startedAt), finishedAt: new Date(report.finishedAt), report: { ...report } },
          50,
        );
        return report;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async status(): Promise<ReminderStatus> {
    const { store } = this.options;
    const [state, last] = await Promise.all([store.getReminderPassState(), store.lastReminderPass()]);
    return { nextPassAt: state.nextPassAt, lastPass: last ? reportFromJson(last.report) : null, running: this.running !== null };
  }
}
