import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../src/services/reminders/read-ahead.js';

/** A source of `count` numbers that records how far it has been read. */
function source(count: number, failAt?: number) {
  const state = { read: 0 };
  async function* numbers() {
    for (let i = 0; i < count; i++) {
      await new Promise((r) => setImmediate(r));
      if (i === failAt) throw new Error('page failed');
      state.read = i + 1;
      yield i;
    }
  }
  return { state, iterator: numbers() };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('reading a source ahead of its consumer', () => {
  it('starts reading at once, stays at most `limit` ahead, and hands everything over in order', async () => {
    const { state, iterator } = source(25);
    const ahead = new ReadAhead(iterator, 10);
    await settle();
    expect(state.read).toBe(10);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) got.push((await ahead.next()).value!);
    await settle();
    expect(state.read).toBe(13);
    for (let next = await ahead.next(); !next.done; next = await ahead.next()) got.push(next.value);
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(await ahead.next()).toEqual({ value: undefined, done: true });
  });

  it('hands over what was read before a failure, then the failure', async () => {
    const { iterator } = source(10, 4);
    const ahead = new ReadAhead(iterator, 3);
    const got: number[] = [];
    await expect(
      (async () => {
        for (let next = await ahead.next(); !next.done; next = await ahead.next()) got.push(next.value);
      })(),
    ).rejects.toThrow('page failed');
    expect(got).toEqual([0, 1, 2, 3]);
  });
});
