import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerOptions } from '../../../src/server.js';

const mainScript = fileURLToPath(new URL('./replica-main.ts', import.meta.url));

/** A replica of the app in a child process (replica-main.ts), killable with SIGKILL. */
export class ReplicaProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly exited: Promise<number | null>;
  /** Its log lines (JSON), for failure messages. */
  readonly output: string[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly port: number,
    readonly replicaId: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (message: { id?: number; result?: unknown }) => {
      if (message.id !== undefined) {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      }
    });
  }

  static async start(name: string, env: Record<string, string>, options: ServerOptions = {}, clockOffsetMs = 0): Promise<ReplicaProcess> {
    const child = fork(mainScript, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, REPLICA_NAME: name, REPLICA_SERVER_OPTIONS: JSON.stringify(options), REPLICA_CLOCK_OFFSET_MS: String(clockOffsetMs) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const output: string[] = [];
    const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const ready = await new Promise<{ port: number; replicaId: string }>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`replica ${name} exited (${code}) before it was ready:\n${output.join('\n')}`));
      child.once('exit', onExit);
      child.once('message', (message: { type: string; port: number; replicaId: string }) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
    const replica = new ReplicaProcess(name, child, ready.port, ready.replicaId);
    replica.output.push(...output);
    child.stdout!.on('data', (chunk: Buffer) => replica.output.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (chunk: Buffer) => replica.output.push(...chunk.toString().split('\n').filter(Boolean)));
    return replica;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/slack/events`;
  }

  private request(message: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...message, id });
    });
  }

  /** Moves this replica's clock (the services' clock; job leases run on the wall clock). */
  advance(ms: number): Promise<unknown> {
    return this.request({ type: 'advance', ms });
  }

  runJob(name: string): Promise<unknown> {
    return this.request({ type: 'runJob', name });
  }

  /** Round trips and pool waits since the last reset (with REPLICA_COUNT_QUERIES=1). */
  stats(reset = false): Promise<{ queries: number; checkouts: number; poolWaits: number }> {
    return this.request({ type: 'stats', reset }) as Promise<{ queries: number; checkouts: number; poolWaits: number }>;
  }

  /** kill -9: no shutdown, no lease release, in-flight work cut off. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    await Promise.race([this.request({ type: 'stop' }), this.exited]);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
