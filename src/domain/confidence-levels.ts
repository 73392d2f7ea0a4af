/** Reading a confidence value on the account's scale: its level, its label, whether the form offered it. */
import type { ConfidenceLevel, ConfidenceScale } from '../gtmhub/confidence-scale.js';

const EPSILON = 1e-9;

/** The level a confidence value falls in (its span, inclusive), or null when none does. */
export function confidenceLevelOf(scale: ConfidenceScale, value: number): ConfidenceLevel | null {
  if (!Number.isFinite(value)) return null;
  return scale.levels.find((level) => value >= level.from - EPSILON && value <= level.to + EPSILON) ?? null;
}

/** A confidence the way the account names it: "High", or "0.7" on the default scale. */
export function confidenceLabel(scale: ConfidenceScale, value: number): string {
  const level = scale.source === 'account' ? confidenceLevelOf(scale, value) : null;
  if (level) return level.label;
  return Number.isInteger(value * 10) ? value.toFixed(1) : String(value);
}

/** Whether a submitted confidence is one of the values the form offered for this scale. */
export function isOfferedConfidence(scale: ConfidenceScale, value: number): boolean {
  return scale.levels.some((level) => Math.abs(level.value - value) < EPSILON);
}
