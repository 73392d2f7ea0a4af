import { createHmac } from 'node:crypto';

export interface SlackSignature {
  signature: string;
  timestamp: string;
}

/** Slack's v0 request signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>`, hex, prefixed with `v0=`. */
export function signSlackRequest(signingSecret: string, body: string, timestampSeconds: number): SlackSignature {
  const timestamp = String(Math.floor(timestampSeconds));
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { signature: `v0=${digest}`, timestamp };
}
