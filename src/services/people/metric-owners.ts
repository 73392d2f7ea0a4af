import type { Metric } from '../../gtmhub/types.js';

export interface MetricOwner {
  gtmhubUserId: string;
  email: string | null;
  name: string | null;
}

/** The people (not teams) who own `metric`, with what the listing says about them. */
export function ownersOf(metric: Metric): MetricOwner[] {
  const owners = new Map<string, MetricOwner>();
  const details = [...(metric.assignees ?? []), ...(metric.assignee ? [metric.assignee] : [])];
  const teams = new Set(details.filter((a) => a.type !== 'user').map((a) => a.id));
  for (const assignee of details) {
    if (assignee.type !== 'user' || owners.has(assignee.id)) continue;
    owners.set(assignee.id, { gtmhubUserId: assignee.id, email: assignee.email?.trim() || null, name: assignee.name?.trim() || null });
  }
  for (const id of [...(metric.ownerIds ?? []), ...(metric.ownerId ? [metric.ownerId] : [])]) {
    if (!owners.has(id) && !teams.has(id)) owners.set(id, { gtmhubUserId: id, email: null, name: null });
  }
  return [...owners.values()];
}
