/**
 * Reads an async source up to `limit` items ahead of its consumer, from the moment it is made: with
 * a limit of one page, the next page is asked for as soon as the consumer starts on this one, so a
 * slow page (a large sorted listing) is read while the previous one is still being sent, and the
 * first page while the pass loads what it needs before it can use it. At most `limit` items wait.
 */
export class ReadAhead<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private finished = false;
  private failure: { error: unknown } | null = null;
  private consumerWaiting: (() => void) | null = null;
  private producerWaiting: (() => void) | null = null;

  constructor(
    source: AsyncIterator<T>,
    private readonly limit: number,
  ) {
    void this.fill(source);
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head]!;
        this.head++;
        // Items handed out leave the queue a limit's worth at a time (amortised O(1), bounded memory).
        if (this.head >= this.limit || this.head === this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        this.producerWaiting?.();
        this.producerWaiting = null;
        return { value, done: false };
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.consumerWaiting = resolve));
    }
  }

  private async fill(source: AsyncIterator<T>): Promise<void> {
    try {
      for (;;) {
        while (this.queue.length - this.head >= this.limit) await new Promise<void>((resolve) => (this.producerWaiting = resolve));
        const next = await source.next();
        if (next.done) break;
        this.queue.push(next.value);
        this.consumerWaiting?.();
        this.consumerWaiting = null;
      }
    } catch (error) {
      this.failure = { error };
    }
    this.finished = true;
    this.consumerWaiting?.();
    this.consumerWaiting = null;
  }
}
