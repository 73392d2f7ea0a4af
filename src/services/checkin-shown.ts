/**
 * What the check-in form showed of a key result — its unit and numbers — comes back with the
 * submission (in the modal's private_metadata) to read what the person typed (`€1,300,000`) and to
 * ask before a drastic change. It is used only for the key result it was shown for: a key result
 * picked after it and submitted before its own details arrived is read as Gtmhub holds it now, and
 * the person is told once that the form changed, so a value typed for one key result is never
 * checked in to another without them seeing it.
 */
import { isGtmhubId } from '../gtmhub/ids.js';
import { within } from './checkin-delivery-rules.js';
import type { DrasticChangeConfirmations } from './drastic-change.js';
import { shownOf, type ShownKeyResult } from '../domain/shown-key-result.js';
import type { FormQuestions } from './form-questions.js';
import type { KeyResultService } from './key-results.js';
import type { PeopleService } from './people/people-service.js';

export { shownOf, type ShownKeyResult };

/** What a submitted value is read and judged with. */
export type ValueBasis =
  /** The form showed this key result: what it showed reads the value. */
  | { kind: 'shown'; shown: ShownKeyResult }
  /** The form showed another key result (or none): this one as Gtmhub holds it now. */
  | { kind: 'reread'; shown: ShownKeyResult; name: string }
  /** This key result takes no check-in from this person: the value is only read, the write path refuses it and says why. */
  | { kind: 'refused'; shown: ShownKeyResult }
  /** Gtmhub did not answer in time to read it: nothing may be saved (a field error on the value). */
  | { kind: 'unreadable'; message: string }
  /** Nothing to read the value with (no usable key result id, no value, not mapped): the plain rules apply. */
  | { kind: 'none' };

export const NO_BASIS: ValueBasis = { kind: 'none' };

/** What the form showed, only when it showed this key result; null for any other. */
export function shownFor(shown: ShownKeyResult | null | undefined, metricId: string | null | undefined): ShownKeyResult | null {
  const id = metricId?.trim();
  return shown && id && shown.metricId === id ? shown : null;
}

const NAME_LIMIT = 80;
/** Slack wants the ack within 3 s: the re-read must leave time for it. */
const REREAD_WITHIN_MS = 2_000;

function quotedName(name: string): string {
  return `“${name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT - 1)}…` : name}”`;
}

/** How a value is written for a key result (`$20,000`, `6 days`). */
export type ValueWriter = (value: number, affixes: { prefix: string; suffix: string }) => string;

export interface SubmittedValuesOptions {
  people: Pick<PeopleService, 'resolve'>;
  keyResults: Pick<KeyResultService, 'checkFor'>;
  changeConfirmations: Pick<DrasticChangeConfirmations, 'question'>;
  /** Which forms were told that they changed (in the store: the next press may land on another replica). */
  questions: Pick<FormQuestions, 'askedBefore'>;
  /** How long the re-read may take before the form is told to try again (default 2 s). */
  rereadWithinMs?: number;
}

/** Reads a submitted check-in value against the key result it is for; a form told that it changed goes on when pressed again. */
export class SubmittedValues {
  constructor(private readonly options: SubmittedValuesOptions) {}

  /** What the value of `metricId` is read with: what the form showed for it, else Gtmhub's key result. */
  async basis(slackUserId: string, metricId: string | null, value: string | null, shown: ShownKeyResult | null | undefined): Promise<ValueBasis> {
    const matching = shownFor(shown, metricId);
    if (matching) return { kind: 'shown', shown: matching };
    const id = metricId?.trim() ?? '';
    if (!isGtmhubId(id) || !value?.trim()) return NO_BASIS;
    try {
      return await within(this.options.rereadWithinMs ?? REREAD_WITHIN_MS, this.reread(slackUserId, id));
    } catch {
      return {
        kind: 'unreadable',
        message:
          'The form changed to another key result before its details showed, and Gtmhub did not answer in time to check the value against it. Nothing was saved: check the value and press Check in again.',
      };
    }
  }

  private async reread(slackUserId: string, metricId: string): Promise<ValueBasis> {
    const owner = await this.options.people.resolve(slackUserId);
    // Not mapped: the submission says so and saves nothing.
    if (!owner.mapped) return NO_BASIS;
    const check = await this.options.keyResults.checkFor(metricId, owner.gtmhubUserId);
    if (check.reason) return { kind: 'refused', shown: shownOf(check.metric) };
    return { kind: 'reread', shown: shownOf(check.metric), name: check.metric.name };
  }

  /** A field error on the value that cannot be read: for a re-read key result it says first that the form changed. */
  valueProblem(basis: ValueBasis, problem: string, write: ValueWriter): string {
    return basis.kind === 'reread' ? `${changedWords(basis, write)} Check the value: ${problem}` : problem;
  }

  /**
   * The question to ask before saving `to`, or null to save it: a form that changed is told so once
   * (with the key result's value now); then, as for any form, a drastic change against what the key
   * result holds is asked about once.
   */
  async question(formKey: string, basis: ValueBasis, to: number, write: ValueWriter): Promise<string | null> {
    if (basis.kind !== 'shown' && basis.kind !== 'reread') return null;
    const { shown } = basis;
    if (basis.kind === 'reread' && !(await this.options.questions.askedBefore(`form-changed|${formKey}|${shown.metricId}`, 'keep'))) {
      return `${changedWords(basis, write)} Check the value, then press Check in again to save ${write(to, shown)} to it.`;
    }
    return this.options.changeConfirmations.question(formKey, shown.metricId, shown, to, (value) => write(value, shown));
  }
}

function changedWords(basis: Extract<ValueBasis, { kind: 'reread' }>, write: ValueWriter): string {
  const { shown } = basis;
  const now = shown.actual ?? shown.initial;
  const name = quotedName(basis.name);
  return `The form changed to ${name} before its details showed, so this value may be meant for the key result shown before. ${name} is now ${now === null ? 'without a value' : write(now, shown)}.`;
}
