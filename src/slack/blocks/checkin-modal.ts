import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { hasDueDate, type Metric } from '../../gtmhub/types.js';
import type { CheckInChange } from '../../services/checkins.js';
import { MAX_COMMENT_LENGTH } from '../../domain/limits.js';
import type { KeyResultGroup } from '../../services/key-results.js';
import { attainment } from '../../services/progress.js';
import { decimalsFor, formatPercent, formatValue, progressBar } from './format/progress.js';
import { ACTION, BLOCK, CHECKIN_MODAL } from '../ids.js';
import { escapeMrkdwn, link, mrkdwn, plain, relativeTime, shortDate, truncate } from './text.js';
import { SLACK_LIMITS, STATIC_SELECT_LIMIT } from './slack-limits.js';

/** What a value may be, whatever the key result: beyond this it is a typo. */
export const SANE_VALUE_LIMIT = 1e12;

/** Ids only, never objects: it comes back from the client and is re-checked. */
export interface CheckInModalMetadata {
  channelId: string | null;
  /** Changes each time the form starts over, so a new attempt is a new submission. */
  nonce: string;
  search: string;
}

export function encodeMetadata(meta: CheckInModalMetadata): string {
  return JSON.stringify({ c: meta.channelId, n: meta.nonce, q: truncate(meta.search, 200) });
}

const NO_METADATA: CheckInModalMetadata = { channelId: null, nonce: 'none', search: '' };

/**
 * What Slack hands back, validated: null when it is not what `encodeMetadata` wrote (not JSON, or no
 * nonce of ours). A submission must not go on without its nonce: it is half of the idempotency key.
 */
export function parseMetadata(raw: string | undefined): CheckInModalMetadata | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const fields = parsed as Record<string, unknown>;
  if (typeof fields.n !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(fields.n)) return null;
  const channelId = typeof fields.c === 'string' && /^[CDG][A-Z0-9]{2,}$/.test(fields.c) ? fields.c : null;
  const search = typeof fields.q === 'string' ? fields.q.slice(0, 200) : '';
  return { channelId, nonce: fields.n, search };
}

/** For views that only show something: anything malformed becomes safe defaults. */
export function decodeMetadata(raw: string | undefined): CheckInModalMetadata {
  return parseMetadata(raw) ?? NO_METADATA;
}

function modal(title: string, blocks: KnownBlock[], meta: CheckInModalMetadata, submit?: string, close = 'Cancel'): ModalView {
  return {
    type: 'modal',
    callback_id: CHECKIN_MODAL,
    title: plain(title, SLACK_LIMITS.modalLabel),
    ...(submit ? { submit: plain(submit, SLACK_LIMITS.modalLabel) } : {}),
    close: plain(close, SLACK_LIMITS.modalLabel),
    private_metadata: encodeMetadata(meta),
    blocks,
  };
}

export function loadingView(meta: CheckInModalMetadata): ModalView {
  return modal('Check in', [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: Loading your key results from Gtmhub…') }], meta);
}

export function loadFailedView(meta: CheckInModalMetadata, problem: string): ModalView {
  return modal(
    'Check in',
    [
      { type: 'section', text: mrkdwn(`:warning: *Could not load your key results.*\n${escapeMrkdwn(problem)}`) },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: ACTION.retryLoad, text: plain('Try again'), style: 'primary', value: 'retry' }],
      },
    ],
    meta,
    undefined,
    'Close',
  );
}

export function messageView(meta: CheckInModalMetadata, title: string, text: string): ModalView {
  return modal(title, [{ type: 'section', text: mrkdwn(text) }], meta, undefined, 'Close');
}

export function noKeyResultsView(meta: CheckInModalMetadata): ModalView {
  const text = meta.search
    ? `Nothing of yours matches “${escapeMrkdwn(meta.search)}”. Try \`/kr checkin\` without search words to see all your key results.`
    : ':sparkles: *You have no key results to check in right now.*\nOnly key results you own that are updated by hand, in an active objective of an open session and not past their due date can take a check-in. If you expected some here, check their owner in Gtmhub.';
  return messageView(meta, 'Check in', text);
}

function optionFor(metric: Metric): PlainTextOption {
  return { text: plain(truncate(metric.name, SLACK_LIMITS.optionText)), value: metric.id };
}

