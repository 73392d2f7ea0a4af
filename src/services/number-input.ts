/**
 * The one grammar for numbers people type (key result values, confidence):
 *
 *   [spaces] [sign] [prefix] [sign] digits [. digits] [suffix] [spaces]
 *
 * - digits are plain (`1300000`) or grouped with `,` in groups of exactly three (`1,300,000`);
 * - `.` is the only decimal separator (`0.5`, `.5`);
 * - prefix and suffix are the key result's own unit (`$`, `€`, `%`, `h`, ` bugs`) and only when
 *   the caller passes them; at most one sign.
 * No exponents, no hex, no `Infinity`, no spaces inside. Anything that could mean two numbers
 * (`1,5`: 1.5 or 15?) is refused with a message that says how it could be read.
 */

export interface NumberAffixes {
  prefix?: string | null;
  suffix?: string | null;
}

export type ParsedNumber =
  | { ok: true; value: number; decimals: number }
  | { ok: false; reason: 'empty' | 'invalid'; message: string };

const PLAIN = /^(?<int>\d+|\d{1,3}(?:,\d{3})+)?(?:\.(?<frac>\d*))?$/;

function quoted(text: string): string {
  return `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`;
}

function invalid(message: string): ParsedNumber {
  return { ok: false, reason: 'invalid', message };
}

/** Removes the unit on one side, with or without spaces between it and the digits. */
function stripAffix(text: string, affix: string | null | undefined, side: 'prefix' | 'suffix'): string {
  const unit = affix?.trim();
  if (!unit) return text;
  if (side === 'prefix' && text.startsWith(unit)) return text.slice(unit.length).trimStart();
  if (side === 'suffix' && text.endsWith(unit)) return text.slice(0, -unit.length).trimEnd();
  return text;
}

/** Why a text that is not in the grammar was refused, in words a person can act on. */
function explain(shown: string, digits: string): string {
  const notANumber = `${quoted(shown)} is not a number`;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$/.test(digits)) return `${notANumber}: write the digits out, without an exponent.`;
  if (/^[+-]?0[xXbBoO]/.test(digits)) return `${notANumber}: write it in decimal digits.`;
  const oneComma = /^(\d+),(\d+)$/.exec(digits);
  if (oneComma) {
    const [, whole, part] = oneComma;
    return `${quoted(shown)} is ambiguous: write ${whole}.${part} or ${whole}${part}.`;
  }
  if (/^\d{1,3}(\.\d{3}){2,}$/.test(digits)) return `${notANumber}: . is the decimal point; write ${digits.replace(/\./g, '')} or ${digits.replace(/\./g, ',')}.`;
  if (digits.includes(',') && /^[\d,.]+$/.test(digits)) return `${notANumber}: use , only between groups of three digits (1,300,000) and . for decimals.`;
  if (/\d\s+\d/.test(digits)) return `${notANumber}: remove the spaces between the digits.`;
  return `${notANumber}.`;
}

export function parseNumberInput(raw: string | null | undefined, affixes: NumberAffixes = {}): ParsedNumber {
  const shown = (raw ?? '').trim();
  if (!shown) return { ok: false, reason: 'empty', message: 'Enter a number.' };

  let rest = shown;
  let sign = '';
  const takeSign = () => {
    if (sign === '' && (rest.startsWith('-') || rest.startsWith('+'))) {
      sign = rest[0]!;
      rest = rest.slice(1).trimStart();
    }
  };
  takeSign();
  rest = stripAffix(rest, affixes.prefix, 'prefix');
  takeSign();
  rest = stripAffix(rest, affixes.suffix, 'suffix');

  const match = PLAIN.exec(rest);
  const int = match?.groups?.int ?? '';
  const frac = match?.groups?.frac ?? '';
  if (!match || (int === '' && frac === '')) return invalid(explain(shown, rest));
  const value = Number(`${sign}${int.replace(/,/g, '') || '0'}.${frac || '0'}`);
  if (!Number.isFinite(value)) return invalid(`${quoted(shown)} is not a number.`);
  return { ok: true, value: Object.is(value, -0) ? 0 : value, decimals: frac.length };
}
