/**
 * The app's HTTP server keeps an idle connection open past Node's 5 s default, so Slack (or a load
 * balancer) sends the next request on it instead of opening a new one — tested on a raw socket to
 * the real server on 127.0.0.1.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_CONNECTION_MS } from '../../src/slack/idle-connections.js';
import { startHarness, type Harness } from '../support/harness.js';

const NODE_DEFAULT_KEEP_ALIVE_MS = 5_000;

/** Sends one GET /healthz on the socket and resolves with the raw response once it is complete (sized or chunked). */
function healthCheck(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const headerEnd = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received);
      const complete = length ? received.length >= headerEnd + 4 + Number(length[1]) : received.endsWith('\r\n0\r\n\r\n');
      if (headerEnd >= 0 && complete) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(received);
      }
    };
    const onClose = () => reject(new Error(`the server closed the connection (received so far: ${JSON.stringify(received)})`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
}

describe('idle connections to the app', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('announces the longer idle time and serves a second request after a pause longer than Node’s default', async () => {
    const socket = connect(harness.server.port!, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    try {
      const first = await healthCheck(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200 /);
      expect(first).toMatch(new RegExp(`keep-alive: timeout=${IDLE_CONNECTION_MS / 1000}`, 'i'));

      await new Promise((resolve) => setTimeout(resolve, NODE_DEFAULT_KEEP_ALIVE_MS + 800));
      expect(socket.destroyed).toBe(false);
      const second = await healthCheck(socket);
      expect(second).toMatch(/^HTTP\/1\.1 200 /);
      expect(second).toContain('{"ok":true}');
    } finally {
      socket.destroy();
    }
  }, 20_000);
});