function keyResultPicker(groups: KeyResultGroup[], selected: Metric | null): KnownBlock {
  const total = groups.reduce((n, g) => n + g.keyResults.length, 0);
  const initial = selected ? { initial_option: optionFor(selected) } : {};
  const element =
    total > STATIC_SELECT_LIMIT
      ? {
          type: 'external_select' as const,
          action_id: ACTION.selectKeyResult,
          placeholder: plain('Type to search your key results'),
          min_query_length: 0,
          ...initial,
        }
      : {
          type: 'static_select' as const,
          action_id: ACTION.selectKeyResult,
          placeholder: plain('Choose a key result'),
          ...(groups.length > 1
            ? { option_groups: groups.map((g) => ({ label: plain(truncate(g.goalName, SLACK_LIMITS.optionText)), options: g.keyResults.map(optionFor) })) }
            : { options: groups.flatMap((g) => g.keyResults.map(optionFor)) }),
          ...initial,
        };
  return { type: 'input', block_id: BLOCK.keyResult, dispatch_action: true, label: plain('Key result'), element };
}

/** Options for the type-ahead picker (`external_select`), at most 100, best matches of the stalest first. */
export function keyResultOptions(groups: KeyResultGroup[], query: string): { option_groups: Array<{ label: ReturnType<typeof plain>; options: Option[] }> } {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  let budget = STATIC_SELECT_LIMIT;
  const option_groups = [];
  for (const group of groups) {
    if (budget <= 0) break;
    const matching = group.keyResults.filter((m) => words.every((w) => `${m.name} ${group.goalName}`.toLowerCase().includes(w))).slice(0, budget);
    if (matching.length === 0) continue;
    budget -= matching.length;
    option_groups.push({ label: plain(truncate(group.goalName, SLACK_LIMITS.optionText)), options: matching.map(optionFor) });
  }
  return { option_groups };
}

export interface SelectedKeyResult {
  metric: Metric;
  goalName: string;
  /** Time zone of the person, for dates. */
  timeZone: string | null;
  now: Date;
}

function lastCheckInLine(metric: Metric, now: Date): string {
  const last = metric.lastCheckInDate ? new Date(metric.lastCheckInDate) : null;
  if (!last || Number.isNaN(last.getTime())) return '*Last check-in:* never';
  const parts = [`*Last check-in:* ${relativeTime(last, now)}`];
  const history = metric.metricHistory?.at(-1);
  const previousValue = history && typeof history.value === 'number' ? history.value : undefined;
  if (previousValue !== undefined) parts.push(`value ${escapeMrkdwn(formatValue(previousValue, metric.format))}`);
  if (metric.confidence && typeof metric.confidence.value === 'number') parts.push(`confidence ${metric.confidence.value}`);
  let line = parts.join(' · ');
  if (history?.comment) line += `\n> ${escapeMrkdwn(truncate(history.comment.replace(/\n+/g, ' '), 300))}`;
  return line;
}

/** A value in the key result's format, but with every decimal it has: the form never shows a rounded number. */
function exactValue(value: number, format: Metric['format']): string {
  const decimals = numberInputText(value)?.split('.')[1]?.length ?? 0;
  const shown = decimals > decimalsFor(format) ? { ...format, fractionSize: decimals } : format;
  return escapeMrkdwn(formatValue(value, shown));
}

export function keyResultDetails({ metric, goalName, timeZone, now }: SelectedKeyResult): KnownBlock[] {
  const fraction = attainment(metric);
  const due = hasDueDate(metric.dueDate)
    ? `${shortDate(new Date(metric.dueDate), timeZone ?? 'UTC')} (${relativeTime(new Date(metric.dueDate), now)})`
    : 'no due date';
  const operator = metric.targetOperator === 'at_most' ? 'at most ' : '';
  return [
    {
      type: 'section',
      text: mrkdwn(
        [
          `*${link(metric.url, metric.name)}*`,
          `_${escapeMrkdwn(goalName)}_`,
          `\`${progressBar(fraction)}\` ${formatPercent(fraction)}`,
          `*Now:* ${exactValue(metric.actual ?? metric.initialValue ?? 0, metric.format)}   *Target:* ${operator}${exactValue(metric.target ?? 0, metric.format)}   *Started at:* ${exactValue(metric.initialValue ?? 0, metric.format)}`,
          `*Due:* ${due}`,
          lastCheckInLine(metric, now),
        ].join('\n'),
      ),
    },
  ];
}

function confidenceOptions(): PlainTextOption[] {
  return Array.from({ length: 11 }, (_, i) => {
    const value = (i / 10).toFixed(1);
    return { text: plain(i === 0 ? '0.0 — no chance' : i === 10 ? '1.0 — certain' : value), value };
  });
}

export interface CheckInFormInput {
  meta: CheckInModalMetadata;
  groups: KeyResultGroup[];
  selected: SelectedKeyResult | null;
  /** A value typed so far: shows what the progress would become. */
  previewValue?: number;
}

export const PREVIEW_BLOCK = 'preview';

/**
 * The current value as a number_input accepts it (plain digits, no exponent), or null when it has
 * none: then the field starts empty and the value shows only in the details above it.
 */
export function numberInputText(value: number | undefined): string | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  const text = String(Object.is(value, -0) ? 0 : value);
  return /^-?\d+(\.\d+)?$/.test(text) ? text : null;
}

