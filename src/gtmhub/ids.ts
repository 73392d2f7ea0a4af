/** Gtmhub ids are 24-hex Mongo ObjectIds; anything else is rejected before a request is made. */
export const GTMHUB_ID_PATTERN = /^[0-9a-f]{24}$/i;

export function isGtmhubId(value: unknown): value is string {
  return typeof value === 'string' && GTMHUB_ID_PATTERN.test(value);
}
