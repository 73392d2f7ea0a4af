import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { hasDueDate, type Metric } from '../../gtmhub/types.js';
import { isGtmhubId } from '../../gtmhub/ids.js';
import { shownOf, type ShownKeyResult } from '../../domain/shown-key-result.js';
import type { CheckInChange } from '../../services/checkin-types.js';
import { MAX_COMMENT_LENGTH, MAX_VALUE_DECIMALS } from '../../domain/limits.js';
import type { KeyResultGroup, LeftOutKeyResult } from '../../services/key-results.js';
import { leftOutText } from './format/left-out.js';
import { DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from '../../gtmhub/confidence-scale.js';
import { confidenceLabel } from '../../domain/confidence-levels.js';
import { attainment } from '../../services/progress.js';
import { decimalsFor, formatStoredValue, progressBar } from './format/progress.js';
import { progressWords, targetText } from './format/goal.js';
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
  /**
   * The chosen key result's unit and numbers as the form showed them, with its id: only to read what
   * the person typed (`€1,300,000`) and to ask before a drastic change, and only for that key result
   * (the picker may already hold another whose details have not arrived). Every write re-reads it.
   */
  shown?: ShownKeyResult;
  /** A comment to start from (the message shortcut: the message's words and its link). */
  draft?: string;
}

/** A draft fits in private_metadata (3,000 characters) with room for the rest. */
export const DRAFT_MAX = 1200;

/** Names the key result it describes: a submission uses it only for that key result (services/checkin-shown.ts). */
export type { ShownKeyResult };

const AFFIX_LIMIT = 40;

export function encodeMetadata(meta: CheckInModalMetadata): string {
  const base = { c: meta.channelId, n: meta.nonce, q: truncate(meta.search, 200), ...(meta.draft ? { d: truncate(meta.draft, DRAFT_MAX) } : {}) };
  if (!meta.shown) return JSON.stringify(base);
  const { metricId, prefix, suffix, actual, initial, target } = meta.shown;
  return JSON.stringify({ ...base, k: [prefix.slice(0, AFFIX_LIMIT), suffix.slice(0, AFFIX_LIMIT), actual, initial, target, metricId] });
}

