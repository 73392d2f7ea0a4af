/**
 * A drastic change is probably a typo: the sign flips, the value drops to zero, or it moves by more
 * than the whole start-to-target range. The form asks "Are you sure?" once before it is saved.
 */
import type { Clock } from '../clock.js';

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

const ASKED_FOR_MS = 30 * 60_000;
const MAX_REMEMBERED = 5_000;

/**
 * Remembers, per process, which drastic value a form already asked about: the same value submitted
 * again from the same form is saved. After a restart the form asks again, which is the safe side.
 */
export class DrasticChangeConfirmations {
  private readonly asked = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** The question to ask, or null when the change is not drastic or was already confirmed. */
  question(formKey: string, metricId: string, context: ChangeContext, to: number, shown: (value: number) => string): string | null {
    const reason = drasticChangeReason(context, to);
    if (!reason) return null;
    const key = `${formKey}\u0000${metricId}\u0000${to}`;
    const now = this.clock.now().getTime();
    const askedAt = this.asked.get(key);
    if (askedAt !== undefined && now - askedAt < ASKED_FOR_MS) {
      this.asked.delete(key);
      return null;
    }
    if (this.asked.size >= MAX_REMEMBERED) this.asked.clear();
    this.asked.set(key, now);
    const from = context.actual ?? context.initial ?? 0;
    return `Are you sure? ${shown(to)} instead of ${shown(from)}: ${reason}. Press Check in again to save it, or correct the value.`;
  }
}
