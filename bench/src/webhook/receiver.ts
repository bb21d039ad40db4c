/**
 * The receiving end of the webhook benchmark: a loopback HTTP server that answers 200 at once and notes when each
 * `webhook-id` (or, for the bare loop, `x-bench-id`) first arrived.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { now } from '../lib/stats';

export interface BenchReceiver {
  url: string;
  /** Requests received so far. */
  count(): number;
  /** When (lib/stats `now()`, seconds) each id first arrived. */
  arrivals: Map<string, number>;
  close(): Promise<void>;
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  const arrivals = new Map<string, number>();
  let count = 0;
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      count += 1;
      const id = String(req.headers['webhook-id'] ?? req.headers['x-bench-id'] ?? '');
      if (!arrivals.has(id)) arrivals.set(id, now());
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => count,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
