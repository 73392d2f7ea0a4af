/**
 * A drastic change is probably a typo: the sign flips, the value drops to zero, or it moves by more
 * than the whole start-to-target range. The form asks "Are you sure?" once before it is saved.
 */
import type { FormQuestions } from './form-questions.js';

export interface ChangeContext {
  /** What Gtmhub holds now (null = never checked in: then the start value is the reference). */
  actual: number | null;
  initial: number | null;
  target: number | null;
}

/** Why `to` looks like a mistake, in words, or null when it does not. */
export function drasticChangeReason(context: ChangeContext, to: number): string | null {
  const from = context.actual ?? context.initial;
  if (from === null || !Number.isFinite(from) || to === from) return null;
  if (from !== 0 && to !== 0 && Math.sign(from) !== Math.sign(to)) return 'it changes the sign of the value';
  if (to === 0) return 'it drops the value to zero';
  const { initial, target } = context;
  if (initial !== null && target !== null && Number.isFinite(initial) && Number.isFinite(target) && initial !== target) {
    if (Math.abs(to - from) > Math.abs(target - initial)) return 'it moves the value by more than the whole range from start to target';
  }
  return null;
}

/** Asks once per form and value whether a drastic change is meant (the answer is pressing Check in again). */
export class DrasticChangeConfirmations {
  constructor(private readonly questions: FormQuestions) {}

  /** The question to ask, or null when the change is not drastic or was already confirmed. */
  async question(formKey: string, metricId: string, context: ChangeContext, to: number, shown: (value: number) => string): Promise<string | null> {
    const reason = drasticChangeReason(context, to);
    if (!reason) return null;
    if (await this.questions.askedBefore(`drastic|${formKey}|${metricId}|${to}`, 'forget')) return null;
    const from = context.actual ?? context.initial ?? 0;
    return `Are you sure? ${shown(to)} instead of ${shown(from)}: ${reason}. Press Check in again to save it, or correct the value.`;
  }
}
