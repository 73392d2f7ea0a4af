/**
 * A server under benchmark in its own process: the parent forks a script with `--serve <role>`,
 * the child starts the server, samples its own memory and answers the parent over IPC. Keeping the
 * server in its own process keeps the load generator's and emulators' memory and event loop out
 * of its figures.
 *
 *   child:  if (servedRole()) await serveForParent(() => startMyServer());
 *   parent: const server = await ForkedServer.start<Info>(import.meta.url, 'app', env);
 *           await server.memory({ reset: true }); …load…; const { memory } = await server.stop();
 *
 * A target may also answer named calls (`ServedTarget.calls`, `ForkedServer.call`), for work the
 * parent starts in the child, such as a reminder pass.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MemorySampler, type MemoryPeaks } from './memory-sampler.js';

export interface ServedTarget<Info> {
  info: Info;
  /** Stops the server and finishes its work; what it returns is handed to the parent. */
  stop(): Promise<Record<string, unknown> | void>;
  /** Work the parent may ask for by name; what each returns (structured-cloneable) is handed back. */
  calls?: Record<string, (argument: unknown) => Promise<unknown>>;
}

/** How late the child's event loop ran timers (ms): a blocked loop delays every request it holds. */
export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
}

type ParentRequest = { id: number; type: 'memory'; reset: boolean } | { id: number; type: 'stop' } | { id: number; type: 'call'; name: string; argument: unknown };
type ChildReply<Info> =
  | { type: 'ready'; info: Info }
  | { type: 'failed'; error: string }
  | { id: number; type: 'answered'; result: unknown }
  | { id: number; type: 'call failed'; error: string }
  | { id: number; type: 'memory'; memory: MemoryPeaks; loopDelay: EventLoopDelay }
  | { id: number; type: 'stopped'; memory: MemoryPeaks; loopDelay: EventLoopDelay; cpuMs: number; details: Record<string, unknown> };

export interface StoppedServer {
  /** Memory over the window since the last reset, read before stopping. */
  memory: MemoryPeaks;
  /** Event-loop delay over the same window. */
  loopDelay: EventLoopDelay;
  /** CPU time (user + kernel) the process used over the same window: its work, whatever the machine's load. */
  cpuMs: number;
  details: Record<string, unknown>;
  /** False when the process had to be killed because something kept it alive after stopping. */
  exitedOnItsOwn: boolean;
  stopMs: number;
}

/** The role given after `--serve`, or undefined in the parent. */
export function servedRole(argv: readonly string[] = process.argv): string | undefined {
  const index = argv.indexOf('--serve');
  return index >= 0 ? argv[index + 1] : undefined;
}

/**
 * With BENCH_CPU_PROFILE_DIR set, the child profiles its CPU from each memory reset until it is
 * stopped and writes `<role>-<pid>.cpuprofile` there (open it in Chrome DevTools or speedscope).
 */
class OptionalCpuProfile {
  private session: Session | undefined;

  constructor(private readonly dir = process.env.BENCH_CPU_PROFILE_DIR) {}

  async restart(): Promise<void> {
    if (!this.dir) return;
    if (this.session) await this.session.post('Profiler.stop');
    else {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
    }
    await this.session.post('Profiler.start');
  }

