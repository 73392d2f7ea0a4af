// The sandbox's job buttons and job log in words: what each job does, how often it runs by itself,
// and what a run did ("Reminder pass: 3 sent, 1 skipped (quiet hours)"), never field names.

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Six-field cron (seconds first), as the app's jobs use, for the forms they use; anything else as written. */
export function cronInWords(cron) {
  const fields = String(cron).trim().split(/\s+/);
  if (fields.length !== 6 || fields.slice(3).some((f) => f !== '*')) return `on the schedule "${cron}"`;
  const [s, m, h] = fields;
  const every = (field) => /^\*\/(\d+)$/.exec(field)?.[1];
  if (every(s) && m === '*' && h === '*') return `every ${plural(Number(every(s)), 'second')}`;
  if (s === '*' && m === '*' && h === '*') return 'every second';
  if (/^\d+$/.test(s) && every(m) && h === '*') return `every ${plural(Number(every(m)), 'minute')}`;
  if (/^\d+$/.test(s) && m === '*' && h === '*') return 'every minute';
  if (/^\d+$/.test(s) && /^\d+$/.test(m) && every(h)) return `every ${plural(Number(every(h)), 'hour')}`;
  if (/^\d+$/.test(s) && /^\d+$/.test(m) && h === '*') return 'every hour';
  if (/^\d+$/.test(s) && /^\d+$/.test(m) && /^\d+$/.test(h)) return `every day at ${h.padStart(2, '0')}:${m.padStart(2, '0')} (server time)`;
  return `on the schedule "${cron}"`;
}

const JOB_PURPOSE = {
  reminders: 'sends reminder DMs to people whose key results are due for a check-in',
  summaries: 'posts the channel summaries that are due',
  outbox: 'delivers check-ins waiting in the outbox to Gtmhub (saved while Gtmhub was unreachable, or cut off mid-save)',
  retention: 'deletes history older than the retention period',
};

/** What a "Run … now" button does, for its tooltip and the help text. */
export function jobHelp(job) {
  const purpose = JOB_PURPOSE[job.name] ?? `runs the app's "${job.name}" job`;
  return `Run ${job.name} now ${purpose} at once; it also runs by itself ${cronInWords(job.schedule)}.`;
}

/** The help text above the job buttons. */
export function jobsIntro(jobs) {
  const schedules = jobs.map((job) => `${job.name} ${cronInWords(job.schedule)}`).join(', ');
  const outbox = jobs.some((job) => job.name === 'outbox') ? ` Run outbox now ${JOB_PURPOSE.outbox} at once.` : '';
  return `Reminders, summaries and the outbox also run on their own schedule, as in production (${schedules}); the buttons run a job at once.${outbox}`;
}

function list(parts) {
  return parts.filter(Boolean).join(', ');
}

function reminderWords(r) {
  if (r.idle) return r.nextPassAt ? `nothing due; next look at ${new Date(r.nextPassAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}` : 'nothing due';
  const skippedWhy = [
    [r.quietHours, 'quiet hours'],
    [r.alreadySent, 'already reminded'],
    [r.inProgress, 'being reminded by another worker'],
    [r.notYet, 'their time has not come'],
    [r.snoozed, 'snoozed or skipped'],
    [r.nothingDue, 'nothing due'],
    [r.off, 'reminders off'],
  ].filter(([n]) => n > 0);
  const skipped = skippedWhy.reduce((sum, [n]) => sum + n, 0);
  const why = skippedWhy.length === 1 ? skippedWhy[0][1] : skippedWhy.map(([n, what]) => `${n} ${what}`).join(', ');
  const sent = r.sent + (r.followUpsSent ?? 0) + (r.wakeUpsSent ?? 0);
  return list([
    `${sent} sent${r.followUpsSent ? ` (${plural(r.followUpsSent, 'follow-up')})` : ''}`,
    skipped > 0 && `${skipped} skipped (${why})`,
    r.failed > 0 && `${r.failed} failed (tried again next pass)`,
    r.unmappedCount > 0 && `${plural(r.unmappedCount, 'owner')} with no Slack match`,
    r.rateLimited > 0 && `slowed down by Slack ${plural(r.rateLimited, 'time')}`,
    `${plural(r.keyResultsScanned, 'key result')} checked for ${plural(r.people, 'person', 'people')}`,
    r.error && `stopped: ${r.error}`,
  ]);
}

function outboxWords(r) {
  const total = r.delivered + r.rejected + r.retrying;
  if (total === 0) return 'no check-ins were waiting';
  return list([
    r.delivered > 0 && `${plural(r.delivered, 'check-in')} delivered to Gtmhub`,
    r.rejected > 0 && `${r.rejected} refused by Gtmhub (the person was told)`,
    r.retrying > 0 && `${r.retrying} still waiting (tried again later)`,
  ]);
}

function summaryWords(r) {
  if (r.posted + r.skipped + r.failed + r.retrying === 0) return 'none were due';
  return list([
    `${r.posted} posted`,
    r.skipped > 0 && `${r.skipped} skipped`,
    r.failed > 0 && `${r.failed} failed`,
    r.retrying > 0 && `${r.retrying} to try again`,
  ]);
}

function retentionWords(r) {
  const entries = Object.entries(r).filter(([, n]) => typeof n === 'number' && n > 0);
  if (entries.length === 0) return 'nothing old enough to delete';
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `deleted ${plural(total, 'old row')} (${entries.map(([table, n]) => `${n} ${table.replaceAll('_', ' ')}`).join(', ')})`;
}

/** "lastCheckInDate" → "last check in date": a field name as words, for jobs this file does not know. */
function words(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
}

function genericWords(r) {
  const parts = Object.entries(r)
    .filter(([k, v]) => (typeof v === 'number' && v !== 0 && !/ms$/i.test(k)) || (Array.isArray(v) && v.length > 0))
    .map(([k, v]) => `${Array.isArray(v) ? v.length : v} ${words(k)}`);
  return parts.length ? parts.join(', ') : 'done, nothing to do';
}

const JOB_TITLE = { reminders: 'Reminder pass', summaries: 'Summaries', outbox: 'Outbox', retention: 'Retention' };
const JOB_WORDS = { reminders: reminderWords, summaries: summaryWords, outbox: outboxWords, retention: retentionWords };

/** One line for the job log. */
export function describeJobRun(name, result) {
  const title = JOB_TITLE[name] ?? `Job ${name}`;
  if (result === null || result === undefined) return `${title}: nothing was due.`;
  if (typeof result !== 'object') return `${title}: ${String(result)}.`;
  const describe = JOB_WORDS[name] ?? genericWords;
  return `${title}: ${describe(result)}.`;
}
