import type { Metric } from './types.js';

/**
 * The web link of a key result: the metric's own `url` as Gtmhub sends it (on the account's web
 * domain) first; else one built from an explicitly configured web app base (GTMHUB_APP_URL) in the
 * shape of Gtmhub's own links; else none. Never derived from the API host: the web app lives on
 * the account's domain, which the API host does not tell.
 */
export function keyResultUrl(metric: Pick<Metric, 'id' | 'goalId' | 'sessionId' | 'url'>, appUrl: string | undefined): string | undefined {
  if (typeof metric.url === 'string' && /^https?:\/\//i.test(metric.url)) return metric.url;
  if (!appUrl || !metric.sessionId) return undefined;
  // Gtmhub's links read `#/goals/<sessionId>/all/<goalId>/metrics/metric/<metricId>/`; the first
  // segment being the session is a GUESS (public bodies show only the shape).
  const route = `#/goals/${metric.sessionId}/all/${metric.goalId}/metrics/metric/${metric.id}/`;
  return new URL(route, appUrl.endsWith('/') ? appUrl : `${appUrl}/`).toString();
}
