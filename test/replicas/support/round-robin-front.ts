/**
 * One endpoint in front of the replicas, as a load balancer: each request goes to the next replica
 * in turn; a replica that refuses connections (killed) is skipped, as a health-checking balancer
 * would. `only(i)` sends everything to one replica until `roundRobin()`. node:http only.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FrontRoute {
  /** Index of the replica that answered. */
  replica: number;
  /** The Slack payload type (`view_submission`, `block_actions`, …) or `command`. */
  kind: string;
}

export interface RoundRobinFront {
  url: string;
  routes: FrontRoute[];
  only(index: number): void;
  roundRobin(): void;
  close(): Promise<void>;
}

function kindOf(body: string): string {
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  if (payload) return (JSON.parse(payload) as { type: string }).type;
  return form.get('command') ? 'command' : 'other';
}

export async function startRoundRobinFront(ports: () => readonly number[]): Promise<RoundRobinFront> {
  let next = 0;
  let pinned: number | null = null;
  const routes: FrontRoute[] = [];

  const forward = (target: number, req: IncomingMessage, body: Buffer, res: ServerResponse, triesLeft: number) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: ports()[target], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        routes.push({ replica: target, kind: kindOf(body.toString()) });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && triesLeft > 0 && pinned === null) forward((target + 1) % ports().length, req, body, res, triesLeft - 1);
      else if (!res.headersSent) res.writeHead(502).end(`front: ${error.message}`);
      else res.destroy();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = pinned ?? next++ % ports().length;
      forward(target, req, Buffer.concat(chunks), res, ports().length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    routes,
    only(index) {
      pinned = index;
    },
    roundRobin() {
      pinned = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
