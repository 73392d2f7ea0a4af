/** The key-result form: create (with objective and owner) and edit (prefilled, with what changed in Gtmhub). */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  CURRENCY_SYMBOL_MAX,
  DIRECTION_LABELS,
  DIRECTIONS,
  FORMAT_KINDS,
  FORMAT_LABELS,
  formGapsOf,
  KEY_RESULT_DESCRIPTION_MAX,
  KEY_RESULT_NAME_MAX,
  MAX_DECIMALS,
  type FormGaps,
} from '../../domain/key-result-form.js';
import type { Goal, Metric } from '../../gtmhub/types.js';
import type { EditableAttribute, Fingerprint } from '../../services/key-results-admin/edit.js';
import type { KeyResultFormValues } from '../../services/key-results-admin/key-result-input.js';
import { formatValue } from './format/progress.js';
import { KR_ADMIN_ACTION, KR_ADMIN_VIEW } from './key-result-admin-ids.js';
import { SLACK_LIMITS, STATIC_SELECT_LIMIT } from './slack-limits.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './text.js';

/** Block id = action id = the form field's name, so field errors map one to one. */
export const FIELD = {
  objective: 'objective',
  name: 'name',
  owner: 'owner',
  format: 'format',
  currencySymbol: 'currencySymbol',
  decimals: 'decimals',
  direction: 'direction',
  start: 'start',
  target: 'target',
  dueDate: 'dueDate',
  description: 'description',
} as const;

export interface CreateFormMetadata {
  nonce: string;
}

export interface EditFormMetadata {
  metricId: string;
  /** Fingerprint of what the form was filled from. */
  seen: Fingerprint;
  /** The due day the form was filled with (an unchanged past due date may stay). */
  dueDay: string;
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, SLACK_LIMITS.optionText), value };
}

/** Slack's limit for an input block's hint. */
const HINT_MAX = 2000;

function select(blockId: string, label: string, options: PlainTextOption[], initial: string | undefined, opts: { optional?: boolean; hint?: string | undefined } = {}): KnownBlock {
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint, HINT_MAX) } : {}),
    element: { type: 'static_select', action_id: blockId, options, ...(chosen ? { initial_option: chosen } : {}) },
  };
}

function text(blockId: string, label: string, initial: string, maxLength: number, opts: { optional?: boolean; multiline?: boolean; hint?: string | undefined; placeholder?: string } = {}): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint, HINT_MAX) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      max_length: maxLength,
      ...(opts.multiline ? { multiline: true } : {}),
      ...(initial ? { initial_value: truncate(initial, maxLength) } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
    },
  };
}

/** An affix of a unit as the hint quotes it (a long one shortened). */
function quoted(affix: string): string {
  return `“${truncate(affix, 40)}”`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the edit form says beside each field it cannot show as Gtmhub holds it (kept unless changed there). */
function gapHints(gaps: FormGaps): Partial<Record<'name' | 'description' | 'format' | 'decimals' | 'direction', string>> {
  const hints: Partial<Record<'name' | 'description' | 'format' | 'decimals' | 'direction', string>> = {};
  if (gaps.nameLength !== undefined) {
    hints.name = `The name in Gtmhub has ${count(gaps.nameLength)} characters, more than this form takes (${count(KEY_RESULT_NAME_MAX)}), so it is shown shortened. The full name is kept unless you change it here.`;
  }
  if (gaps.descriptionLength !== undefined) {
    hints.description = `The description in Gtmhub has ${count(gaps.descriptionLength)} characters, more than Slack's form takes (${count(KEY_RESULT_DESCRIPTION_MAX)}), so it is not shown here and is kept as it is. Text you type here replaces it whole.`;
  }
  if (gaps.unit) {
    const { prefix, suffix } = gaps.unit;
    const unit = [prefix ? `${quoted(prefix)} before` : '', suffix ? `${quoted(suffix)} after` : ''].filter(Boolean).join(' and ');
    hints.format = `Gtmhub writes ${unit} each value of this key result, which none of these choices writes. It is kept unless you choose a different format.`;
  }
  if (gaps.decimals !== undefined) {
    hints.decimals = `Gtmhub shows this key result with ${String(gaps.decimals)} decimals, which this form does not offer. They are kept unless you choose a number here.`;
  }
  if (gaps.operator !== undefined) {
    hints.direction = `Gtmhub's direction ${quoted(gaps.operator)} is not one of these choices. It is kept unless you choose a different one.`;
  }
  return hints;
}

function attributeBlocks(values: KeyResultFormValues, gaps: FormGaps = {}): KnownBlock[] {
  const hints = gapHints(gaps);
  return [
    text(FIELD.name, 'Key result', values.name, KEY_RESULT_NAME_MAX, { placeholder: 'e.g. Reach 200 paying customers', hint: hints.name }),
    select(FIELD.direction, 'Direction', DIRECTIONS.map((d) => option(DIRECTION_LABELS[d], d)), values.direction, { hint: hints.direction }),
    text(FIELD.start, 'Start value', values.start, 40),
    text(FIELD.target, 'Target', values.target, 40),
    select(FIELD.format, 'Format', FORMAT_KINDS.map((k) => option(FORMAT_LABELS[k], k)), values.format, { hint: hints.format }),
    text(FIELD.currencySymbol, 'Currency symbol', values.currencySymbol, CURRENCY_SYMBOL_MAX, { optional: true, hint: 'Only for currency, e.g. $ or €.' }),
    // Decimals the form does not offer leave the choice empty (and optional): no choice keeps them.
    select(FIELD.decimals, 'Decimals', Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => option(String(i), String(i))), values.decimals, { optional: gaps.decimals !== undefined, hint: hints.decimals }),
    {
      type: 'input',
      block_id: FIELD.dueDate,
      label: plain('Due date'),
      element: { type: 'datepicker', action_id: FIELD.dueDate, ...(values.dueDate ? { initial_date: values.dueDate } : {}) },
    },
    text(FIELD.description, 'Description', values.description, KEY_RESULT_DESCRIPTION_MAX, { optional: true, multiline: true, hint: hints.description }),
  ];
}

