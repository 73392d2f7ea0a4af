/**
 * Groups a stream of key results sorted by owner (`sort=ownerIds`: each key result comes at its
 * smallest owner id, as MongoDB sorts an array) into complete per-owner lists, as early as the order
 * allows: once the stream has moved past an owner's id, no later key result can name them, so
 * their list is complete and their reminder can go out while the rest is still being read. Pure.
 */
import type { Metric } from '../../gtmhub/types.js';
import type { MetricOwner } from '../people/metric-owners.js';

export interface OwnerGroup {
  owner: MetricOwner;
  metrics: Metric[];
}

/** The id a key result is sorted at: its smallest owner id; undefined when it lists none (sorted first). */
export function ownerSortKey(metric: Pick<Metric, 'ownerIds'>): string | undefined {
  let key: string | undefined;
  for (const id of metric.ownerIds ?? []) if (key === undefined || id < key) key = id;
  return key;
}

export class OwnerBatches {
  /** Owners the sort order speaks for, still collecting. */
  private readonly open = new Map<string, OwnerGroup>();
  /** Owners met outside a key result's ownerIds (only as assignee or ownerId): the order says nothing about them, so they wait for the end. */
  private readonly held = new Map<string, OwnerGroup>();
  private lastKey: string | undefined;

  /**
   * Adds one key result for `owners` (those who may be reminded of it) and returns the groups the
   * stream has now moved past. Key results must arrive in `ownerSortKey` order.
   */
  add(metric: Metric, owners: readonly MetricOwner[]): OwnerGroup[] {
    const listed = new Set(metric.ownerIds ?? []);
    for (const owner of owners) {
      const id = owner.gtmhubUserId;
      let group = this.held.get(id) ?? this.open.get(id);
      if (!group) {
        group = { owner, metrics: [] };
        this.open.set(id, group);
      }
      if (!group.owner.email && owner.email) group.owner = owner;
      group.metrics.push(metric);
      if (!listed.has(id) && this.open.delete(id)) this.held.set(id, group);
    }
    const key = ownerSortKey(metric);
    if (key === undefined || key === this.lastKey) return [];
    this.lastKey = key;
    const done: OwnerGroup[] = [];
    for (const [id, group] of this.open) {
      if (id < key) {
        done.push(group);
        this.open.delete(id);
      }
    }
    return done;
  }

  /** Every group still open: the stream has ended. */
  finish(): OwnerGroup[] {
    const rest = [...this.open.values(), ...this.held.values()];
    this.open.clear();
    this.held.clear();
    return rest;
  }

  /** Owners whose list is still collecting. */
  get openCount(): number {
    return this.open.size + this.held.size;
  }
}
