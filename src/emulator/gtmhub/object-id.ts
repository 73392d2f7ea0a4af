const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

/** Mongo-like ids: 4 bytes of seconds, then a per-factory counter, so ids sort by creation. */
export class ObjectIdFactory {
  private counter: number;

  constructor(
    private readonly now: () => Date,
    start = 0,
  ) {
    this.counter = start;
  }

  next(): string {
    const seconds = Math.floor(this.now().getTime() / 1000) >>> 0;
    this.counter += 1;
    return seconds.toString(16).padStart(8, '0') + 'e1' + this.counter.toString(16).padStart(14, '0');
  }
}

/** A fixed id built from a kind prefix and a number, for demo and generated data. */
export function fixedObjectId(prefix: string, n: number): string {
  const body = n.toString(16);
  return prefix + body.padStart(24 - prefix.length, '0');
}