export const EMPTY_FORM: KeyResultFormValues = {
  name: '',
  description: '',
  format: 'number',
  currencySymbol: '',
  decimals: '0',
  direction: 'increase',
  start: '0',
  target: '',
  dueDate: '',
};

/** `/kr new`: objectives the person may add to (already filtered by their words), owner defaulting to them. */
export function createKeyResultView(meta: CreateFormMetadata, objectives: Goal[], ownerSlackUserId: string, values: KeyResultFormValues = EMPTY_FORM): ModalView {
  const options = objectives.slice(0, STATIC_SELECT_LIMIT).map((g) => option(g.name, g.id));
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.create,
    private_metadata: JSON.stringify(meta),
    title: plain('New key result', SLACK_LIMITS.modalLabel),
    submit: plain('Create', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    blocks: [
      select(FIELD.objective, 'Objective', options, options.length === 1 ? options[0]!.value : undefined),
      {
        type: 'input',
        block_id: FIELD.owner,
        label: plain('Owner'),
        element: { type: 'users_select', action_id: FIELD.owner, initial_user: ownerSlackUserId },
      },
      ...attributeBlocks(values),
    ],
  };
}

export function noObjectivesView(words: string): ModalView {
  const why = words ? `No objective you own matches “${escapeMrkdwn(words)}”.` : 'You own no active objective in an open session.';
  return messageModal('New key result', `:information_source: ${why} Key results can be added by the owners of an objective (and kr-checkin admins).`);
}

const ATTRIBUTE_LABELS: Record<EditableAttribute, string> = {
  name: 'Name',
  description: 'Description',
  format: 'Format',
  targetOperator: 'Direction',
  initialValue: 'Start value',
  target: 'Target',
  dueDate: 'Due date',
};

function currentValueText(attribute: EditableAttribute, metric: Metric): string {
  switch (attribute) {
    case 'initialValue':
      return formatValue(metric.initialValue ?? 0, metric.format);
    case 'target':
      return formatValue(metric.target ?? 0, metric.format);
    case 'format':
      return `${metric.format?.prefix ?? ''}1${metric.format?.suffix ?? ''}, ${metric.format?.fractionSize ?? 0} decimals`;
    case 'dueDate':
      return metric.dueDate?.slice(0, 10) ?? 'none';
    case 'targetOperator':
      return String(metric.targetOperator ?? 'at_least');
    default:
      return truncate(String(metric[attribute] ?? ''), 150) || '(empty)';
  }
}

/**
 * The edit form. What it cannot show as Gtmhub holds it (`formGapsOf`) is said beside the field: the
 * save keeps it unless the person changes that field. With `changedInGtmhub`, a note says what
 * changed in Gtmhub since the form opened: saving again keeps the person's edit, **Start over**
 * refills the form from Gtmhub.
 */
export function editKeyResultView(meta: EditFormMetadata, keyResult: Metric, objectiveName: string, values: KeyResultFormValues, changedInGtmhub: EditableAttribute[] = []): ModalView {
  const blocks: KnownBlock[] = [{ type: 'context', elements: [mrkdwn(`:dart: ${escapeMrkdwn(truncate(objectiveName, 500))}`)] }];
  if (changedInGtmhub.length > 0) {
    const lines = changedInGtmhub.map((a) => `• *${ATTRIBUTE_LABELS[a]}* is now ${escapeMrkdwn(currentValueText(a, keyResult))}`);
    blocks.push({
      type: 'section',
      block_id: 'conflict',
      text: mrkdwn(`:warning: *Someone changed this key result in Gtmhub since you opened the form:*\n${lines.join('\n')}\n\nSave again to keep your edit over theirs, or start over from what Gtmhub holds now.`),
      accessory: { type: 'button', action_id: KR_ADMIN_ACTION.reloadEdit, text: plain('Start over'), value: keyResult.id },
    });
  }
  return {
    type: 'modal',
    callback_id: KR_ADMIN_VIEW.edit,
    private_metadata: JSON.stringify(meta),
    title: plain('Edit key result', SLACK_LIMITS.modalLabel),
    submit: plain('Save', SLACK_LIMITS.modalLabel),
    close: plain('Cancel', SLACK_LIMITS.modalLabel),
    blocks: [...blocks, ...attributeBlocks(values, formGapsOf(keyResult))],
  };
}

export function messageModal(title: string, body: string, callbackId?: string): ModalView {
  return {
    type: 'modal',
    ...(callbackId ? { callback_id: callbackId } : {}),
    title: plain(title, SLACK_LIMITS.modalLabel),
    close: plain('Close', SLACK_LIMITS.modalLabel),
    blocks: [{ type: 'section', text: mrkdwn(body) }],
  };
}
