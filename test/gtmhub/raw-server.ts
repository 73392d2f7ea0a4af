import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bare node:http server on 127.0.0.1 for failures the emulator cannot produce (reset connections, bad bodies). */
export interface RawServer {
  /** API base in the client's format (`http://127.0.0.1:P/api`). */
  url: string;
  requests: Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

export async function startRawServer(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<RawServer> {
  const requests: RawServer['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '' });
      handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens (a port that was just released). */
export async function refusedUrl(): Promise<string> {
  const server = await startRawServer(() => undefined);
  const url = server.url;
  await server.close();
  return url;
}
