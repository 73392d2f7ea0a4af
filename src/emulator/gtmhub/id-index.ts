/**
 * O(1) lookup by id over an array that tests may change between requests (push, splice,
 * replace an element or the whole array). A hit is always verified against the array. A miss
 * is trusted only if the index was rebuilt during the current generation (one request), so a
 * request rebuilds each index at most once, and a test's change is seen by the next request.
 * Code that changes an array inside a request calls invalidate().
 */
export class IdIndex<T extends { id: string }> {
  private items: readonly T[] | null = null;
  private builtLength = -1;
  private builtGeneration = -1;
  private positions = new Map<string, number>();

  find(items: readonly T[], id: string, generation: number): T | undefined {
    const position = this.position(items, id, generation);
    return position < 0 ? undefined : items[position];
  }

  /** Position of the item with this id in the array, or -1. */
  position(items: readonly T[], id: string, generation: number): number {
    if (items === this.items) {
      const position = this.positions.get(id);
      if (position !== undefined && items[position]?.id === id) return position;
      if (position === undefined && this.builtGeneration === generation && this.builtLength === items.length) return -1;
    }
    this.rebuild(items, generation);
    return this.positions.get(id) ?? -1;
  }

  invalidate(): void {
    this.items = null;
  }

  private rebuild(items: readonly T[], generation: number): void {
    this.items = items;
    this.builtLength = items.length;
    this.builtGeneration = generation;
    this.positions = new Map();
    for (let position = 0; position < items.length; position++) {
      const id = items[position]!.id;
      if (!this.positions.has(id)) this.positions.set(id, position);
    }
  }
}
