/**
 * Keeps the Gtmhub emulator's account in a JSON file next to the sandbox database, so check-ins
 * survive a restart just like the app's own data does (until "reset").
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorData, GtmhubEmulator } from '../emulator/gtmhub/index.js';

export function loadGtmhubData(file: string): EmulatorData | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as EmulatorData;
    return Array.isArray(data.users) && Array.isArray(data.metrics) ? data : undefined;
  } catch {
    return undefined;
  }
}

export function saveGtmhubData(file: string, data: EmulatorData): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(data));
  renameSync(temporary, file);
}

/**
 * Saves the emulator's state after requests that may have changed it. The emulator logs every
 * request; the sandbox is the only reader of that log, so it empties it as it goes (a sandbox left
 * running for days would otherwise keep every request in memory).
 */
export function persistGtmhubChanges(emulator: GtmhubEmulator, file: string, intervalMs = 500): { flush(): void; stop(): void } {
  const flush = () => {
    const writes = emulator.requests.some((r) => r.method !== 'GET' && r.status < 300);
    emulator.requests.length = 0;
    if (writes) saveGtmhubData(file, emulator.state);
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();
  return {
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
