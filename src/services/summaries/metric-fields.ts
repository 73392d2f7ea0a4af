/**
 * What a summary asks `GET /v2/metrics` for: only the fields it reads, sub-objects narrowed with
 * nested projections (`assignee{id,type,name,email}`), so a page of 1,000 key results carries
 * no `isActive`, confidence dates, history comments or authors the summary would only parse and
 * drop. That Gtmhub applies nested projections to a metric's sub-objects, as it does to a goal's
 * `metrics{…}`, is a guess (src/emulator/gtmhub/guesses.ts, `NESTED_PROJECTIONS`); a server that
 * sent the whole sub-objects instead would still be read correctly.
 */

/** Every field the builder reads (build.ts `judge`/`item`, status.ts, links.ts); goalName is a v2 list field, names otherwise come from GET /v2/goals. */
const SUMMARY_FIELDS = [
  'id',
  'name',
  'goalId',
  'goalName',
  'sessionId',
  // The owner: the assignee first, the first of ownerIds when Gtmhub sends no assignee.
  'ownerIds',
  'assignee{id,type,name,email}',
  'initialValue',
  'target',
  'actual',
  'targetOperator',
  'format',
  'attainment',
  'dynamic',
  'dueDate',
  'dateCreated',
  'goalClosedStatus{status}',
  'confidence{value}',
  'lastCheckInDate',
  'url',
];

/** Gtmhub's history of each key result, only while the progress line is worked out from it (progress-history.ts reads these two). */
const HISTORY_FIELDS = 'metricHistory{createdAt,value}';

export function summaryMetricFields(options: { withHistory: boolean }): string {
  return options.withHistory ? `${SUMMARY_FIELDS.join(',')},${HISTORY_FIELDS}` : SUMMARY_FIELDS.join(',');
}
