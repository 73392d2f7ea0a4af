/**
 * The one request path of the Gtmhub client: headers, per-attempt timeout, retries, error mapping,
 * debug logging.
 *
 * Why ky runs with `retry: 0` and `timeout: false` and this file owns retries and timeouts:
 * - ky documents its `timeout` as covering all retries, and it stops at the response headers; we
 *   want a bound per attempt that also covers reading the body, so each attempt gets its own
 *   AbortSignal.
 * - The retry decision needs things ky's policy does not express: POST/PATCH never retry (a
 *   retried check-in records twice), a Retry-After longer than we are willing to wait ends the
 *   call with a GtmhubRateLimitedError (carrying the wait) instead of blocking a Slack handler, and
 *   every failure must say whether a write may have been delivered (`maybeDelivered`).
 * - One small loop logs each attempt with its status and duration, which hooks would split apart.
 * ky still builds the request (prefix URL, JSON body, headers); the query is written into the path.
 */
import ky, { type KyInstance } from 'ky';
import type { Logger } from 'pino';
import { errorForStatus, GtmhubError, GtmhubNetworkError, GtmhubTimeoutError, GtmhubUnexpectedResponseError } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RetryOptions {
  /** Retries after the first attempt, for GET/PUT/DELETE only. */
  limit: number;
  /** First backoff step; doubles per retry. Default 300 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff step. Default 5000 ms. */
  maxBackoffMs?: number;
  /** A Retry-After above this is not waited for: the call fails with GtmhubRateLimitedError/GtmhubServerError. Default 30 s. */
  maxRetryAfterMs?: number;
}

export interface GtmhubHttpOptions {
  /** API base without version, e.g. `https://app.gtmhub.com/api`. */
  baseUrl: string;
  token: string;
  accountId: string;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  retry: Required<RetryOptions>;
  logger?: Logger;
  fetch?: typeof fetch;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Below the base, starting with the version: `/v1/metrics/…`. */
  path: string;
  searchParams?: URLSearchParams;
  json?: unknown;
}

export interface HttpResult {
  status: number;
  /** Parsed JSON; undefined for an empty body (204). */
  body: unknown;
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** Failures before any byte of the request left: the request cannot have been delivered. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_INVALID_ARG',
]);

/** TLS/certificate failures: nothing sent, and trying again will not help. */
function isCertificateFailure(code: string): boolean {
  return code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
}

/** Statuses a gateway answers on behalf of an upstream that may have applied the write. */
const GATEWAY_AMBIGUOUS_STATUSES = new Set([502, 504]);

const RETRYABLE_STATUSES = (status: number) => status === 408 || status === 429 || status >= 500;

/** `Retry-After` as seconds or an HTTP date → milliseconds from now (≥ 0); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names a weekday/month; this keeps Date.parse from reading "-5" as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries never bunch at zero. */
export function backoffDelayMs(retryNumber: number, retry: Pick<Required<RetryOptions>, 'baseDelayMs' | 'maxBackoffMs'>, random: () => number = Math.random): number {
  const step = Math.min(retry.maxBackoffMs, retry.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Gtmhub's message from an error body: JSON `message` / `error` (/ `error.message`), else the text itself. */
export function messageFromErrorBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'string') return parsed;
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      for (const key of ['message', 'error', 'detail', 'title']) {
        const value = record[key];
        if (typeof value === 'string' && value.trim()) return value.trim();
        if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).message === 'string') {
          return String((value as Record<string, unknown>).message);
        }
      }
    }
  } catch {
    // not JSON: fall back to the text
  }
  const collapsed = trimmed.replace(/\s+/g, ' ');
  return collapsed.length > 500 ? `${collapsed.slice(0, 500)}…` : collapsed;
}

function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') return record.code;
    if (Array.isArray(record.errors) && record.errors.length > 0) {
      const inner = errorCode(record.errors[0]);
      if (inner) return inner;
    }
    current = record.cause;
  }
  return undefined;
}

/**
 * The path below ky's prefix, with the query already in it: given `searchParams`, ky builds the
 * Request twice (once more to put the query in), a cost every page of a long walk pays.
 */
