/**
 * Link previews: a pasted link to a key result or objective on the account's Gtmhub web domain
 * (`…/metrics/metric/<id>/`, `…/goals/<session>/all/<goalId>/`) is read from Gtmhub and shown as a
 * card. A link the app cannot resolve (unknown id, another account, no access) is left alone.
 */
import type { GtmhubClient } from '../../gtmhub/client.js';
import type { Goal, Metric } from '../../gtmhub/types.js';
import type { Logger } from '../../logger.js';
import type { KeyResultPermissions } from './permissions.js';

export type LinkTarget = { kind: 'key_result'; id: string } | { kind: 'objective'; id: string };

const METRIC_LINK = /\/metrics?\/metric\/([0-9a-f]{24})(?:[/?#]|$)/i;
const GOAL_LINK = /\/goals\/[0-9a-f]{24}\/[a-z-]+\/([0-9a-f]{24})(?:[/?#]|$)/i;

/** What a Gtmhub web link points at; links put the route after `#`, so the whole URL is read. */
export function linkTarget(url: string): LinkTarget | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const route = `${parsed.pathname}${parsed.hash}`;
  const metric = METRIC_LINK.exec(route);
  if (metric) return { kind: 'key_result', id: metric[1]!.toLowerCase() };
  const goal = GOAL_LINK.exec(route);
  if (goal) return { kind: 'objective', id: goal[1]!.toLowerCase() };
  return null;
}

export type Preview = { kind: 'key_result'; url: string; keyResult: Metric; objectiveName: string } | { kind: 'objective'; url: string; objective: Goal };

export interface LinkPreviewOptions {
  gtmhub: Pick<GtmhubClient, 'getMetric'>;
  permissions: Pick<KeyResultPermissions, 'objective'>;
  logger: Logger;
  /** UNFURL_LINKS=off turns previews off. */
  enabled: boolean;
}

/** At most this many links of one message are looked up. */
const MAX_LINKS = 5;

export class LinkPreviews {
  constructor(private readonly options: LinkPreviewOptions) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** A preview per link that resolves; the others are left out (Slack then shows its own preview or none). */
  async previews(urls: string[]): Promise<Preview[]> {
    if (!this.options.enabled) return [];
    const previews: Preview[] = [];
    for (const url of [...new Set(urls)].slice(0, MAX_LINKS)) {
      const target = linkTarget(url);
      if (!target) continue;
      try {
        if (target.kind === 'key_result') {
          const keyResult = await this.options.gtmhub.getMetric(target.id);
          const objective = await this.options.permissions.objective(keyResult.goalId).catch(() => null);
          previews.push({ kind: 'key_result', url, keyResult, objectiveName: objective?.name ?? 'Objective' });
        } else {
          previews.push({ kind: 'objective', url, objective: await this.options.permissions.objective(target.id) });
        }
      } catch (error) {
        this.options.logger.debug({ err: error, url }, 'link left alone: it does not resolve in Gtmhub');
      }
    }
    return previews;
  }
}
