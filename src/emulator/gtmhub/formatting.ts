export type Formatting = 'mentionsMarkup' | 'plainText';

/** `@[John Smith:john@x.com:602a65efc05575000123291b]` → `@John Smith` (the seed's two examples). */
const MENTION = /@\[([^\]:]+):[^\]:]*:[0-9a-fA-F]{24}\]/g;

export function mentionsToPlainText(text: string): string {
  return text.replace(MENTION, '@$1');
}

export function formatText(text: string, formatting: Formatting): string {
  return formatting === 'plainText' ? mentionsToPlainText(text) : text;
}

/** Text-area custom fields get the same treatment as descriptions; other values pass through. */
export function formatCustomFields(
  fields: Record<string, unknown> | undefined,
  formatting: Formatting,
): Record<string, unknown> | undefined {
  if (!fields || formatting !== 'plainText') return fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? mentionsToPlainText(value) : value;
  return out;
}
