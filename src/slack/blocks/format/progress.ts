/** Values and progress the way people read them: `$1,234.5`, `42%`, `▓▓▓▓░░░░░░`. Pure functions. */
import type { MetricFormat } from '../../../gtmhub/types.js';

const MAX_FRACTION_DIGITS = 20;
const DEFAULT_MAX_FRACTION_DIGITS = 2;

/** The fraction digits a value of this format shows and may be entered with. */
export function decimalsFor(format?: MetricFormat | null): number {
  const size = format?.fractionSize;
  if (typeof size !== 'number' || !Number.isFinite(size)) return DEFAULT_MAX_FRACTION_DIGITS;
  return Math.min(MAX_FRACTION_DIGITS, Math.max(0, Math.round(size)));
}

function hasFixedDecimals(format?: MetricFormat | null): boolean {
  return typeof format?.fractionSize === 'number' && Number.isFinite(format.fractionSize);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat is costly to build and summaries format many values. */
function numberFormat(minimumFractionDigits: number, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${minimumFractionDigits}:${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits, maximumFractionDigits, useGrouping: true });
    numberFormats.set(key, format);
  }
  return format;
}

/** A word ("users", "USD") is set apart by a space; a symbol or single letter ("%", "€", "k") is not. */
function joinsWithSpace(affix: string, side: 'prefix' | 'suffix'): boolean {
  if (/^\s|\s$/.test(affix)) return false;
  return side === 'suffix' ? /^\p{L}{2}/u.test(affix) : /\p{L}{2}$/u.test(affix);
}

/**
 * A value the way the metric's format shows it: `$1,234.5`, `42%`, `12 users`, `-$5`.
 * With `fractionSize` exactly that many decimals; without, up to 2 and trailing zeros trimmed.
 */
export function formatValue(value: number, format?: MetricFormat | null): string {
  if (!Number.isFinite(value)) return '—';
  const decimals = decimalsFor(format);
  const digits = numberFormat(hasFixedDecimals(format) ? decimals : 0, decimals).format(Math.abs(value));
  // A value that rounds to zero is shown without a sign.
  const negative = value < 0 && /[1-9]/.test(digits);
  const prefix = format?.prefix ?? '';
  const suffix = format?.suffix ?? '';
  const before = prefix && joinsWithSpace(prefix, 'prefix') ? `${prefix} ` : prefix;
  const after = suffix && joinsWithSpace(suffix, 'suffix') ? ` ${suffix}` : suffix;
  return `${negative ? '-' : ''}${before}${digits}${after}`;
}

/** The decimals a stored value really has (`11.25` → 2), or null when JavaScript writes it with an exponent. */
function decimalsOf(value: number): number | null {
  const text = String(Math.abs(value));
  if (/e/i.test(text)) return null;
  return text.split('.')[1]?.length ?? 0;
}

/**
 * A value Gtmhub holds, in its format but with every decimal it has: a key result whose format has
 * 1 decimal and holds 11.25 shows `11.25`, never `11.3`. Computed figures (changes, averages) use
 * `formatValue`, which rounds to the format.
 */
export function formatStoredValue(value: number, format?: MetricFormat | null): string {
  if (!Number.isFinite(value)) return '—';
  const decimals = decimalsOf(value);
  if (decimals === null) return formatValue(value, format);
  const fixed = hasFixedDecimals(format) ? decimalsFor(format) : 0;
  if (hasFixedDecimals(format) && decimals <= fixed) return formatValue(value, format);
  return formatValue(value, { ...format, fractionSize: Math.min(MAX_FRACTION_DIGITS, Math.max(fixed, decimals)) });
}

/**
 * A fraction as a percentage, without binary floating point noise: `(0.3 - 0.1) / 0.2` is 100, not
 * 99.99999999999999, and `0.1 + 0.2 - 0.3` is 0. Not a number counts as 0.
 */
function percentOf(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0;
  const percent = Number((fraction * 100).toPrecision(12));
  return Math.abs(percent) < 1e-9 ? 0 : percent;
}

/**
 * A whole percentage: half away from zero on the decimal the user sees (0.145 → 15 %, not 14 %),
 * but never onto 0 % or 100 % from the wrong side. A fraction short of the target shows at most
 * 99 % (0.995 is not done), any progress at least 1 %, any fraction below 0 at most -1 %.
 */
function roundPercent(fraction: number): number {
  const percent = percentOf(fraction);
  const rounded = Math.sign(percent) * Math.round(Math.abs(percent)) + 0;
  if (percent > 0 && percent < 100) return Math.min(99, Math.max(1, rounded));
  if (percent < 0) return Math.min(-1, rounded);
  return rounded;
}

/**
 * An attainment fraction as a whole percentage: `42%`, `150%`, `-20%`, `1,250%`. `100%` only when
 * the target is reached, `0%` only with no progress (0.995 → `99%`, 0.004 → `1%`, -0.004 → `-1%`).
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${numberFormat(0, 0).format(roundPercent(fraction))}%`;
}

const FILLED = '▓';
const EMPTY = '░';

/**
 * A text progress bar of `width` cells, the fraction clamped to 0..1. Like `formatPercent`, the bar
 * is full only when the target is reached (97 % or 99.5 % never looks done) and empty only when there
 * is no progress; one cell, which cannot be both, is empty short of the target.
 */
export function progressBar(fraction: number, width = 10): string {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`progressBar width must be a positive whole number, got ${width}`);
  const percent = percentOf(fraction);
  const filled = percent >= 100 ? width : percent <= 0 ? 0 : Math.min(width - 1, Math.max(1, Math.round((percent / 100) * width)));
  return FILLED.repeat(filled) + EMPTY.repeat(width - filled);
}
