/**
 * API throughput: `clients` concurrent clients, sharing one keep-alive agent of `clients` connections, POST batches
 * of events to /v1/events for warm-up + measured seconds. Only requests that complete inside the measured window
 * count. Any answer other than 202 aborts the run with that answer.
 */
import http from 'node:http';
import type { BenchEvent, Filler } from './events';
import { EventFactory } from './events';
import { now } from '../lib/stats';

export interface ApiLoadOptions {
  url: string;
  apiKey: string;
  runId: string;
  clients: number;
  batch: number;
  eventBytes: number;
  warmupSeconds: number;
  seconds: number;
  /** Called when the measured window opens and closes (e.g. to read the service's CPU time). */
  onWindow?: (edge: 'start' | 'end') => void | Promise<void>;
  /** How the events' filler is written (events.ts). Default: repeated. */
  filler?: Filler;
}

export interface ApiLoadResult {
  /** Events the service accepted in requests that completed inside the measured window. */
  accepted: number;
  /** Events the service accepted over the whole run, warm-up and the requests finishing after the window included. */
  acceptedTotal: number;
  requests: number;
  /** Length of the measured window in seconds. */
  seconds: number;
  /** Per-request latencies (ms) of the measured requests. */
  latenciesMs: number[];
  /** Request body size (bytes) of one batch. */
  bodyBytes: number;
  /** One event that was sent inside the window, to check the stored row against the raw writer's row. */
  sample: BenchEvent | undefined;
}

interface Response {
  status: number;
  body: string;
}

function post(agent: http.Agent, url: URL, apiKey: string, body: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': 'auditdrain-bench/1.0',
        },
        timeout: 120_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out after 120 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runApiLoad(options: ApiLoadOptions): Promise<ApiLoadResult> {
  const endpoint = new URL('/v1/events', options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const start = now();
  const windowStart = start + options.warmupSeconds;
  const windowEnd = windowStart + options.seconds;
  const result: ApiLoadResult = { accepted: 0, acceptedTotal: 0, requests: 0, seconds: options.seconds, latenciesMs: [], bodyBytes: 0, sample: undefined };
  let failed: Error | undefined;

  const client = async (index: number) => {
    const factory = new EventFactory(`bench-${options.runId}-c${index}`, options.eventBytes, options.filler);
    let next = 0;
    while (!failed && now() < windowEnd) {
      const { events, body: text } = factory.batch(next, options.batch, new Date().toISOString());
      next += options.batch;
      const body = Buffer.from(text, 'utf8');
      result.bodyBytes = body.length;
      const sent = now();
      let response: Response;
      try {
        response = await post(agent, endpoint, options.apiKey, body);
      } catch (err) {
        failed ??= new Error(`POST /v1/events failed: ${(err as Error).message}`);
        return;
      }
      const done = now();
      if (response.status !== 202) {
        failed ??= new Error(`POST /v1/events answered ${response.status}, not 202: ${response.body.slice(0, 2000)}`);
        return;
      }
      const { accepted } = JSON.parse(response.body) as { accepted: number };
      result.acceptedTotal += accepted;
      // Throughput counts the requests that complete inside the window, whenever they were sent.
      if (done >= windowStart && done <= windowEnd) {
        result.accepted += accepted;
        result.requests += 1;
        result.latenciesMs.push((done - sent) * 1000);
        result.sample ??= events[events.length >> 1];
      }
    }
  };

  const observed: Promise<void>[] = [];
  const edge = (which: 'start' | 'end') => () => observed.push(Promise.resolve(options.onWindow?.(which)));
  const edges = [
    setTimeout(edge('start'), Math.max(0, (windowStart - now()) * 1000)),
    setTimeout(edge('end'), Math.max(0, (windowEnd - now()) * 1000)),
  ];
  try {
    await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  } finally {
    for (const t of edges) clearTimeout(t);
    agent.destroy();
  }
  await Promise.all(observed);
  if (failed) throw failed;
  return result;
}
