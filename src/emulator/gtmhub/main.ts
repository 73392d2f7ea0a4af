/**
 * `npm run emulator [-- --port 4010] [--host 127.0.0.1] [--data file.json] [--now ISO] [--latency ms]`
 * (`--data` defaults to $GTMHUB_EMULATOR_DATA: a JSON file with a client's own account, ids and tokens)
 * `npm run emulator -- --print-demo-data > my-data.json`
 * Starts the Gtmhub emulator standalone and prints how to talk to it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoEmulatorData } from './demo-data.js';
import { startGtmhubEmulator } from './server.js';
import type { EmulatorData } from './types.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    now: { type: 'string' },
    latency: { type: 'string' },
    'print-demo-data': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`usage: npm run emulator -- [--port N (default $PORT or 4010)] [--host H] [--data file.json (default $GTMHUB_EMULATOR_DATA)] [--now ISO-date] [--latency ms]
       npm run emulator -- --print-demo-data > data.json`);
  process.exit(0);
}
if (values['print-demo-data']) {
  process.stdout.write(JSON.stringify(demoEmulatorData(), null, 2) + '\n');
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port "${values.port ?? process.env.PORT}"`);
  process.exit(2);
}
const dataFile = values.data ?? (process.env.GTMHUB_EMULATOR_DATA || undefined);
let data: EmulatorData | undefined;
if (dataFile) {
  try {
    data = JSON.parse(readFileSync(dataFile, 'utf8')) as EmulatorData;
  } catch (error) {
    console.error(`cannot read --data ${dataFile}: ${(error as Error).message}`);
    process.exit(2);
  }
}
let now: (() => Date) | undefined;
if (values.now) {
  const fixed = new Date(values.now);
  if (Number.isNaN(fixed.getTime())) {
    console.error(`invalid --now "${values.now}"`);
    process.exit(2);
  }
  // The clock starts at --now and then runs.
  const offset = fixed.getTime() - Date.now();
  now = () => new Date(Date.now() + offset);
}

const emulator = await startGtmhubEmulator({
  port,
  host: values.host ?? '127.0.0.1',
  ...(data ? { data } : {}),
  ...(now ? { now } : {}),
  ...(values.latency ? { faults: { latencyMs: Number(values.latency) } } : {}),
}).catch((error: unknown) => {
  console.error(`cannot start the emulator: ${(error as Error).message}`);
  process.exit(1);
});

const origin = emulator.url.replace(/\/api$/, '');
console.log(`Gtmhub emulator listening on ${emulator.url}
  GTMHUB_API_URL=${emulator.url}
  GTMHUB_ACCOUNT_ID=${emulator.accountId}
  GTMHUB_API_TOKEN=${emulator.adminToken}   (account admin)
  member token:  ${emulator.memberToken}
  data: ${dataFile ?? 'demo data'} — ${emulator.state.users.length} users, ${emulator.state.goals.length} goals, ${emulator.state.metrics.length} key results

Try the seed's own query:
  curl -G '${emulator.url}/v2/metrics' \\
    --data-urlencode 'fields=name,description' --data-urlencode 'sort=-name,dateCreated' \\
    --data-urlencode 'filter={name: {$in: ["sales", "marketing"]}}' \\
    -d skip=0 -d limit=10 -d formatting=plainText \\
    -H 'Authorization: Bearer ${emulator.adminToken}' -H 'gtmhub-accountId: ${emulator.accountId}'

Control: GET ${origin}/_emulator/state · POST ${origin}/_emulator/faults '{"latencyMs":200,"failureRate":0.1}' · POST ${origin}/_emulator/reset`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the emulator`);
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
