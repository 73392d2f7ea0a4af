import type { RespondArguments, RespondFn } from '@slack/bolt';
import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/services/errors.js';
import { InFlightWork } from '../../../src/slack/in-flight.js';
import type { ListenerContext } from '../../../src/slack/listeners/context.js';
import { ackThenRun, afterPendingRequests, replacesMessage, repliesEphemerally, tellNobody } from '../../../src/slack/listeners/respond.js';

function fakeContext() {
  const logged: { level: string; message: string }[] = [];
  const log = (level: string) => (_fields: unknown, message: string) => logged.push({ level, message });
  const logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const ctx = { logger, inFlight: new InFlightWork() } as unknown as ListenerContext;
  return { ctx, logged };
}

function recordingRespond() {
  const sent: RespondArguments[] = [];
  const respond = (async (message: RespondArguments) => {
    sent.push(message);
  }) as unknown as RespondFn;
  return { respond, sent };
}

describe('ackThenRun', () => {
  it('acks before the work and tells nothing when the work succeeds', async () => {
    const { ctx, logged } = fakeContext();
    const { respond, sent } = recordingRespond();
    const order: string[] = [];
    await ackThenRun(async () => void order.push('ack'), ctx, repliesEphemerally(respond, 'do it'), async () => order.push('work'));
    expect(order).toEqual(['ack', 'work']);
    expect(sent).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('tells a failure written for people ephemerally and logs it at info', async () => {
    const { ctx, logged } = fakeContext();
    const { respond, sent } = recordingRespond();
    await ackThenRun(async () => {}, ctx, repliesEphemerally(respond, 'skip that key result'), async () => {
      throw new NotFoundError('That button does not belong to a reminder I know.');
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(sent[0]!.text).toBe(':warning: I could not skip that key result. That button does not belong to a reminder I know.');
    expect(logged).toEqual([{ level: 'info', message: 'could not skip that key result' }]);
  });

  it('tells any other failure in plain words, never its message, and logs it at error (or the level asked for)', async () => {
    const { ctx, logged } = fakeContext();
    const { respond, sent } = recordingRespond();
    await ackThenRun(async () => {}, ctx, replacesMessage(respond, 'post a summary', 'The summary was not posted.'), async () => {
      throw new Error('SQLITE_BUSY at /secret/path');
    });
    expect(sent[0]).toMatchObject({ replace_original: true });
    expect(sent[0]!.text).toBe(':warning: The summary was not posted. Something went wrong on our side; it has been logged. Please try again.');
    expect(logged).toEqual([{ level: 'error', message: 'could not post a summary' }]);

    await ackThenRun(async () => {}, ctx, { what: 'preview the new progress', level: 'info', tell: tellNobody }, async () => {
      throw new Error('boom');
    });
    expect(logged.at(-1)).toEqual({ level: 'info', message: 'could not preview the new progress' });
  });

  it('logs, and does not throw, when the failure cannot be told either', async () => {
    const { ctx, logged } = fakeContext();
    const failingRespond = (async () => {
      throw new Error('response_url expired');
    }) as unknown as RespondFn;
    await ackThenRun(async () => {}, ctx, repliesEphemerally(failingRespond, 'do it'), async () => {
      throw new Error('boom');
    });
    expect(logged.map((l) => l.level)).toEqual(['error', 'error']);
    expect(logged[1]!.message).toBe('could not tell the person about a failure');
  });
});

describe('afterPendingRequests', () => {
  it('lets what was already waiting in the event loop (another request) run first', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('another request'));
    const work = afterPendingRequests().then(() => order.push('deferred work'));
    await Promise.resolve();
    order.push('same turn');
    await work;
    expect(order).toEqual(['same turn', 'another request', 'deferred work']);
  });

  it('releases one waiter per turn, so a request arriving under a burst is read after one piece of work, not all of them', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    const [serverSide] = await accepted;
    try {
      let finished = 0;
      const busyMs = 5;
      const burst = Array.from({ length: 20 }, () =>
        afterPendingRequests().then(() => {
          const until = performance.now() + busyMs;
          while (performance.now() < until);
          finished++;
        }),
      );
      const seenAfter = new Promise<number>((resolve) => serverSide.once('data', () => resolve(finished)));
      client.write('a request');
      const finishedWhenRead = await seenAfter;
      await Promise.all(burst);
      expect(finished).toBe(20);
      expect(finishedWhenRead).toBeLessThanOrEqual(2);
    } finally {
      client.destroy();
      serverSide.destroy();
      server.close();
    }
  });
});
