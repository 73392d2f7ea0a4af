export { GtmhubClient, DEFAULT_USER_FIELDS, type GtmhubClientOptions, type IterateOptions } from './client.js';
export * from './errors.js';
export { isGtmhubId, GTMHUB_ID_PATTERN } from './ids.js';
export type { RetryOptions } from './http.js';
export * from './types.js';
