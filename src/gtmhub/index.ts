export { GtmhubClient, DEFAULT_USER_FIELDS, SESSION_FIELDS, type GtmhubClientOptions, type IterateOptions } from './client.js';
export * from './errors.js';
export { isGtmhubId, GTMHUB_ID_PATTERN } from './ids.js';
export type { RetryOptions } from './http.js';
export * from './types.js';
export { confidenceScaleFromAccount, DEFAULT_CONFIDENCE_SCALE, type ConfidenceLevel, type ConfidenceScale } from './confidence-scale.js';
export { keyResultUrl } from './links.js';