/** Without the id of its key result (a form from before it was written) it is not used at all. */
function decodeShown(raw: unknown): ShownKeyResult | undefined {
  if (!Array.isArray(raw) || raw.length !== 6) return undefined;
  const [prefix, suffix, actualRaw, initialRaw, targetRaw, metricId] = raw as unknown[];
  if (typeof prefix !== 'string' || typeof suffix !== 'string' || prefix.length > AFFIX_LIMIT || suffix.length > AFFIX_LIMIT) return undefined;
  if (!isGtmhubId(metricId)) return undefined;
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return { prefix, suffix, actual: number(actualRaw), initial: number(initialRaw), target: number(targetRaw), metricId };
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
  const draft = typeof fields.d === 'string' && fields.d.trim() ? fields.d.slice(0, DRAFT_MAX) : undefined;
  const shown = decodeShown(fields.k);
  return { channelId, nonce: fields.n, search, ...(draft ? { draft } : {}), ...(shown ? { shown } : {}) };
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

export function noKeyResultsView(meta: CheckInModalMetadata, leftOut?: LeftOutKeyResult[]): ModalView {
  if (meta.search) {
    // Not a dead end: one click shows everything the person could check in.
    return modal(
      'Check in',
      [
        { type: 'section', text: mrkdwn(`Nothing of yours matches “${escapeMrkdwn(meta.search)}”.`) },
        { type: 'actions', elements: [{ type: 'button', action_id: ACTION.showAll, text: plain('Show all my key results'), style: 'primary', value: 'show_all' }] },
      ],
      meta,
      undefined,
      'Close',
    );
  }
  const text = ':sparkles: *You have no key results to check in right now.*\nOnly key results you own that are updated by hand, in an active objective of an open session and not past their due date can take a check-in. If you expected some here, check their owner in Gtmhub.';
  const notOffered = leftOutText(leftOut);
  return messageView(meta, 'Check in', notOffered ? truncate(`${text}\n\n${notOffered}`, SLACK_LIMITS.text) : text);
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
  /** Time zone of the person. Not for the due date: that is a calendar day, shown as Gtmhub holds it wherever the person is. */
  timeZone: string | null;
  now: Date;
}

function lastCheckInLine(metric: Metric, now: Date, scale: ConfidenceScale): string {
  const last = metric.lastCheckInDate ? new Date(metric.lastCheckInDate) : null;
  if (!last || Number.isNaN(last.getTime())) return '*Last check-in:* never';
  const parts = [`*Last check-in:* ${relativeTime(last, now)}`];
  const history = metric.metricHistory?.at(-1);
  const previousValue = history && typeof history.value === 'number' ? history.value : undefined;
  if (previousValue !== undefined) parts.push(`value ${escapeMrkdwn(formatStoredValue(previousValue, metric.format))}`);
  if (metric.confidence && typeof metric.confidence.value === 'number') parts.push(`confidence ${escapeMrkdwn(confidenceLabel(scale, metric.confidence.value))}`);
  let line = parts.join(' · ');
  if (history?.comment) line += `\n> ${escapeMrkdwn(truncate(history.comment.replace(/\n+/g, ' '), 300))}`;
  return line;
}

/** A value in the key result's format, but with every decimal it has: the form never shows a rounded number. */
function exactValue(value: number, format: Metric['format']): string {
  return escapeMrkdwn(formatStoredValue(value, format));
}

export function keyResultDetails({ metric, goalName, now }: SelectedKeyResult, scale: ConfidenceScale = DEFAULT_CONFIDENCE_SCALE): KnownBlock[] {
  const fraction = attainment(metric);
  // A due date is a calendar day (written as `…T23:59:59Z`): the day Gtmhub holds is its date in UTC, as the
  // edit form (`dueDate.slice(0, 10)`) and summaries show it; in the person's zone it could be the next day.
  const due = hasDueDate(metric.dueDate)
    ? `${shortDate(new Date(metric.dueDate), 'UTC')} (${relativeTime(new Date(metric.dueDate), now)})`
    : 'no due date';
  return [
    {
      type: 'section',
      text: mrkdwn(
        [
          `*${link(metric.url, metric.name)}*`,
          `_${escapeMrkdwn(goalName)}_`,
          `\`${progressBar(fraction)}\` ${progressWords(fraction, metric.targetOperator)}`,
          `*Now:* ${exactValue(metric.actual ?? metric.initialValue ?? 0, metric.format)}   *Target:* ${escapeMrkdwn(targetText(metric))}   *Started at:* ${exactValue(metric.initialValue ?? 0, metric.format)}`,
          `*Due:* ${due}`,
          lastCheckInLine(metric, now, scale),
        ].join('\n'),
      ),
    },
  ];
}

/** The account's confidence levels (default 0–1 in tenths); each option's value is what Gtmhub is sent. */
function confidenceOptions(scale: ConfidenceScale): PlainTextOption[] {
  if (scale.source === 'default') {
    return scale.levels.map((level, i, all) => ({
      text: plain(i === 0 ? `${level.label} — no chance` : i === all.length - 1 ? `${level.label} — certain` : level.label),
      value: level.value.toFixed(1),
    }));
  }
  return scale.levels.map((level) => ({ text: plain(truncate(level.label, SLACK_LIMITS.optionText)), value: String(level.value) }));
}

export interface CheckInFormInput {
  meta: CheckInModalMetadata;
  groups: KeyResultGroup[];
  selected: SelectedKeyResult | null;
  /** A value typed so far: shows what the progress would become. */
  previewValue?: number;
  /** The account's confidence scale; 0–1 in tenths without it. */
  confidenceScale?: ConfidenceScale;
  /** The person's key results not offered (past due, closed session, automated), listed with why. */
  leftOut?: LeftOutKeyResult[];
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

/** Long enough for any value the form accepts, written out with separators and a unit. */
export const VALUE_INPUT_MAX_LENGTH = 60;

function valueHint(metric: Metric): string {
  const decimals = decimalsFor(metric.format);
  const shown = decimals > 0 ? `Gtmhub shows ${decimals} decimal${decimals === 1 ? '' : 's'}; up to ${MAX_VALUE_DECIMALS} are kept exactly.` : `Up to ${MAX_VALUE_DECIMALS} decimals are kept exactly.`;
  return `${shown} Commas between thousands and the unit are fine.`;
}

function previewLine(metric: Metric, value: number): string {
  const before = attainment(metric);
  const after = attainment({ ...metric, actual: value });
  const words = (fraction: number) => progressWords(fraction, metric.targetOperator);
  return `New progress: \`${progressBar(after)}\` *${words(after)}* (now ${words(before)}) at ${escapeMrkdwn(formatStoredValue(value, metric.format))}`;
}

export function checkInFormView({ meta, groups, selected, previewValue, confidenceScale, leftOut }: CheckInFormInput): ModalView {
  const blocks: KnownBlock[] = [keyResultPicker(groups, selected?.metric ?? null)];
  if (!selected) {
    blocks.push({ type: 'context', elements: [mrkdwn('Stalest first. Pick one to see its current value and target.')] });
    const notOffered = leftOutText(leftOut);
    if (notOffered) blocks.push({ type: 'context', block_id: 'left_out', elements: [mrkdwn(truncate(notOffered, SLACK_LIMITS.text))] });
    return modal('Check in', blocks, meta, 'Check in');
  }
  const { metric } = selected;
  const shownMeta: CheckInModalMetadata = { ...meta, shown: shownOf(metric) };
  // The field is free text in the person's own notation (`€1,300,000`, `6 days`): Slack's
  // number_input refuses separators and units. It starts with exactly what Gtmhub holds, readable.
  const current = numberInputText(metric.actual) === null ? null : formatStoredValue(metric.actual!, metric.format);
  const unit = (metric.format?.suffix || metric.format?.prefix || '').trim();
  blocks.push(...keyResultDetails(selected, confidenceScale), { type: 'divider' });
  blocks.push({
    type: 'input',
    block_id: BLOCK.value,
    label: plain(`New value${unit ? ` (${truncate(unit, 20)})` : ''}`),
    dispatch_action: true,
    element: {
      type: 'plain_text_input',
      action_id: ACTION.value,
      ...(current !== null ? { initial_value: current } : {}),
      max_length: VALUE_INPUT_MAX_LENGTH,
      placeholder: plain(`e.g. ${formatStoredValue(metric.target ?? 42, metric.format)}`, SLACK_LIMITS.placeholder),
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
    },
    hint: plain(`${valueHint(metric)} Press Enter to preview the new progress.`),
  });
  if (previewValue !== undefined && Number.isFinite(previewValue)) {
    blocks.push({ type: 'context', block_id: PREVIEW_BLOCK, elements: [mrkdwn(previewLine(metric, previewValue))] });
  }
  blocks.push({
    type: 'input',
    block_id: BLOCK.confidence,
    optional: true,
    label: plain('Confidence'),
    element: { type: 'static_select', action_id: ACTION.confidence, placeholder: plain('How likely is the target?'), options: confidenceOptions(confidenceScale ?? DEFAULT_CONFIDENCE_SCALE) },
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
      ...(meta.draft ? { initial_value: truncate(meta.draft, MAX_COMMENT_LENGTH) } : {}),
      placeholder: plain('What changed? Any blockers?'),
    },
  });
  return modal('Check in', blocks, shownMeta, 'Check in');
}

export function savingView(meta: CheckInModalMetadata): ModalView {
  return messageView(meta, 'Check in', ':hourglass_flowing_sand: Saving your check-in to Gtmhub…');
}

export function deliveredView(meta: CheckInModalMetadata, change: CheckInChange | null): ModalView {
  if (!change) return messageView(meta, 'Checked in', ':white_check_mark: Your check-in is in Gtmhub.');
  const { metric } = change;
  const from = change.previousActual === null ? '—' : escapeMrkdwn(formatStoredValue(change.previousActual, metric.format));
  const to = escapeMrkdwn(formatStoredValue(change.newActual, metric.format));
  return messageView(
    meta,
    'Checked in',
    [
      `:white_check_mark: *${link(metric.url, metric.name)}* is checked in.`,
      `${from} → *${to}*`,
      `\`${progressBar(change.previousAttainment)}\` ${progressWords(change.previousAttainment, metric.targetOperator)} → \`${progressBar(change.newAttainment)}\` *${progressWords(change.newAttainment, metric.targetOperator)}*`,
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
