// What the Slack client does with what a person typed before it posts: `&`, `<` and `>` become entities,
// a bare http(s) URL becomes `<url>`, and a mention picked from the suggestions becomes `<@U…>`.

const URL_PATTERN = /https?:\/\/[^\s<>]+[^\s<>.,;:!?)\]'"]/g;

function escapeEntities(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * mentions: [{ label: '@Ben Okafor', id: 'UBEN00001' }] picked while typing; a label no longer in the text is ignored.
 * Returns the message text as Slack stores it.
 */
export function messageText(typed, mentions = []) {
  const picked = [...mentions].filter((m) => typed.includes(m.label)).sort((a, b) => b.label.length - a.label.length);
  // Split on picked labels first, so neither escaping nor link detection touches a mention.
  const parts = [typed];
  let pieces = parts;
  for (const mention of picked) {
    pieces = pieces.flatMap((piece) => (typeof piece !== 'string' ? [piece] : piece.split(mention.label).flatMap((s, i) => (i === 0 ? [s] : [{ id: mention.id }, s]))));
  }
  return pieces
    .map((piece) => (typeof piece === 'string' ? escapeEntities(piece).replace(URL_PATTERN, (url) => `<${url.replaceAll('&amp;', '&')}>`) : `<@${piece.id}>`))
    .join('');
}

/** A slash command's text as Slack sends it without "escape channels, users and links": a mention as `@handle`. */
export function commandText(typed, mentions = [], handleOf = () => undefined) {
  let text = typed;
  for (const mention of [...mentions].sort((a, b) => b.label.length - a.label.length)) {
    const handle = handleOf(mention.id);
    if (handle) text = text.split(mention.label).join(`@${handle}`);
  }
  return text;
}

/** The `@query` being typed just before the caret, or null. */
export function mentionQuery(text, caret) {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([\p{L}\p{N}._-]*(?: [\p{L}\p{N}._-]*)?)$/u.exec(before);
  return match ? { start: before.length - match[2].length - 1, query: match[2] } : null;
}

/** People (and apps) whose name, display name or handle starts with the query, words compared one by one. */
export function matchingPeople(people, query, limit = 8) {
  const q = query.trim().toLowerCase();
  const starts = (name) => !!name && (name.toLowerCase().startsWith(q) || name.toLowerCase().split(/\s+/).some((word) => word.startsWith(q)));
  return people.filter((p) => q === '' || starts(p.realName) || starts(p.name)).slice(0, limit);
}
