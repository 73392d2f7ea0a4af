/**
 * Typed Gtmhub (Quantive Results) Key Results API client: one method per endpoint of the seed
 * (`shared/seeds/gtmhub-key-results-endpoints.txt`) plus users, goals and sessions lookups.
 * v2 for lists that take fields/sort/filter/skip/limit, v1 for single items and writes.
 * Retries, timeouts and error mapping live in http.ts; response parsing in parse.ts.
 */
import type { Logger } from 'pino';
import { confidenceScaleFromAccount, DEFAULT_CONFIDENCE_SCALE, type ConfidenceScale } from './confidence-scale.js';
import { GtmhubBadRequestError, GtmhubError, GtmhubUnexpectedResponseError, GtmhubValidationError } from './errors.js';
import { GtmhubHttp, type HttpMethod, type RetryOptions } from './http.js';
import { isGtmhubId } from './ids.js';
import {
  parseBulkCheckInResponse,
  parseGoal,
  parseListEnvelope,
  parseMetric,
  parseSession,
  parseSnapshot,
  parseUser,
  ResponseShapeError,
  type Projection,
} from './parse.js';
import { escapeRegExp, listSearchParams, ListOptionsError, PagingError, projectedFieldNames, walkPages, type IterateOptions, type Page } from './query.js';
import type {
  BulkCheckInItem,
  BulkCheckInResponse,
  CheckInRequest,
  Formatting,
  Goal,
  GoalStatusRequest,
  ListOptions,
  ListResponse,
  Metric,
  MetricInput,
  Session,
  Snapshot,
  User,
} from './types.js';

export interface GtmhubClientOptions {
  /** API base without version, e.g. `https://app.gtmhub.com/api` (GTMHUB_API_URL). */
  baseUrl: string;
  token: string;
  accountId: string;
  /** Per attempt, including reading the body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for GET/PUT/DELETE only. Default `{ limit: 2, baseDelayMs: 300, maxBackoffMs: 5000, maxRetryAfterMs: 30000 }`. */
  retry?: RetryOptions;
  /** Each attempt is logged at debug level (method, path, status, ms); never headers. */
  logger?: Logger;
  fetch?: typeof fetch;
}

export type { IterateOptions };

/** The fields v2 users require; Gtmhub refuses `GET /v2/users` without `fields`. */
export const DEFAULT_USER_FIELDS = 'id,email,firstName,lastName';

/** What `GET /v2/sessions` is asked for: the fields a Session carries. */
export const SESSION_FIELDS = 'id,title,status,start,end';

/** Answers meaning "this server does not serve the endpoint (this way)"; anything else is a real failure. */
const ENDPOINT_MISSING_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

function endpointMissing(error: unknown): boolean {
  return error instanceof GtmhubError && !(error instanceof GtmhubValidationError) && error.status !== undefined && ENDPOINT_MISSING_STATUSES.has(error.status);
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY: Required<RetryOptions> = { limit: 2, baseDelayMs: 300, maxBackoffMs: 5_000, maxRetryAfterMs: 30_000 };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? 'null' : typeof value;
}

export class GtmhubClient {
  readonly #http: GtmhubHttp;
  readonly #accountId: string;
  readonly #logger: Logger | undefined;

