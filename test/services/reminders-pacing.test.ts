import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../src/services/bounded.js';
import { RateLimitGate } from '../../src/services/reminders/pacing.js';
import { SlackRateLimitedError } from '../../src/services/ports.js';
import { seededRandom } from '../../src/emulator/seeded-random.js';
import { FakeSlackMethod, VirtualTime } from '../support/virtual-time.js';

/**
 * A Slack method allowing `perSecond` calls in any sliding second, answering 429 (Retry-After 0.2 s)
 * beyond, each call arriving 1 ms after it is sent — in virtual time, so that a loaded machine
 * cannot stretch the gaps between calls.
 */
function limitedMethod(time: VirtualTime, perSecond: number, uplinkMs: () => number = () => 1, downlinkMs: () => number = () => 0) {
  return new FakeSlackMethod(time, { perSecond, uplinkMs, downlinkMs, retryAfterMs: 200 });
}

describe('pacing Slack calls', () => {
  it('waits Retry-After on a 429, then paces below the rate that drew it', async () => {
    const time = new VirtualTime();
    const method = limitedMethod(time, 20);
    const gate = new RateLimitGate(time);
    await time.run(mapLimited(Array.from({ length: 45 }), 4, () => gate.run(() => method.call())));
    expect(method.accepted).toHaveLength(45);
    // The burst's 429s teach one lesson: after the pause, no more 429s.
    expect(method.refused).toBeGreaterThanOrEqual(1);
    expect(method.refused).toBeLessThanOrEqual(4);
    expect(gate.stats.pausedMs).toBeGreaterThanOrEqual(200);
    expect(time.now()).toBeGreaterThanOrEqual(1000);
  });

  it('after the first lesson draws no more 429s, however late calls arrive or their answers come back', async () => {
    // Slack counts a call when it arrives: here 0–40 ms after it is sent, and answers 0–40 ms later.
    const random = seededRandom(40);
    const time = new VirtualTime();
    const method = limitedMethod(time, 25, () => random() * 40, () => random() * 40);
    const gate = new RateLimitGate(time);
    await time.run(mapLimited(Array.from({ length: 100 }), 8, () => gate.run(() => method.call())));
    const { accepted, refused } = method;
    expect(accepted).toHaveLength(100);
    // 8 workers in flight when the first 429 comes: each may get one; none after the pause.
    expect(refused).toBeLessThanOrEqual(8);
    expect(gate.stats.rateLimited).toBe(refused);
    const pausedUntil = gate.stats.pausedMs;
    expect(accepted.filter((t) => t > pausedUntil + 200).length).toBeGreaterThan(50);
    // Close to the full rate afterwards: 100 calls at 25/s is 4 s at best.
    expect(time.now()).toBeLessThan(6_500);
  });

  it('once it knows the rate, callers that start together never take more places than the rate leaves', async () => {
    const time = new VirtualTime();
    const method = limitedMethod(time, 10);
    const gate = new RateLimitGate(time);
    // The lesson: a burst draws the first 429s and teaches 10 a second.
    await time.run(mapLimited(Array.from({ length: 12 }), 12, () => gate.run(() => method.call())));
    const refusedAfterLesson = method.refused;
    await time.run(time.sleep(1_100));
    // 30 callers handed over in one go (as a claimed batch is), each call taking a while.
    const slow = async () => {
      await method.call();
      await time.sleep(50);
    };
    await time.run(Promise.all(Array.from({ length: 30 }, () => gate.run(slow))));
    expect(method.refused).toBe(refusedAfterLesson);
    expect(method.accepted).toHaveLength(42);
  });

  it('gives up after its attempts and rethrows what is not a rate limit', async () => {
    const gate = new RateLimitGate();
    await expect(gate.run(() => Promise.reject(new SlackRateLimitedError('x', 1)), 2)).rejects.toBeInstanceOf(SlackRateLimitedError);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('never runs more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    await mapLimited(Array.from({ length: 30 }, (_, i) => i), 3, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    });
    expect(peak).toBe(3);
  });
});

describe('pacing Slack calls, in virtual time', () => {
  /** `calls` posts through one gate with `workers` at a time against a fake Slack allowing `perSecond`. */
  async function pass(options: { calls: number; workers: number; perSecond: number; uplinkMs: () => number; downlinkMs: () => number; setUp?: (time: VirtualTime, slack: FakeSlackMethod) => void }) {
    const time = new VirtualTime();
    const slack = new FakeSlackMethod(time, { perSecond: options.perSecond, uplinkMs: options.uplinkMs, downlinkMs: options.downlinkMs });
    options.setUp?.(time, slack);
    const gate = new RateLimitGate(time);
    const refusedAfterLesson = () => slack.refusedAt.filter((t) => t > gate.stats.pausedMs + 2_000).length;
    await time.run(mapLimited(Array.from({ length: options.calls }), options.workers, () => gate.run(() => slack.call())));
    return { time, slack, gate, seconds: time.now() / 1000, refusedAfterLesson: refusedAfterLesson() };
  }

  const jitter = (random: () => number, low: number, high: number) => () => low + random() * (high - low);

  it('with jittered round trips draws no 429 after its first lesson and keeps ≥ 90 % of the allowed rate', async () => {
    const random = seededRandom(14);
    const { slack, gate, seconds, refusedAfterLesson } = await pass({ calls: 3_000, workers: 8, perSecond: 100, uplinkMs: jitter(random, 1, 40), downlinkMs: jitter(random, 1, 40) });
    expect(slack.accepted).toHaveLength(3_000);
    expect(slack.refused).toBeGreaterThanOrEqual(1);
    expect(slack.refused).toBeLessThanOrEqual(8);
    expect(refusedAfterLesson).toBe(0);
    expect(gate.stats.rateLimited).toBe(slack.refused);
    expect(slack.busiestSecond()).toBeLessThanOrEqual(100);
    expect(3_000 / seconds).toBeGreaterThanOrEqual(90);
    // One lesson, one below the limit it found, recorded for the pass report.
    expect(gate.stats.rates).toHaveLength(1);
    expect(gate.stats.rates[0]).toMatchObject({ cause: 'lesson', perSecond: 99 });
  });

  it('with 300 ms round trips keeps ≥ 95 % of the allowed rate', async () => {
    const random = seededRandom(300);
    const { slack, seconds, refusedAfterLesson } = await pass({ calls: 6_000, workers: 64, perSecond: 100, uplinkMs: jitter(random, 140, 160), downlinkMs: jitter(random, 140, 160) });
    expect(slack.accepted).toHaveLength(6_000);
    expect(refusedAfterLesson).toBe(0);
    expect(6_000 / seconds).toBeGreaterThanOrEqual(95);
  });

  it('an event loop held for a while does not let the calls that queued up burst past the limit', async () => {
    const random = seededRandom(7);
    const { slack, refusedAfterLesson } = await pass({
      calls: 3_000,
      workers: 16,
      perSecond: 100,
      uplinkMs: jitter(random, 1, 20),
      downlinkMs: jitter(random, 1, 20),
      setUp: (time) => {
        for (let at = 5_000; at < 30_000; at += 3_700) time.stall(at, 150 + (at % 600));
      },
    });
    expect(slack.accepted).toHaveLength(3_000);
    expect(refusedAfterLesson).toBe(0);
    expect(slack.busiestSecond()).toBeLessThanOrEqual(100);
  });

  it('a single low count (calls that reached Slack bunched) takes one call off, not the rate down to that count', async () => {
    const random = seededRandom(33);
    const { slack, gate } = await pass({
      calls: 6_000,
      workers: 16,
      perSecond: 100,
      uplinkMs: jitter(random, 1, 20),
      downlinkMs: jitter(random, 1, 20),
      // For a moment Slack lets fewer through: one 429 whose count of places held is about 90.
      setUp: (_time, slack) => {
        slack.changeLimitAt(10_000, 90);
        slack.changeLimitAt(10_300, 100);
      },
    });
    expect(slack.accepted).toHaveLength(6_000);
    const cut = gate.stats.rates.filter((r) => r.cause === 'lesson' && r.afterMs >= 10_000);
    expect(cut).toHaveLength(1);
    expect(cut[0]!.perSecond).toBe(gate.stats.rates[0]!.perSecond - 1);
    expect(slack.acceptedBetween(15_000, 45_000) / 30).toBeGreaterThanOrEqual(95);
  });

  it('follows a limit that drops mid-pass within a few lessons, and one that rises again by probing', async () => {
    const random = seededRandom(21);
    const { slack, gate } = await pass({
      calls: 25_000,
      workers: 16,
      perSecond: 50,
      uplinkMs: jitter(random, 1, 20),
      downlinkMs: jitter(random, 1, 20),
      setUp: (_time, slack) => {
        slack.changeLimitAt(20_000, 30);
        slack.changeLimitAt(120_000, 40);
      },
    });
    expect(slack.accepted).toHaveLength(25_000);
    // The drop: the 429s of the workers on their way in two lessons at most, then the new limit's pace.
    expect(slack.refusedAt.filter((t) => t >= 20_000 && t < 25_000).length).toBeLessThanOrEqual(2 * 16);
    expect(slack.refusedAt.filter((t) => t >= 25_000)).toHaveLength(0);
    expect(slack.acceptedBetween(30_000, 80_000) / 50).toBeGreaterThanOrEqual(27);
    // The rise: one call per second more after each quiet minute, no 429 on the way up to the new limit.
    expect(gate.currentRate).toBeGreaterThanOrEqual(38);
    // The report's history: a lesson at or below the new limit after the drop, then probes one call higher at a time.
    const lessonsAfterDrop = gate.stats.rates.filter((r) => r.cause === 'lesson' && r.afterMs >= 20_000);
    expect(lessonsAfterDrop.at(-1)!.perSecond).toBeLessThanOrEqual(30);
    const probes = gate.stats.rates.filter((r) => r.afterMs > lessonsAfterDrop.at(-1)!.afterMs);
    expect(probes.every((r) => r.cause === 'probe')).toBe(true);
    expect(probes.map((r) => r.perSecond)).toEqual(probes.map((_, i) => lessonsAfterDrop.at(-1)!.perSecond + i + 1));
  });
});
