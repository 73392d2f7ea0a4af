import { badRequest } from './http-error.js';

/**
 * Request bodies are bare. The seed's code samples wrap every body in its parameter name
 * (`{"checkIn": …}`, `{"metric": …}`, `{"snapshots": …}`, `{"snapshot": …}`), but public clients
 * (Gtmhub's own CLI) send the single check-in as the bare object, and the same holds for the
 * others. A body wrapped that way is refused with a 400 that says so.
 */
export function refuseWrappedBody(body: unknown, wrapper: string, expected: string): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, wrapper)) return;
  throw badRequest(
    `body must be the bare ${expected}, not wrapped in {"${wrapper}": …} (the seed's samples wrap bodies in the parameter name; the API does not)`,
  );
}
