import type { EmulatorModel } from './model.js';
import type { EmulatorToken } from './types.js';

export interface RequestContext {
  model: EmulatorModel;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; throws HttpError 400 when it is missing or malformed. */
  body(): unknown;
  token: EmulatorToken;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export type Handler = (ctx: RequestContext) => Reply;

export interface Route {
  method: string;
  /** Path below /api, e.g. `/v1/metrics/:metricId/checkin`. */
  pattern: string;
  handler: Handler;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { allowed: string[] } | null;

/** First route (in table order) whose pattern matches; when only the method differs, the allowed methods. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split('/').filter((segment) => segment !== '');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : null;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split('/').filter((part) => part !== '');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        params[part.slice(1)] = segment;
      }
    } else if (part !== segment) return null;
  }
  return params;
}