  async write(role: string): Promise<void> {
    if (!this.dir || !this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    writeFileSync(join(this.dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    this.session.disconnect();
  }
}

/** Child side: start the server, then answer memory and stop requests until stopped. */
export async function serveForParent<Info>(start: () => Promise<ServedTarget<Info>>, sampleEveryMs = 50): Promise<void> {
  const send = (message: ChildReply<Info>) => process.send?.(message);
  const sampler = new MemorySampler(sampleEveryMs);
  const profile = new OptionalCpuProfile();
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  const loopDelay = (): EventLoopDelay => ({ p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
  let target: ServedTarget<Info>;
  try {
    target = await start();
  } catch (error) {
    send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
    return;
  }
  sampler.start();
  loop.enable();
  let cpuAtReset = process.cpuUsage();
  process.on('message', (request: ParentRequest) => {
    if (request.type === 'call') {
      const call = target.calls?.[request.name];
      const answer = call ? call(request.argument) : Promise.reject(new Error(`no call named ${request.name}`));
      void answer.then(
        (result) => send({ id: request.id, type: 'answered', result }),
        (error: unknown) => send({ id: request.id, type: 'call failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
      return;
    }
    if (request.type === 'memory') {
      send({ id: request.id, type: 'memory', memory: sampler.read(), loopDelay: loopDelay() });
      if (request.reset) {
        sampler.start();
        loop.reset();
        cpuAtReset = process.cpuUsage();
        void profile.restart();
      }
      return;
    }
    const memory = sampler.read();
    const delay = loopDelay();
    const cpu = process.cpuUsage(cpuAtReset);
    void target.stop().then(async (details) => {
      sampler.stop();
      loop.disable();
      await profile.write(servedRole() ?? 'server');
      send({ id: request.id, type: 'stopped', memory, loopDelay: delay, cpuMs: (cpu.user + cpu.system) / 1000, details: details ?? {} });
      // Only the IPC channel is left by design; anything else still open keeps the process alive.
      process.disconnect?.();
    });
  });
  send({ type: 'ready', info: target.info });
}

/** Parent side: a forked server process. */
export class ForkedServer<Info> {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ChildReply<Info>) => void>();
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly info: Info,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (reply: ChildReply<Info>) => {
      if ('id' in reply) {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      }
    });
  }

  /**
   * Forks `scriptUrl` (usually `import.meta.url`) with `--serve role` and waits until it is ready.
   * `execArgv`: the child's node options, by default this process's own (under tsx, its loader); a
   * script compiled to JavaScript runs on plain node with `[]` or the flags given.
   */
  static start<Info>(scriptUrl: string, role: string, env: Record<string, string | undefined> = process.env, execArgv: string[] = process.execArgv): Promise<ForkedServer<Info>> {
    const child = fork(fileURLToPath(scriptUrl), ['--serve', role], { execArgv, env, stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${role} process exited (${code}) before it was ready`));
      child.once('exit', onExit);
      child.once('message', (reply: ChildReply<Info>) => {
        child.off('exit', onExit);
        if (reply.type === 'ready') resolve(new ForkedServer(child, reply.info));
        else {
          child.kill();
          reject(new Error(`${role} process failed to start: ${reply.type === 'failed' ? reply.error : reply.type}`));
        }
      });
    });
  }

  private request(request: ParentRequest): Promise<ChildReply<Info>> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, resolve);
      this.child.send(request, (error) => error && reject(error));
    });
  }

  /** Runs the target's call `name` in the child and returns what it answered. */
  async call<Result>(name: string, argument?: unknown): Promise<Result> {
    const reply = await this.request({ id: this.nextId++, type: 'call', name, argument });
    if (reply.type === 'call failed') throw new Error(`${name} failed in the child: ${reply.error}`);
    if (reply.type !== 'answered') throw new Error(`unexpected reply ${reply.type}`);
    return reply.result as Result;
  }

  /** Memory since the last reset; with `reset`, a new window starts right after this reading. */
  async memory(options: { reset?: boolean } = {}): Promise<MemoryPeaks> {
    const reply = await this.request({ id: this.nextId++, type: 'memory', reset: options.reset ?? false });
    if (reply.type !== 'memory') throw new Error(`unexpected reply ${reply.type}`);
    return reply.memory;
  }

  /** Asks the server to stop, then waits up to `exitTimeoutMs` for the process to end by itself. */
  async stop(exitTimeoutMs = 30_000): Promise<StoppedServer> {
    const started = performance.now();
    const reply = await this.request({ id: this.nextId++, type: 'stop' });
    if (reply.type !== 'stopped') throw new Error(`unexpected reply ${reply.type}`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), exitTimeoutMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    return { memory: reply.memory, loopDelay: reply.loopDelay, cpuMs: reply.cpuMs, details: reply.details, exitedOnItsOwn: outcome !== 'timeout', stopMs: performance.now() - started };
  }
}