  constructor(options: GtmhubClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError('GtmhubClient: baseUrl is not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('GtmhubClient: baseUrl must be http(s)');
    if (/\/v\d+\/?$/.test(url.pathname)) throw new TypeError('GtmhubClient: baseUrl must not include the API version (the client adds /v1 or /v2)');
    if (typeof options.token !== 'string' || options.token.trim() === '') throw new TypeError('GtmhubClient: token is missing');
    if (!isGtmhubId(options.accountId)) throw new TypeError('GtmhubClient: accountId must be 24 hexadecimal characters');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new TypeError('GtmhubClient: timeoutMs must be positive');
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#accountId = options.accountId;
    this.#logger = options.logger?.child({ component: 'gtmhub' });
    if (!Number.isInteger(retry.limit) || retry.limit < 0) throw new TypeError('GtmhubClient: retry.limit must be a whole number ≥ 0');
    this.#http = new GtmhubHttp({
      baseUrl: options.baseUrl,
      token: options.token,
      accountId: options.accountId,
      timeoutMs,
      retry,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  // ── metrics: lists ────────────────────────────────────────────────────────────────────────────

  /** `GET /v2/metrics`. With `fields`, items carry only the projected fields. */
  async listMetrics(options: ListOptions = {}): Promise<ListResponse<Metric>> {
    return this.#asListResponse(await this.#metricsPage(options), options);
  }

  /** Every metric matching `options`, page by page (stable sort: `id` is appended when missing). */
  iterateMetrics(options: IterateOptions = {}): AsyncGenerator<Metric, void, undefined> {
    return this.#walk('/v2/metrics', options, (page) => this.#metricsPage(page));
  }

  /**
   * `GET /v1/metrics/owner/{ownerId}`.
   * @deprecated Gtmhub deprecated this endpoint; use `listMetrics({ filter: { ownerIds: ownerId } })`
   * (or `iterateMetrics` with the same filter).
   */
  async getMetricsByOwner(ownerId: string, options: { formatting?: Formatting } = {}): Promise<Metric[]> {
    const path = `/v1/metrics/owner/${this.#id('ownerId', ownerId, 'GET', '/v1/metrics/owner/{ownerId}')}`;
    return this.#call('GET', path, { searchParams: formattingParams(options.formatting) }, (body) => parseListEnvelope(body, (item, where) => parseMetric(item, undefined, where), 'metric').items);
  }

  // ── metrics: single items and writes ──────────────────────────────────────────────────────────

  /** `GET /v1/metrics/{metricId}`. */
  async getMetric(metricId: string, options: { formatting?: Formatting } = {}): Promise<Metric> {
    const path = `/v1/metrics/${this.#id('metricId', metricId, 'GET', '/v1/metrics/{metricId}')}`;
    return this.#call('GET', path, { searchParams: formattingParams(options.formatting) }, (body) => parseMetric(body, undefined, 'metric', metricId));
  }

  /** `POST /v1/metrics` with the bare metric as body — never retried. 400 when the goal's session is closed. */
  async createMetric(input: MetricInput): Promise<Metric> {
    this.#metricInput(input, 'POST', '/v1/metrics');
    return this.#call('POST', '/v1/metrics', { json: input }, (body) => parseMetric(body));
  }

  /** `PUT /v1/metrics/{metricId}`: every attribute missing from `input` is reset to its zero value. */
  async replaceMetric(metricId: string, input: MetricInput): Promise<Metric> {
    const path = `/v1/metrics/${this.#id('metricId', metricId, 'PUT', '/v1/metrics/{metricId}')}`;
    this.#metricInput(input, 'PUT', '/v1/metrics/{metricId}');
    return this.#call('PUT', path, { json: input }, (body) => parseMetric(body, undefined, 'metric', metricId));
  }

  /** `PATCH /v1/metrics/{metricId}`: changes only what `input` holds. Never retried. */
  async patchMetric(metricId: string, input: MetricInput): Promise<Metric> {
    const path = `/v1/metrics/${this.#id('metricId', metricId, 'PATCH', '/v1/metrics/{metricId}')}`;
    this.#metricInput(input, 'PATCH', '/v1/metrics/{metricId}');
    return this.#call('PATCH', path, { json: input }, (body) => parseMetric(body, undefined, 'metric', metricId));
  }

  /** `DELETE /v1/metrics/{metricId}`. */
  async deleteMetric(metricId: string): Promise<void> {
    const path = `/v1/metrics/${this.#id('metricId', metricId, 'DELETE', '/v1/metrics/{metricId}')}`;
    await this.#call('DELETE', path, {}, () => undefined);
  }

  // ── check-ins ─────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST /v1/metrics/{metricId}/checkin`. Never retried: on an error with `maybeDelivered`, the
   * check-in may exist in Gtmhub — look before sending it again.
   */
  async checkIn(metricId: string, request: CheckInRequest): Promise<Snapshot> {
    const template = '/v1/metrics/{metricId}/checkin';
    const path = `/v1/metrics/${this.#id('metricId', metricId, 'POST', template)}/checkin`;
    this.#checkInRequest(request, 'request', 'POST', template);
    return this.#call('POST', path, { json: request }, (body) => parseSnapshot(body));
  }

  /**
   * `POST /v1/metrics/checkins` with the bare JSON array of snapshots as body (bodies are bare, as
   * for the single check-in; the seed's `{"snapshots": …}` is its code generator's wrapping). The
   * answer's shape is unpublished: parsed leniently, one result per item. Never retried.
   */
  async bulkCheckIn(items: BulkCheckInItem[]): Promise<BulkCheckInResponse> {
    const path = '/v1/metrics/checkins';
    if (!Array.isArray(items) || items.length === 0) throw new GtmhubValidationError('items must be a non-empty array', { method: 'POST', path });
    items.forEach((item, index) => {
      if (!isPlainObject(item)) throw new GtmhubValidationError(`items[${index}] must be an object`, { method: 'POST', path });
      this.#id(`items[${index}].metricId`, item.metricId, 'POST', path);
      this.#checkInRequest(item, `items[${index}]`, 'POST', path);
    });
    return this.#call('POST', path, { json: items }, parseBulkCheckInResponse);
  }

  /** `GET /v1/metrics/checkin/{checkinId}`. */
  async getCheckIn(checkinId: string): Promise<Snapshot> {
    const path = `/v1/metrics/checkin/${this.#id('checkinId', checkinId, 'GET', '/v1/metrics/checkin/{checkinId}')}`;
    return this.#call('GET', path, {}, (body) => parseSnapshot(body));
  }

  /** `PATCH /v1/metrics/checkin/{checkinId}`: only the comment of a check-in can change. Never retried. */
  async updateCheckInComment(checkinId: string, comment: string): Promise<void> {
    const template = '/v1/metrics/checkin/{checkinId}';
    const path = `/v1/metrics/checkin/${this.#id('checkinId', checkinId, 'PATCH', template)}`;
    if (typeof comment !== 'string') throw new GtmhubValidationError('comment must be a string', { method: 'PATCH', path: template });
    await this.#call('PATCH', path, { json: { comment } }, () => undefined);
  }

  /** `DELETE /v1/metrics/checkin/{checkinId}` — account admins only (403 otherwise). */
  async deleteCheckIn(checkinId: string): Promise<void> {
    const path = `/v1/metrics/checkin/${this.#id('checkinId', checkinId, 'DELETE', '/v1/metrics/checkin/{checkinId}')}`;
    await this.#call('DELETE', path, {}, () => undefined);
  }

  // ── goals and sessions ────────────────────────────────────────────────────────────────────────

  /** `PUT /v1/goals/{id}/status`: close a goal as achieved / abandoned. */
  async setGoalStatus(goalId: string, request: GoalStatusRequest): Promise<void> {
    const template = '/v1/goals/{id}/status';
    const path = `/v1/goals/${this.#id('goalId', goalId, 'PUT', template)}/status`;
    if (!isPlainObject(request) || typeof request.status !== 'string' || request.status.trim() === '') {
      throw new GtmhubValidationError('request.status must be a non-empty string', { method: 'PUT', path: template });
    }
    if (request.reason !== undefined && typeof request.reason !== 'string') {
      throw new GtmhubValidationError('request.reason must be a string', { method: 'PUT', path: template });
    }
    await this.#call('PUT', path, { json: request }, () => undefined);
  }

  /** `DELETE /v1/goals/{id}/status`: reopen a goal. */
  async deleteGoalStatus(goalId: string): Promise<void> {
    const path = `/v1/goals/${this.#id('goalId', goalId, 'DELETE', '/v1/goals/{id}/status')}/status`;
    await this.#call('DELETE', path, {}, () => undefined);
  }

  /** `GET /v2/goals`. */
  async listGoals(options: ListOptions = {}): Promise<ListResponse<Goal>> {
    return this.#asListResponse(await this.#goalsPage(options), options);
  }

  iterateGoals(options: IterateOptions = {}): AsyncGenerator<Goal, void, undefined> {
    return this.#walk('/v2/goals', options, (page) => this.#goalsPage(page));
  }

  /**
   * Every OKR session: `GET /v2/sessions` (the documented list, paged), falling back to
   * `GET /v1/sessions` (bare array or `{items}`) when a server answers 400/404/405 to v2.
   */
  async listSessions(): Promise<Session[]> {
    try {
      const sessions: Session[] = [];
      for await (const session of this.#walk('/v2/sessions', { fields: SESSION_FIELDS }, (page) => this.#sessionsPage(page))) sessions.push(session);
      return sessions;
    } catch (error) {
      if (!endpointMissing(error)) throw error;
      this.#logger?.debug({ status: (error as GtmhubError).status }, 'GET /v2/sessions unavailable; using GET /v1/sessions');
    }
    return this.#call('GET', '/v1/sessions', {}, (body) => parseListEnvelope(body, (item, where) => parseSession(item, undefined, where), 'session').items);
  }

  // ── account ───────────────────────────────────────────────────────────────────────────────────

  /**
   * The account's confidence scale, read from `GET /v1/accounts/{accountId}` (`confidenceSettings`;
   * how it is read is a guess kept in confidence-scale.ts). Without usable settings, or when the
   * token may not read the account (400/403/404/405), the default numeric 0–1 scale in tenths.
   */
  async getConfidenceScale(): Promise<ConfidenceScale> {
    const path = `/v1/accounts/${encodeURIComponent(this.#accountId)}`;
    try {
      return await this.#call('GET', path, {}, confidenceScaleFromAccount);
    } catch (error) {
      if (endpointMissing(error) || (error instanceof GtmhubError && error.status === 403)) return DEFAULT_CONFIDENCE_SCALE;
      throw error;
    }
  }

  // ── users ─────────────────────────────────────────────────────────────────────────────────────

  /** `GET /v2/users`; `fields` is always sent (v2 users requires it), default `id,email,firstName,lastName`. */
  async listUsers(options: ListOptions = {}): Promise<ListResponse<User>> {
    const withFields: ListOptions = { ...options, fields: options.fields ?? DEFAULT_USER_FIELDS };
    const page = await this.#listPage('/v2/users', withFields, (body, projection) =>
      parseListEnvelope(body, (item, where) => parseUser(item, projection, where), 'user'),
    );
    return this.#asListResponse(page, withFields);
  }

  /**
   * The Gtmhub user with this email, compared case-insensitively, or null. Asks Gtmhub with an
   * anchored, escaped, case-insensitive `$regex` and then compares exactly, so a pattern never
   * matches someone else.
   */
  async findUserByEmail(email: string): Promise<User | null> {
    if (typeof email !== 'string' || !email.trim().includes('@')) {
      throw new GtmhubValidationError(`email must be an email address (got ${describeValue(email)})`, { method: 'GET', path: '/v2/users' });
    }
    const given = email.trim();
    const wanted = given.toLowerCase();
    const match = (items: User[]) => items.find((user) => user.email?.trim().toLowerCase() === wanted) ?? null;
    // The documented filter is plain equality; try it as given and lower-cased before a case-insensitive regex,
    // which not every server may support (a 400 there means "not found", not a failure).
    for (const candidate of new Set([given, wanted])) {
      const found = match((await this.listUsers({ filter: { email: candidate }, limit: 10 })).items);
      if (found) return found;
    }
    try {
      return match((await this.listUsers({ filter: { email: { $regex: `^${escapeRegExp(given)}$`, $options: 'i' } }, limit: 10 })).items);
    } catch (error) {
      if (error instanceof GtmhubBadRequestError) return null;
      throw error;
    }
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  #metricsPage(options: ListOptions): Promise<Page<Metric>> {
    return this.#listPage('/v2/metrics', options, (body, projection) =>
      parseListEnvelope(body, (item, where) => parseMetric(item, projection, where), 'metric'),
    );
  }

  #goalsPage(options: ListOptions): Promise<Page<Goal>> {
    return this.#listPage('/v2/goals', options, (body, projection) =>
      parseListEnvelope(body, (item, where) => parseGoal(item, projection, where), 'goal'),
    );
  }

  #sessionsPage(options: ListOptions): Promise<Page<Session>> {
    return this.#listPage('/v2/sessions', options, (body, projection) =>
      parseListEnvelope(body, (item, where) => parseSession(item, projection, where), 'session'),
    );
  }

  #listPage<T>(path: string, options: ListOptions, parse: (body: unknown, projection: Projection) => Page<T>): Promise<Page<T>> {
    let searchParams: URLSearchParams;
    try {
      searchParams = listSearchParams(options);
    } catch (error) {
      if (error instanceof ListOptionsError) throw new GtmhubValidationError(error.message, { method: 'GET', path });
      throw error;
    }
    const projection = projectedFieldNames(options.fields);
    return this.#call('GET', path, { searchParams }, (body) => parse(body, projection));
  }

  #asListResponse<T>(page: Page<T>, options: ListOptions): ListResponse<T> {
    // Without a totalCount from Gtmhub, what we know for sure is what we have seen so far.
    return { items: page.items, totalCount: page.totalCount ?? (options.skip ?? 0) + page.items.length };
  }

  #walk<T extends { id?: unknown }>(
    path: string,
    options: IterateOptions,
    fetchPage: (options: ListOptions) => Promise<Page<T>>,
  ): AsyncGenerator<T, void, undefined> {
    return walkPages(options, fetchPage, {
      identify: (item: T) => (typeof item.id === 'string' ? item.id : undefined),
      onPageCapped: (asked: number, received: number) =>
        this.#logger?.warn({ path, asked, received }, 'Gtmhub returned fewer items than asked although more remain; paging on with the smaller page'),
      mapError: (error: unknown) => {
        if (error instanceof ListOptionsError) return new GtmhubValidationError(error.message, { method: 'GET', path });
        if (error instanceof PagingError) return new GtmhubUnexpectedResponseError(error.message, { method: 'GET', path });
        return error;
      },
    });
  }

  async #call<T>(
    method: HttpMethod,
    path: string,
    request: { searchParams?: URLSearchParams; json?: unknown },
    parse: (body: unknown) => T,
  ): Promise<T> {
    const result = await this.#http.request({ method, path, ...request });
    try {
      return parse(result.body);
    } catch (error) {
      if (error instanceof ResponseShapeError) {
        throw new GtmhubUnexpectedResponseError(error.message, { method, path, status: result.status });
      }
      throw error;
    }
  }

  /** Validates a 24-hex id and returns it URL-encoded for a path segment. */
  #id(name: string, value: unknown, method: HttpMethod, template: string): string {
    if (!isGtmhubId(value)) {
      throw new GtmhubValidationError(`${name} must be a 24-hex Gtmhub id (got ${describeValue(value)})`, { method, path: template });
    }
    return encodeURIComponent(value);
  }

  #metricInput(input: MetricInput, method: HttpMethod, template: string): void {
    const fail = (problem: string) => new GtmhubValidationError(problem, { method, path: template });
    if (!isPlainObject(input)) throw fail('the metric must be an object');
    if (input.goalId !== undefined && !isGtmhubId(input.goalId)) throw fail(`goalId must be a 24-hex Gtmhub id (got ${describeValue(input.goalId)})`);
    if (input.ownerIds !== undefined && (!Array.isArray(input.ownerIds) || !input.ownerIds.every(isGtmhubId))) {
      throw fail('ownerIds must be an array of 24-hex Gtmhub ids');
    }
    for (const field of ['initialValue', 'target'] as const) {
      const value = input[field];
      if (value !== undefined && !Number.isFinite(value)) throw fail(`${field} must be a finite number`);
    }
  }

  #checkInRequest(request: CheckInRequest, name: string, method: HttpMethod, template: string): void {
    const fail = (problem: string) => new GtmhubValidationError(problem, { method, path: template });
    if (!isPlainObject(request)) throw fail(`${name} must be an object`);
    if (typeof request.actual !== 'number' || !Number.isFinite(request.actual)) throw fail(`${name}.actual must be a finite number`);
    if (request.comment !== undefined && typeof request.comment !== 'string') throw fail(`${name}.comment must be a string`);
    if (request.confidence !== undefined && (typeof request.confidence !== 'number' || !Number.isFinite(request.confidence))) {
      throw fail(`${name}.confidence must be a finite number`);
    }
    if (request.checkInDate !== undefined && (typeof request.checkInDate !== 'string' || Number.isNaN(Date.parse(request.checkInDate)))) {
      throw fail(`${name}.checkInDate must be an ISO-8601 date`);
    }
    if (request.customFields !== undefined && !isPlainObject(request.customFields)) throw fail(`${name}.customFields must be an object`);
  }
}

function formattingParams(formatting: Formatting | undefined): URLSearchParams {
  const params = new URLSearchParams();
  if (formatting !== undefined) params.set('formatting', formatting);
  return params;
}
