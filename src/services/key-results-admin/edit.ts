/**
 * Editing a key result from Slack: a form prefilled from Gtmhub, and on save only the changed
 * attributes sent with `PATCH /v1/metrics/{id}`. If Gtmhub changed since the form opened, nothing
 * is written until the person has seen what changed and chosen to keep their edit.
 *
 * "Changed" means a field the person changed in the form: each submitted field is compared with what
 * the form shows for the key result as re-read from Gtmhub. What the form cannot show as it is (a unit
 * such as " bugs", more decimals than it offers, a name or description longer than Slack takes, see
 * `formGapsOf`) is therefore kept unless the person changes that very field.
 *
 * `PUT /v1/metrics/{id}` is not used: it resets every attribute the body leaves out to its zero
 * value (owners, critical, custom fields, insight…), and this form does not carry all of them.
 */
import { createHash } from 'node:crypto';
import { directionOf, formatKindOf, formGapsOf, KEY_RESULT_NAME_MAX, shortenedForForm } from '../../domain/key-result-form.js';
import type { Clock } from '../../clock.js';
import type { GtmhubClient } from '../../gtmhub/client.js';
import { hasDueDate, type Goal, type Metric, type MetricFormat, type MetricInput } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import { readKeyResultForm, todayUtc, type FieldErrors, type KeyResultAttributes, type KeyResultFormValues } from './key-result-input.js';
import type { KeyResultPermissions } from './permissions.js';

export const EDITABLE_ATTRIBUTES = ['name', 'description', 'format', 'targetOperator', 'initialValue', 'target', 'dueDate'] as const;
export type EditableAttribute = (typeof EDITABLE_ATTRIBUTES)[number];

/** A short fingerprint per attribute of what the form was filled from (fits in private_metadata). */
export type Fingerprint = Record<EditableAttribute, string>;

function comparable(metric: Pick<Metric, EditableAttribute>): Record<EditableAttribute, unknown> {
  const format = metric.format ?? {};
  return {
    name: metric.name ?? '',
    description: metric.description ?? '',
    format: { prefix: format.prefix ?? '', suffix: format.suffix ?? '', fractionSize: format.fractionSize ?? 0 },
    targetOperator: metric.targetOperator ?? 'at_least',
    initialValue: metric.initialValue ?? 0,
    target: metric.target ?? 0,
    dueDate: hasDueDate(metric.dueDate) ? metric.dueDate.slice(0, 10) : '',
  };
}

export function fingerprintOf(metric: Pick<Metric, EditableAttribute>): Fingerprint {
  const values = comparable(metric);
  const print = {} as Fingerprint;
  for (const name of EDITABLE_ATTRIBUTES) print[name] = createHash('sha256').update(JSON.stringify(values[name])).digest('hex').slice(0, 10);
  return print;
}

/**
 * The form's fields filled from a key result, exactly as the form shows them: a name too long for the
 * form shortened, a description too long left out, decimals the form does not offer left unchosen.
 */
export function formValuesOf(metric: Metric): KeyResultFormValues {
  const format = formatKindOf(metric.format);
  const gaps = formGapsOf(metric);
  return {
    name: gaps.nameLength === undefined ? metric.name : shortenedForForm(metric.name, KEY_RESULT_NAME_MAX),
    description: gaps.descriptionLength === undefined ? (metric.description ?? '') : '',
    format: format.kind,
    currencySymbol: format.currencySymbol,
    decimals: gaps.decimals === undefined ? String(format.decimals) : '',
    direction: directionOf(metric.targetOperator),
    start: String(metric.initialValue ?? 0),
    target: String(metric.target ?? 0),
    dueDate: hasDueDate(metric.dueDate) ? metric.dueDate.slice(0, 10) : '',
  };
}

type FormField = keyof KeyResultFormValues;

/** Whether the person changed a field: ends' whitespace and line endings aside (Slack may rewrite both). */
function differs(submitted: string, shown: string): boolean {
  const norm = (text: string) => text.replace(/\r\n?/g, '\n').trim();
  return norm(submitted) !== norm(shown);
}

/**
 * The format asked for: Gtmhub's own, with only the parts the person changed. A new format choice
 * (or currency symbol) replaces the unit; new decimals replace the decimals; the rest stays as it is.
 */
