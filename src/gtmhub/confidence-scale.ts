/**
 * GUESS — the one place that reads an account's confidence settings. Correct it here when a real
 * account shows otherwise.
 *
 * Documented (developer.gtmhub.com, Accounts: `GET /v1/accounts/{id}`, sample values only): the
 * account carries
 *   `confidenceSettings: { confidenceType: string, confidenceMapping: [{ name, color, range: { from, to } }] }`.
 * Guessed here:
 * - `confidenceType` names the scale: "numeric" (or missing) is the default numeric scale; any
 *   other value (labels, emoji, …) is a scale of named levels taken from `confidenceMapping`;
 * - `range.from` / `range.to` are on a 0–10 scale when any bound is above 1, else on 0–1; what a
 *   check-in sends for a level is the middle of its range on 0–1 (check-ins send 0–1, API-NOTES);
 * - a mapping without usable levels means the default scale.
 * The default (API-NOTES: numeric 0–1 in steps of 0.1) is what the bot assumes without settings.
 */

export interface ConfidenceLevel {
  /** What the person picks: "0.7", or a level's name ("On track", an emoji). */
  label: string;
  /** What a check-in sends as `confidence` (0–1). */
  value: number;
  /** The level's span on 0–1, inclusive. */
  from: number;
  to: number;
  color?: string;
}

export interface ConfidenceScale {
  /** `numeric` for the default 0–1 scale, else the account's `confidenceType` as sent. */
  kind: string;
  /** Lowest first. */
  levels: ConfidenceLevel[];
  /** `account` = read from the account's settings; `default` = nothing usable there. */
  source: 'account' | 'default';
}

const tenths = Array.from({ length: 11 }, (_, i) => i / 10);

export const DEFAULT_CONFIDENCE_SCALE: ConfidenceScale = Object.freeze({
  kind: 'numeric',
  levels: tenths.map((value) => ({ label: value.toFixed(1), value, from: value, to: value })),
  source: 'default',
}) as ConfidenceScale;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

interface RawLevel {
  name: string;
  color: string | undefined;
  from: number;
  to: number;
}

function rawLevel(entry: unknown): RawLevel | null {
  if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.trim() === '' || !isRecord(entry.range)) return null;
  const { from, to } = entry.range;
  if (!finite(from) || !finite(to) || from > to || from < 0) return null;
  return { name: entry.name.trim(), color: typeof entry.color === 'string' ? entry.color : undefined, from, to };
}

/** An account body (`GET /v1/accounts/{id}`) → its confidence scale; never throws. */
export function confidenceScaleFromAccount(account: unknown): ConfidenceScale {
  const settings = isRecord(account) ? account.confidenceSettings : undefined;
  if (!isRecord(settings)) return DEFAULT_CONFIDENCE_SCALE;
  const kind = typeof settings.confidenceType === 'string' && settings.confidenceType.trim() !== '' ? settings.confidenceType.trim() : 'numeric';
  if (kind.toLowerCase() === 'numeric') return DEFAULT_CONFIDENCE_SCALE;
  const mapping = Array.isArray(settings.confidenceMapping) ? settings.confidenceMapping.map(rawLevel) : [];
  if (mapping.length === 0 || mapping.some((level) => level === null)) return DEFAULT_CONFIDENCE_SCALE;
  const levels = mapping as RawLevel[];
  const divisor = levels.some((level) => level.to > 1) ? 10 : 1;
  if (levels.some((level) => level.to / divisor > 1)) return DEFAULT_CONFIDENCE_SCALE;
  return {
    kind,
    source: 'account',
    levels: levels
      .map((level) => {
        const from = level.from / divisor;
        const to = level.to / divisor;
        return { label: level.name, value: Math.round(((from + to) / 2) * 1000) / 1000, from, to, ...(level.color ? { color: level.color } : {}) };
      })
      .sort((a, b) => a.from - b.from),
  };
}