function previewLine(metric: Metric, value: number): string {
  const before = attainment(metric);
  const after = attainment({ ...metric, actual: value });
  return `New progress: \`${progressBar(after)}\` *${formatPercent(after)}* (now ${formatPercent(before)}) at ${escapeMrkdwn(formatValue(value, metric.format))}`;
}

export function checkInFormView({ meta, groups, selected, previewValue }: CheckInFormInput): ModalView {
  const blocks: KnownBlock[] = [keyResultPicker(groups, selected?.metric ?? null)];
  if (!selected) {
    blocks.push({ type: 'context', elements: [mrkdwn('Stalest first. Pick one to see its current value and target.')] });
    return modal('Check in', blocks, meta, 'Check in');
  }
  const { metric } = selected;
  const decimals = decimalsFor(metric.format);
  const current = numberInputText(metric.actual);
  // A whole-number key result can hold a fractional value (set in Gtmhub or by an API): the field
  // then takes decimals too, so it can show exactly what Gtmhub holds.
  const currentHasDecimals = current?.includes('.') ?? false;
  const decimalAllowed = decimals > 0 || currentHasDecimals;
  const hint =
    decimals > 0
      ? `Up to ${decimals} decimal${decimals === 1 ? '' : 's'}.`
      : currentHasDecimals
        ? `A whole number is expected, though Gtmhub holds ${current}.`
        : 'A whole number.';
  blocks.push(...keyResultDetails(selected), { type: 'divider' });
  blocks.push({
    type: 'input',
    block_id: BLOCK.value,
    label: plain(`New value${metric.format?.suffix ? ` (${metric.format.suffix.trim()})` : metric.format?.prefix ? ` (${metric.format.prefix.trim()})` : ''}`),
    dispatch_action: true,
    element: {
      type: 'number_input',
      action_id: ACTION.value,
      is_decimal_allowed: decimalAllowed,
      ...(current !== null ? { initial_value: current } : {}),
      placeholder: plain('e.g. 42'),
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
    },
    hint: plain(`${hint} Press Enter to preview the new progress.`),
  });
  if (previewValue !== undefined && Number.isFinite(previewValue)) {
    blocks.push({ type: 'context', block_id: PREVIEW_BLOCK, elements: [mrkdwn(previewLine(metric, previewValue))] });
  }
  blocks.push({
    type: 'input',
    block_id: BLOCK.confidence,
    optional: true,
    label: plain('Confidence'),
    element: { type: 'static_select', action_id: ACTION.confidence, placeholder: plain('How likely is the target?'), options: confidenceOptions() },
  });
  blocks.push({
    type: 'input',
    block_id: BLOCK.comment,
    optional: true,
    label: plain('Comment'),
    element: {
      type: 'plain_text_input',
      action_id: ACTION.comment,
      multiline: true,
      max_length: MAX_COMMENT_LENGTH,
      placeholder: plain('What changed? Any blockers?'),
    },
  });
  return modal('Check in', blocks, meta, 'Check in');
}

export function savingView(meta: CheckInModalMetadata): ModalView {
  return messageView(meta, 'Check in', ':hourglass_flowing_sand: Saving your check-in to Gtmhub…');
}

export function deliveredView(meta: CheckInModalMetadata, change: CheckInChange | null): ModalView {
  if (!change) return messageView(meta, 'Checked in', ':white_check_mark: Your check-in is in Gtmhub.');
  const { metric } = change;
  const from = change.previousActual === null ? '—' : escapeMrkdwn(formatValue(change.previousActual, metric.format));
  const to = escapeMrkdwn(formatValue(change.newActual, metric.format));
  return messageView(
    meta,
    'Checked in',
    [
      `:white_check_mark: *${link(metric.url, metric.name)}* is checked in.`,
      `${from} → *${to}*`,
      `\`${progressBar(change.previousAttainment)}\` ${formatPercent(change.previousAttainment)} → \`${progressBar(change.newAttainment)}\` *${formatPercent(change.newAttainment)}*`,
    ].join('\n'),
  );
}

export function pendingView(meta: CheckInModalMetadata, reason: string): ModalView {
  return messageView(
    meta,
    'Saved',
    `:floppy_disk: *Saved — it will sync.* ${escapeMrkdwn(reason)} Your check-in is stored safely and will be sent to Gtmhub automatically; I'll DM you when it lands.`,
  );
}

export function rejectedView(meta: CheckInModalMetadata, reason: string): ModalView {
  return modal(
    'Not checked in',
    [
      { type: 'section', text: mrkdwn(`:no_entry: *Gtmhub did not take this check-in.*\n${escapeMrkdwn(reason)}`) },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTION.startOver, text: plain('Start over'), value: 'start_over' }] },
    ],
    meta,
    undefined,
    'Close',
  );
}