function formatAsked(current: MetricFormat | undefined, submittedKind: string, read: MetricFormat, changed: (field: FormField) => boolean): MetricFormat | undefined {
  const kindChanged = changed('format');
  const symbolChanged = changed('currencySymbol') && submittedKind === 'currency';
  const decimalsChanged = changed('decimals');
  if (!kindChanged && !symbolChanged && !decimalsChanged) return current;
  const prefix = current?.prefix ?? '';
  const suffix = current?.suffix ?? '';
  const affixes = kindChanged ? { prefix: read.prefix ?? '', suffix: read.suffix ?? '' } : symbolChanged ? { prefix: read.prefix ?? '', suffix } : { prefix, suffix };
  return { ...affixes, fractionSize: decimalsChanged ? (read.fractionSize ?? 0) : (current?.fractionSize ?? 0) };
}

/**
 * The attributes the person asked for: the form's reading of each field they changed (compared with
 * what the form shows for `keyResult`), and Gtmhub's own value of every attribute they left alone.
 */
export function attributesAsked(keyResult: Metric, submitted: KeyResultFormValues, read: KeyResultAttributes): Pick<Metric, EditableAttribute> {
  const shown = formValuesOf(keyResult);
  const changed = (field: FormField) => differs(submitted[field], shown[field]);
  return {
    name: changed('name') ? read.name : keyResult.name,
    description: changed('description') ? read.description : keyResult.description,
    format: formatAsked(keyResult.format, submitted.format, read.format, changed),
    targetOperator: changed('direction') ? read.targetOperator : keyResult.targetOperator,
    initialValue: changed('start') ? read.initialValue : keyResult.initialValue,
    target: changed('target') ? read.target : keyResult.target,
    dueDate: changed('dueDate') ? read.dueDate : keyResult.dueDate,
  };
}

export type EditOutcome =
  | { kind: 'invalid'; errors: FieldErrors }
  /** Gtmhub changed these attributes since the form opened: show them, and let the person keep or redo the edit. */
  | { kind: 'conflict'; changedInGtmhub: EditableAttribute[]; keyResult: Metric; objective: Goal; fingerprint: Fingerprint }
  | { kind: 'unchanged'; keyResult: Metric }
  | { kind: 'saved'; keyResult: Metric; objective: Goal; changed: EditableAttribute[] };

export interface KeyResultEditorOptions {
  gtmhub: Pick<GtmhubClient, 'patchMetric'>;
  permissions: KeyResultPermissions;
  clock: Clock;
  logger: Logger;
}

export class KeyResultEditor {
  constructor(private readonly options: KeyResultEditorOptions) {}

  /** The key result and objective to prefill the form with, after checking the person may edit it. */
  async open(slackUserId: string, metricId: unknown): Promise<{ keyResult: Metric; objective: Goal; fingerprint: Fingerprint }> {
    const { keyResult, objective } = await this.options.permissions.assertMayChangeKeyResult(slackUserId, metricId);
    return { keyResult, objective, fingerprint: fingerprintOf(keyResult) };
  }

  /** Saves what the person changed; `seen` is the fingerprint of what their form was filled from. */
  async save(slackUserId: string, metricId: unknown, seen: Partial<Fingerprint>, values: KeyResultFormValues): Promise<EditOutcome> {
    const { permissions, gtmhub, clock, logger } = this.options;
    const { keyResult, objective } = await permissions.assertMayChangeKeyResult(slackUserId, metricId);
    const current = fingerprintOf(keyResult);
    // An unchanged due date that has passed may stay as it is; a new one must not be in the past.
    const currentDay = comparable(keyResult).dueDate as string;
    const today = todayUtc(clock.now());
    const read = readKeyResultForm(values, values.dueDate.trim() === currentDay && currentDay !== '' ? '' : today);
    if (!read.ok) return { kind: 'invalid', errors: read.errors };

    const changedInGtmhub = EDITABLE_ATTRIBUTES.filter((name) => seen[name] !== current[name]);
    if (changedInGtmhub.length > 0) return { kind: 'conflict', changedInGtmhub, keyResult, objective, fingerprint: current };

    // Compared with the key result just re-read from Gtmhub, never with what the form echoes back.
    const asked = attributesAsked(keyResult, values, read.attributes);
    const wanted = fingerprintOf(asked);
    const changed = EDITABLE_ATTRIBUTES.filter((name) => wanted[name] !== current[name]);
    if (changed.length === 0) return { kind: 'unchanged', keyResult };
    const patch: MetricInput = {};
    for (const name of changed) (patch as Record<string, unknown>)[name] = asked[name];
    const saved = await gtmhub.patchMetric(keyResult.id, patch);
    logger.info({ metricId: keyResult.id, slackUserId, changed }, 'key result edited');
    return { kind: 'saved', keyResult: saved, objective, changed };
  }
}
