/**
 * A TCP proxy (node:net) between the app and a server it depends on (PostgreSQL, Gtmhub) that can
 * be cut — every open connection destroyed, new ones refused — and restored, as a server restart
 * or an outage looks from the app. The real server is never touched.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CuttableProxy {
  port: number;
  /** Connections made through the proxy so far. */
  connections: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCuttableProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | undefined;
  const proxy: CuttableProxy = {
    get port() {
      return port;
    },
    connections: 0,
    async cut() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async restore() {
      server = listen();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as { port: number }).port;
    },
    close: () => proxy.cut(),
  };
  const listen = () =>
    createServer((client) => {
      proxy.connections++;
      const upstream = connect(targetPort, targetHost);
      sockets.add(client).add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    });
  await proxy.restore();
  return proxy;
}
