import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerScript = fileURLToPath(new URL('./claim-worker.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the worker has opened the store. */
  ready: Promise<void>;
  /** Tells the worker to start claiming. */
  go(): void;
  /** Resolves with the ids the worker claimed. */
  claimed: Promise<number[]>;
}

/** Starts claim-worker.ts in its own Node process (see that file for the modes). */
export function startWorker(databaseUrl: string, now: Date, mode: 'batch' | 'each' | 'hang' | 'stale', ...args: (string | number)[]): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, databaseUrl, now.toISOString(), mode, ...args.map(String)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      lines.push(stdout.slice(0, newline));
      stdout = stdout.slice(newline + 1);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  const nextLine = (index: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = lines[index];
        if (line !== undefined) resolve(line);
        else waiters.push(check);
      };
      child.once('exit', (code, signal) => {
        if (lines[index] === undefined) reject(new Error(`worker exited (${code ?? signal}) before line ${index}: ${stderr}`));
      });
      check();
    });
  return {
    child,
    ready: nextLine(0).then((line) => {
      if (line !== 'ready') throw new Error(`worker said ${line}: ${stderr}`);
    }),
    go: () => child.stdin.write('go\n'),
    claimed: nextLine(mode === 'stale' ? 2 : 1).then((line) => JSON.parse(line) as number[]),
  };
}