function requestPath(spec: RequestSpec): string {
  const path = spec.path.startsWith('/') ? spec.path.slice(1) : spec.path;
  const query = spec.searchParams?.toString() ?? '';
  return query === '' ? path : `${path}?${query}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GtmhubHttp {
  readonly #ky: KyInstance;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #logger: Logger | undefined;

  constructor(options: GtmhubHttpOptions) {
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.#retry = options.retry;
    this.#logger = options.logger?.child({ component: 'gtmhub' });
    this.#ky = ky.create({
      prefixUrl: `${options.baseUrl.replace(/\/+$/, '')}/`,
      headers: {
        authorization: `Bearer ${options.token}`,
        'gtmhub-accountId': options.accountId,
        accept: 'application/json',
      },
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async request(spec: RequestSpec): Promise<HttpResult> {
    const mayRetry = IDEMPOTENT_METHODS.has(spec.method);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#attempt(spec, attempt);
      if (!(outcome instanceof GtmhubError)) return outcome;
      const retriesLeft = mayRetry && outcome.retryable && attempt <= this.#retry.limit;
      if (!retriesLeft) throw outcome;
      const wait = outcome.retryAfterMs ?? backoffDelayMs(attempt, this.#retry);
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.#retry.maxRetryAfterMs) throw outcome;
      this.#logger?.debug({ method: spec.method, path: spec.path, attempt, retryInMs: wait, reason: outcome.name }, 'gtmhub retry');
      await sleep(wait);
    }
  }

  /** One HTTP exchange; failures come back as a GtmhubError value so the loop can decide. */
  async #attempt(spec: RequestSpec, attempt: number): Promise<HttpResult | GtmhubError> {
    const { method, path } = spec;
    const isWrite = method !== 'GET';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    const started = performance.now();
    let status: number | undefined;
    const log = (extra: Record<string, unknown>) =>
      this.#logger?.debug({ method, path, status, ms: Math.round(performance.now() - started), attempt, ...extra }, 'gtmhub request');
    try {
      const response = await this.#ky(requestPath(spec), {
        method,
        signal: controller.signal,
        ...(spec.json !== undefined ? { json: spec.json } : {}),
      });
      status = response.status;
      // Always read the body (also for errors) so the connection is released for reuse.
      const text = await response.text();
      log({});
      if (response.ok) return { status: response.status, body: this.#parseSuccessBody(text, spec, attempt, response.status) };
      return errorForStatus({
        method,
        path,
        status: response.status,
        gtmhubMessage: this.#scrub(messageFromErrorBody(text)),
        retryable: RETRYABLE_STATUSES(response.status),
        maybeDelivered: isWrite && GATEWAY_AMBIGUOUS_STATUSES.has(response.status),
        attempts: attempt,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    } catch (error) {
      if (error instanceof GtmhubError) return error;
      if (controller.signal.aborted) {
        log({ error: 'timeout' });
        // A timeout after the status arrived (slow body) still means the write happened.
        return new GtmhubTimeoutError({ method, path, status, timeoutMs: this.#timeoutMs, maybeDelivered: isWrite, attempts: attempt });
      }
      const code = errorCode(error);
      log({ error: code ?? 'network' });
      const notSent = code !== undefined && (NOT_SENT_CODES.has(code) || isCertificateFailure(code));
      return new GtmhubNetworkError({
        method,
        path,
        status,
        ...(code ? { code } : {}),
        retryable: !(code && isCertificateFailure(code)),
        maybeDelivered: isWrite && !notSent,
        attempts: attempt,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  #parseSuccessBody(text: string, spec: RequestSpec, attempt: number, status: number): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new GtmhubUnexpectedResponseError('the body is not JSON', { method: spec.method, path: spec.path, status, attempts: attempt });
    }
  }

  /** Defence in depth: should a server ever echo the token, it does not reach our messages. */
  #scrub(message: string): string {
    return this.#token ? message.split(this.#token).join('[redacted]') : message;
  }
}
