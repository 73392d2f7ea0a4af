import type { Server } from 'node:http';

/**
 * How long the HTTP server keeps an idle connection from Slack (or from a load balancer in front of
 * the replicas) open for the next request. Node closes it after 5 s, so a command after a quiet
 * spell arrives on a new connection, and while the app is busy a new connection waits in the
 * kernel's accept queue far longer than a request on an open one waits to be read (bench:ack: up to
 * half a second against ~0.15 s). 65 s also outlasts the 60 s idle timeout common to load
 * balancers, which would otherwise reuse a connection Node has just closed and answer 502.
 */
export const IDLE_CONNECTION_MS = 65_000;

export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  // Node's guidance: allow a kept connection's next request headers longer than the idle wait itself.
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
}
