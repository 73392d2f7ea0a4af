import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';

export interface ReceivedRequest {
  contentType: string;
  rawBody: string;
  /** Form fields (slash commands), the decoded `payload` (interactivity) or the JSON body (events). */
  body: Record<string, unknown>;
}

export type Reply = { status?: number; body?: unknown; delayMs?: number };

/**
 * A stand-in for the app's request URL: verifies every request's signature with Bolt's own check, records it and
 * answers with whatever the test queued (empty 200 by default).
 */
export async function startRecordingApp(signingSecret: string) {
  const received: ReceivedRequest[] = [];
  const replies: Reply[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      try {
        verifySlackRequest({
          signingSecret,
          body: rawBody,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
      } catch {
        res.writeHead(401).end();
        return;
      }
      const contentType = String(req.headers['content-type']);
      let body: Record<string, unknown>;
      if (contentType === 'application/x-www-form-urlencoded') {
        const form = Object.fromEntries(new URLSearchParams(rawBody));
        body = typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
      } else {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      }
      received.push({ contentType, rawBody, body });
      const reply = replies.shift() ?? {};
      const send = () => {
        if (reply.body === undefined) res.writeHead(reply.status ?? 200).end();
        else res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    received,
    last: () => received[received.length - 1] as ReceivedRequest,
    reply: (reply: Reply) => replies.push(reply),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
