/**
 * O(1) lookup by id over an array that tests may change behind our back (push, splice, replace).
 * Every hit is verified against the array, and a miss or a stale hit rebuilds the index once,
 * so the answer is always what a linear scan would give.
 */
export class IdIndex<T extends { id: string }> {
  private items: readonly T[] | null = null;
  private positions = new Map<string, number>();

  find(items: readonly T[], id: string): T | undefined {
    if (items === this.items) {
      const position = this.positions.get(id);
      if (position !== undefined && items[position]?.id === id) return items[position];
    }
    this.rebuild(items);
    const position = this.positions.get(id);
    return position === undefined ? undefined : items[position];
  }

  /** Position of the item in the array, or -1. */
  indexOf(items: readonly T[], id: string): number {
    const item = this.find(items, id);
    return item === undefined ? -1 : (this.positions.get(id) ?? -1);
  }

  private rebuild(items: readonly T[]): void {
    this.items = items;
    this.positions = new Map();
    items.forEach((item, position) => {
      if (!this.positions.has(item.id)) this.positions.set(item.id, position);
    });
  }
}
