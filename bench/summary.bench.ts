/**
 * `npm run bench:summary` — channel summaries of 100, 1,000 and 10,000 key results (20 per person,
 * one channel with every owner in it), built and posted through the real services, the Gtmhub
 * emulator and the strict Slack emulator, all on 127.0.0.1 in this process.
 *
 * For each size: a cold run (empty store and caches: channel members are resolved once) and a
 * warm run (links, profiles and sessions cached), each reporting build time (scope resolution +
 * paged Gtmhub reads + judging), render time (blocks and splitting), post time, Gtmhub requests,
 * Slack lookups and messages posted. Times include the emulators' own work in this process, so
 * they are an upper bound for the app's share.
 *
 * Messages and blocks are reported for both layouts of the same summary: "text" (the layout before
 * charts, still the fallback) and "charts" (native charts and data tables, what is posted), with the
 * time each takes to render. The charts layout is posted, so the Slack emulator validates it.
 *
 * Options: --sizes 100,1000,10000   --page-size N (default: the builder's, 1000)
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { systemClock } from '../src/clock.js';
import { generateEmulatorData, startGtmhubEmulator } from '../src/emulator/gtmhub/index.js';
import { startSlackEmulator } from '../src/emulator/slack/index.js';
import { GtmhubClient } from '../src/gtmhub/client.js';
import { createLogger } from '../src/logger.js';
import { KeyResultService } from '../src/services/key-results.js';
import { PeopleService } from '../src/services/people/people-service.js';
import { SummaryBuilder } from '../src/services/summaries/build.js';
import { summaryMessages, messageChars } from '../src/slack/blocks/summary-message.js';
import { summaryChartMessages } from '../src/slack/blocks/summary-chart-message.js';
import { tableChars, type DataTableBlock } from '../src/slack/blocks/chart-types.js';
import { SlackGateway } from '../src/slack/gateway/slack-gateway.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { recordGoals, type GoalResult } from './support/goals.js';

const METRICS_PER_PERSON = 20;
const CHANNEL = 'CBENCH001';
const BOT_TOKEN = 'xoxb-bench';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

interface RunFigures {
  keyResults: number;
  buildMs: number;
  renderMs: number;
  postMs: number;
  gtmhubRequests: number;
  slackLookups: number;
  messages: number;
  maxBlocks: number;
  maxChars: number;
  text: { messages: number; blocks: number; maxBlocks: number; renderMs: number };
  charts: { messages: number; blocks: number; maxBlocks: number; maxTableChars: number; renderMs: number };
}

async function benchSize(size: number, pageSize: number | undefined): Promise<{ cold: RunFigures; warm: RunFigures }> {
  const people = Math.ceil(size / METRICS_PER_PERSON);
  const data = generateEmulatorData({ people, metricsPerPerson: METRICS_PER_PERSON, seed: 1 });
  data.metrics = data.metrics.slice(0, size);
  const gtmhubEmulator = await startGtmhubEmulator({ port: 0, data });
  const slackUsers = data.users.map((u, i) => ({ id: `UB${String(i + 1).padStart(7, '0')}`, name: `p${i + 1}`, email: u.email, tz: 'UTC' }));
  const slackEmulator = await startSlackEmulator({
    port: 0,
    signingSecret: 'bench',
    botToken: BOT_TOKEN,
    users: slackUsers,
    channels: [{ id: CHANNEL, name: 'bench', members: [...slackUsers.map((u) => u.id), 'UBOT0001'] }],
  });
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const gtmhub = new GtmhubClient({ baseUrl: gtmhubEmulator.url, token: gtmhubEmulator.adminToken, accountId: gtmhubEmulator.accountId });
  const store = SqliteStore.open(':memory:');
  const slack = SlackGateway.fromSettings({ token: BOT_TOKEN, slackApiUrl: slackEmulator.apiUrl, retries: 0 }, { clock: systemClock, logger });
  const peopleService = new PeopleService({ gtmhub, store, slack, clock: systemClock, logger, adminSlackUserIds: [] });
  const keyResults = new KeyResultService({ gtmhub, clock: systemClock, logger });
  const builder = new SummaryBuilder({ gtmhub, keyResults, people: peopleService, store, slack, clock: systemClock, logger, appUrl: 'https://app.gtmhub.com/', ...(pageSize ? { pageSize } : {}) });

  const run = async (): Promise<RunFigures> => {
    const gtmhubBefore = gtmhubEmulator.requests.length;
    const lookupsBefore = slackEmulator.calls.filter((c) => c.method !== 'chat.postMessage').length;
    const postsBefore = slackEmulator.callsTo('chat.postMessage').length;
    const end = new Date();
    let started = performance.now();
    const built = await builder.build({
      scope: { kind: 'channel' },
      channelId: CHANNEL,
      title: 'Benchmark summary',
      period: { start: new Date(end.getTime() - 7 * 24 * 3600_000), end, label: 'last 7 days' },
      baselineKey: 'bench',
    });
    const buildMs = performance.now() - started;
    if (!built.ok) throw new Error(built.reason);
    started = performance.now();
    const textMessages = summaryMessages(built.summary);
    const textRenderMs = performance.now() - started;
    started = performance.now();
    const messages = summaryChartMessages(built.summary);
    const renderMs = performance.now() - started;
    const tableCharsOf = (m: (typeof messages)[number]) =>
      m.blocks.filter((b): b is DataTableBlock => b.type === 'data_table').reduce((n, t) => n + tableChars(t), 0);
    started = performance.now();
    await slack.postSummary(CHANNEL, built.summary);
    const postMs = performance.now() - started;
    await store.replaceSummaryBaseline('bench', built.baseline, built.summary.generatedAt);
    const posts = slackEmulator.callsTo('chat.postMessage').slice(postsBefore);
    if (posts.some((c) => !c.ok)) throw new Error(`Slack refused a message: ${posts.find((c) => !c.ok)?.error}`);
    return {
      keyResults: built.summary.total,
      buildMs,
      renderMs,
      postMs,
      gtmhubRequests: gtmhubEmulator.requests.length - gtmhubBefore,
      slackLookups: slackEmulator.calls.filter((c) => c.method !== 'chat.postMessage').length - lookupsBefore,
      messages: posts.length,
      maxBlocks: Math.max(...messages.map((m) => m.blocks.length)),
      maxChars: Math.max(...messages.map((m) => messageChars(m.blocks))),
      text: {
        messages: textMessages.length,
        blocks: textMessages.reduce((n, m) => n + m.blocks.length, 0),
        maxBlocks: Math.max(...textMessages.map((m) => m.blocks.length)),
        renderMs: textRenderMs,
      },
      charts: {
        messages: messages.length,
        blocks: messages.reduce((n, m) => n + m.blocks.length, 0),
        maxBlocks: Math.max(...messages.map((m) => m.blocks.length)),
        maxTableChars: Math.max(...messages.map(tableCharsOf)),
        renderMs,
      },
    };
  };

  try {
    const cold = await run();
    const warm = await run();
    return { cold, warm };
  } finally {
    await store.close();
    await Promise.all([slackEmulator.close(), gtmhubEmulator.close()]);
  }
}

async function main(): Promise<void> {
  const sizes = option('sizes', '100,1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const pageSizeOption = option('page-size', '');
  const pageSize = pageSizeOption ? Number(pageSizeOption) : undefined;
  console.log(`Channel summaries: ${METRICS_PER_PERSON} key results per person, every owner in the channel, page size ${pageSize ?? 'the builder default (1000)'}, Node ${process.version}\n`);
  const header = ['key results', 'run', 'build ms', 'render ms', 'post ms', 'Gtmhub req', 'Slack lookups', 'messages', 'max blocks', 'max chars'];
  const rows: string[][] = [];
  const goals: GoalResult[] = [];
  const layouts: Array<[number, RunFigures]> = [];
  for (const size of sizes) {
    const { cold, warm } = await benchSize(size, pageSize);
    if (size === 10_000) {
      goals.push({ goal: '5 summary of 10k key results, cold build', target: '≤ 300 ms', measured: `${cold.buildMs.toFixed(0)} ms (warm ${warm.buildMs.toFixed(0)} ms)`, met: cold.buildMs <= 300 });
      goals.push({
        goal: '5 summary of 10k key results, Slack lookups',
        target: 'only cold (members once), none warm',
        measured: `cold ${cold.slackLookups}, warm ${warm.slackLookups}; Gtmhub requests cold ${cold.gtmhubRequests}, warm ${warm.gtmhubRequests}`,
        met: warm.slackLookups === 0 && cold.slackLookups <= 3,
      });
    }
    layouts.push([warm.keyResults, warm]);
    for (const [name, f] of [['cold', cold], ['warm', warm]] as const) {
      rows.push([
        String(f.keyResults),
        name,
        f.buildMs.toFixed(0),
        f.renderMs.toFixed(1),
        f.postMs.toFixed(0),
        String(f.gtmhubRequests),
        String(f.slackLookups),
        String(f.messages),
        String(f.maxBlocks),
        String(f.maxChars),
      ]);
    }
  }
  printTable(header, rows);
  console.log('\nMessages and blocks per summary (warm run), before (text layout) and after (charts and data tables):\n');
  printTable(
    ['key results', 'text msgs', 'text blocks', 'text max blocks', 'text render ms', 'chart msgs', 'chart blocks', 'chart max blocks', 'max table chars', 'chart render ms'],
    layouts.map(([size, f]) => [
      String(size),
      String(f.text.messages),
      String(f.text.blocks),
      String(f.text.maxBlocks),
      f.text.renderMs.toFixed(1),
      String(f.charts.messages),
      String(f.charts.blocks),
      String(f.charts.maxBlocks),
      String(f.charts.maxTableChars),
      f.charts.renderMs.toFixed(1),
    ]),
  );
  console.log(
    '\nCold: channel members are resolved once (users.list pages past 20 unknown members, users.info below; Gtmhub users in batches of 40 emails);' +
      ' warm: links, profiles, members and sessions come from the store and caches.' +
      '\nGtmhub requests = ceil(key results / page size) per owner chunk of 100 + sessions + user batches; no call per key result.' +
      '\nPosting is bounded by Slack (about one message per second per channel in production; the emulator does not throttle).',
  );
  if (goals.length > 0) recordGoals('summary', goals);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
