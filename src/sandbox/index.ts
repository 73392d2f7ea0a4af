/**
 * `startSandbox` runs the whole sandbox in this process: emulators, the app, and the browser UI.
 * `npm run sandbox` (main.ts) uses it with fixed ports; the browser tests use it with port 0.
 */
import { startSandboxRuntime, type SandboxPorts, type SandboxRuntime, type SandboxRuntimeOptions } from './sandbox.js';
import { startUiServer } from './ui-server.js';

export type { SandboxPorts, SandboxRuntime } from './sandbox.js';

export interface SandboxOptions extends Omit<SandboxRuntimeOptions, 'ports'> {
  /** 0 = any free port (the default for each). */
  ports?: Partial<SandboxPorts>;
}

export interface Sandbox {
  /** The one URL to open. */
  url: string;
  runtime: SandboxRuntime;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { ui, ...ports } = options.ports ?? {};
  const runtime = await startSandboxRuntime({ ...options, ports });
  try {
    const server = await startUiServer(runtime, { port: ui ?? 0, ...(options.host ? { host: options.host } : {}) });
    return {
      url: server.url,
      runtime,
      async close() {
        await server.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
