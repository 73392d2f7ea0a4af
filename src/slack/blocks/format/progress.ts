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

/** Rounds half away from zero on the decimal the user sees, so 0.145 → 15 %, not 14 %. */
function roundPercent(fraction: number): number {
  const percent = Number((fraction * 100).toPrecision(12));
  return Math.sign(percent) * Math.round(Math.abs(percent)) + 0;
}

/** An attainment fraction as a whole percentage: `42%`, `150%`, `-20%`, `1,250%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${numberFormat(0, 0).format(roundPercent(fraction))}%`;
}

const FILLED = '▓';
const EMPTY = '░';

/**
 * A text progress bar of `width` cells, the fraction clamped to 0..1. The bar is full only when the
 * target is reached, so 97 % never looks done.
 */
export function progressBar(fraction: number, width = 10): string {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`progressBar width must be a positive whole number, got ${width}`);
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = clamped >= 1 ? width : Math.min(width - 1, Math.round(clamped * width));
  return FILLED.repeat(filled) + EMPTY.repeat(width - filled);
}
