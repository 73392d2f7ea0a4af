/**
 * One error hierarchy for everything the Gtmhub client can fail with, so callers branch with
 * `instanceof` (or on `retryable` / `maybeDelivered`) and never parse messages.
 * Messages name the method, path, status and Gtmhub's own message; never a header or the token.
 */

export interface GtmhubErrorDetails {
  method: string;
  /** Path below the API base, without the query (e.g. `/v1/metrics/…`). */
  path: string;
  status?: number;
  /** Gtmhub's message from the response body (JSON `message`/`error`, else text); '' when none. */
  gtmhubMessage?: string;
  /** Another attempt (now or later) may succeed: 408, 429, 5xx, timeout, network failure. */
  retryable?: boolean;
  /**
   * A write may have reached Gtmhub although we never saw its answer (timeout or connection
   * lost after sending, a gateway 502/504). The check-in outbox must check Gtmhub before sending
   * such a write again. Always false for reads and for failures before anything was sent.
   */
  maybeDelivered?: boolean;
  /** How many HTTP attempts were made (0 for validation errors). */
  attempts?: number;
  /** Server-requested wait (Retry-After), when it sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class GtmhubError extends Error {
  readonly status: number | undefined;
  readonly gtmhubMessage: string;
  readonly method: string;
  readonly path: string;
  readonly retryable: boolean;
  readonly maybeDelivered: boolean;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(summary: string, details: GtmhubErrorDetails) {
    const gtmhubMessage = details.gtmhubMessage ?? '';
    const status = details.status === undefined ? '' : ` ${details.status}`;
    const said = gtmhubMessage ? `: ${gtmhubMessage}` : '';
    super(`Gtmhub ${details.method} ${details.path} failed (${summary}${status})${said}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.gtmhubMessage = gtmhubMessage;
    this.method = details.method;
    this.path = details.path;
    this.retryable = details.retryable ?? false;
    this.maybeDelivered = details.maybeDelivered ?? false;
    this.attempts = details.attempts ?? 1;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 400: Gtmhub rejected the request (malformed id or body, check-in after the due date, closed session …). */
export class GtmhubBadRequestError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('bad request', details);
  }
}

/** 401: the API token or account id is wrong. */
export class GtmhubUnauthorizedError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('unauthorized', details);
  }
}

/** 402: the Gtmhub account's subscription does not cover the API. */
export class GtmhubPaymentRequiredError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('payment required', details);
  }
}

/** 403: the token's user may not do this (e.g. delete a check-in without being an account admin). */
export class GtmhubForbiddenError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('forbidden', details);
  }
}

export class GtmhubNotFoundError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('not found', details);
  }
}

/** 429 that survived the client's retries (or asked for a longer wait than it is willing to make). */
export class GtmhubRateLimitedError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('rate limited', { retryable: true, ...details });
  }
}

export class GtmhubServerError extends GtmhubError {
  constructor(details: GtmhubErrorDetails) {
    super('server error', { retryable: true, ...details });
  }
}

/** No answer within the per-attempt timeout (or a 408 from the server). */
export class GtmhubTimeoutError extends GtmhubError {
  constructor(details: GtmhubErrorDetails & { timeoutMs?: number }) {
    super(details.timeoutMs === undefined ? 'timeout' : `no answer within ${details.timeoutMs} ms`, { retryable: true, ...details });
  }
}

/** The connection failed: refused / unknown host (nothing sent) or lost mid-request. */
export class GtmhubNetworkError extends GtmhubError {
  /** Low-level code such as ECONNREFUSED or UND_ERR_SOCKET, when known. */
  readonly code: string | undefined;
  constructor(details: GtmhubErrorDetails & { code?: string }) {
    super(details.code ? `network error ${details.code}` : 'network error', { retryable: true, ...details });
    this.code = details.code;
  }
}

/** Our own input was invalid; nothing was sent. */
export class GtmhubValidationError extends GtmhubError {
  constructor(problem: string, details: Pick<GtmhubErrorDetails, 'method' | 'path'>) {
    super(`invalid input: ${problem}`, { ...details, attempts: 0 });
  }
}

/** Gtmhub answered 2xx with a body we cannot use (not JSON, or an essential field missing/mistyped). */
export class GtmhubUnexpectedResponseError extends GtmhubError {
  constructor(problem: string, details: GtmhubErrorDetails) {
    super(`unexpected response: ${problem}`, details);
  }
}

/** Maps a non-2xx status to its error class. */
export function errorForStatus(details: GtmhubErrorDetails & { status: number }): GtmhubError {
  const { status } = details;
  if (status === 400) return new GtmhubBadRequestError(details);
  if (status === 401) return new GtmhubUnauthorizedError(details);
  if (status === 402) return new GtmhubPaymentRequiredError(details);
  if (status === 403) return new GtmhubForbiddenError(details);
  if (status === 404) return new GtmhubNotFoundError(details);
  if (status === 408) return new GtmhubTimeoutError(details);
  if (status === 429) return new GtmhubRateLimitedError(details);
  if (status >= 500) return new GtmhubServerError(details);
  return new GtmhubError('unexpected status', details);
}
