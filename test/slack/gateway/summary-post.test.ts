/** The gateway posts a summary with charts to the strict Slack emulator over HTTP, and falls back to the text layout when Slack refuses them. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/slack/index.js';
import { createLogger } from '../../../src/logger.js';
import { SlackGateway } from '../../../src/slack/gateway/slack-gateway.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { generatedSummary } from '../blocks/summary-fixture.js';

const BOT_TOKEN = 'xoxb-summary';
const CHANNEL = 'CTEAM0001';
let emulator: SlackEmulator | undefined;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  await emulator?.close();
  proxy = emulator = undefined;
});

async function gateway(): Promise<{ slack: SlackGateway; emulator: SlackEmulator; proxy: FaultProxy }> {
  emulator = await startSlackEmulator({ port: 0, signingSecret: 's', botToken: BOT_TOKEN, users: [], channels: [{ id: CHANNEL, name: 'team', members: ['UBOT0001'] }] });
  proxy = await startFaultProxy(emulator.apiUrl);
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: proxy.url, retries: 0 }, { clock: fixedClock('2026-11-30T08:00:00Z'), logger });
  return { slack, emulator, proxy };
}

const typesOf = (blocks: unknown) => (blocks as Array<{ type: string }>).map((b) => b.type);

describe('posting a summary', () => {
  it('posts charts and tables that Slack accepts, the rest of the key results in the thread', async () => {
    const { slack, emulator } = await gateway();
    const posted = await slack.postSummary(CHANNEL, generatedSummary(1000));
    const messages = emulator.messages(CHANNEL);
    expect(posted.messages).toBe(messages.length);
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(emulator.callsTo('chat.postMessage').every((c) => c.ok)).toBe(true);
    expect(typesOf(messages[0]!.blocks).filter((t) => t === 'data_visualization')).toHaveLength(2);
    for (const reply of messages.slice(1)) expect(reply.threadTs).toBe(posted.ts);
  });

  it('posts the text layout when Slack refuses the first message with invalid_blocks', async () => {
    const { slack, emulator, proxy } = await gateway();
    proxy.inject({
      method: 'POST',
      path: /chat\.postMessage/,
      fault: { kind: 'status', status: 200, body: { ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] unsupported block type `data_visualization` [json-pointer:/blocks/2/type]'] } } },
    });
    const posted = await slack.postSummary(CHANNEL, generatedSummary(30));
    const messages = emulator.messages(CHANNEL);
    expect(posted.messages).toBe(messages.length);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.flatMap((m) => typesOf(m.blocks))).not.toContain('data_visualization');
    expect(messages.flatMap((m) => typesOf(m.blocks))).not.toContain('data_table');
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Key result 1 of person 1');
  });
});
