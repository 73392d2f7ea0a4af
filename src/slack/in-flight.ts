/**
 * Work a listener goes on with after its ack (Gtmhub calls, views.update). Shutdown waits for it,
 * up to a deadline; a check-in cut off here is still safe in the outbox.
 */
export class InFlightWork {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true when everything finished, false when the deadline came first. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const all = Promise.allSettled([...this.pending]).then(() => true as const);
    const finished = await Promise.race([all, deadline]);
    clearTimeout(timer);
    return finished;
  }
}
