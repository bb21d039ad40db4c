/**
 * Webhook benchmark: deliveries/s from the real service (a child process) to a loopback receiver, against the limit
 * of a bare HTTP client POSTing the same bodies with the same concurrency to the same receiver in the same run, and
 * the latency from ingest to receipt at a steady 500 events/s. SQLite only: the database is not what limits it.
 * Run it with `npm run bench -- webhook`.
 *
 * - **Throughput**: BURST_SECONDS × 3,000 events (the goal's rate) are ingested as fast as the API takes them;
 *   deliveries/s = events / (first POST → last event received). A warm-up burst of a tenth of that runs first.
 * - **Limit**: the same number of bodies (the same events' JSON) POSTed by a bare keep-alive client with the
 *   service's per-integration concurrency, each answered before the next is sent on that connection.
 * - **Latency**: 500 events/s for the measured seconds, 10 per request every 20 ms; each event's latency runs from
 *   its request being sent to its arrival at the receiver.
 */
import http from 'node:http';
import path from 'node:path';
import { EventFactory } from '../ingest/events';
import type { Benchmark, BenchmarkReport } from '../lib/benchmark';
import { eachDialect } from '../lib/dialects';
import type { BenchOptions } from '../lib/options';
import { startChildService } from '../lib/service';
import type { ChildService } from '../lib/service';
import { createDestination, deliveredEvents, sendEvents } from '../lib/service-api';
import { formatInt, formatMs, formatRatio, markdownTable, now, quantile } from '../lib/stats';
import { waitFor } from '../lib/wait';
import type { BenchReceiver } from './receiver';
import { startBenchReceiver } from './receiver';

const GOAL_DELIVERIES_PER_SECOND = 3_000;
const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 100;
/** The service's default per-integration concurrency (AUDITDRAIN_WEBHOOK_CONCURRENCY). */
const CONCURRENCY = 8;
const STEADY_RATE = 500;
const STEADY_BATCH = 10;
const TYPE = 'webhook_integration';

/** Ingests `count` events from `factory` in requests of `batch`, one client, as fast as the API answers. */
async function ingestBurst(service: ChildService, factory: EventFactory, first: number, count: number, batch: number): Promise<void> {
  for (let sent = 0; sent < count; sent += batch) {
    await sendEvents(service, factory.batch(first + sent, Math.min(batch, count - sent), new Date().toISOString()).body);
  }
}

interface Throughput {
  events: number;
  seconds: number;
}

async function serviceThroughput(service: ChildService, receiver: BenchReceiver, events: number, options: BenchOptions, runId: string): Promise<Throughput> {
  const factory = new EventFactory(`wh-${runId}`, options.eventBytes, 'text');
  const warmup = Math.ceil(events / 10);
  const base = await deliveredEvents(service, TYPE);
  await ingestBurst(service, factory, 0, warmup, options.batch);
  await waitFor('the warm-up deliveries', async () => (await deliveredEvents(service, TYPE)) >= base + warmup, 300_000);
  const started = now();
  const target = base + warmup + events;
  await ingestBurst(service, factory, warmup, events, options.batch);
  await waitFor('the measured deliveries', async () => (await deliveredEvents(service, TYPE)) >= target, 600_000);
  return { events, seconds: now() - started };
}

/** The limit: the same bodies, POSTed by `CONCURRENCY` keep-alive workers. */
async function bareLoop(receiver: BenchReceiver, events: number, options: BenchOptions, runId: string): Promise<Throughput> {
  const factory = new EventFactory(`bare-${runId}`, options.eventBytes, 'text');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(receiver.url);
  const post = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const body = Buffer.from(factory.event(n, new Date().toISOString()).json);
      const req = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'x-bench-id': String(n) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`bare loop: receiver answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const worker = async (limit: number) => {
    while (next < limit) await post(next++);
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(Math.ceil(events / 10))));
    const started = now();
    next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(events)));
    return { events, seconds: now() - started };
  } finally {
    agent.destroy();
  }
}

/** Latency from ingest to receipt at STEADY_RATE events/s for `seconds`. */
async function steadyLatency(service: ChildService, receiver: BenchReceiver, seconds: number, options: BenchOptions, runId: string): Promise<number[]> {
  const factory = new EventFactory(`steady-${runId}`, options.eventBytes, 'text');
  const sentAt = new Map<string, number>();
  const interval = (STEADY_BATCH / STEADY_RATE) * 1000;
  const requests = Math.round((seconds * STEADY_RATE) / STEADY_BATCH);
  const started = now();
  const inFlight: Promise<number>[] = [];
  for (let i = 0; i < requests; i++) {
    const due = started + (i * interval) / 1000;
    const wait = (due - now()) * 1000;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { events, body } = factory.batch(i * STEADY_BATCH, STEADY_BATCH, new Date().toISOString());
    const at = now();
    for (const e of events) sentAt.set(e.id, at);
    inFlight.push(sendEvents(service, body));
  }
  await Promise.all(inFlight);
  await waitFor('the steady-rate deliveries', () => [...sentAt.keys()].every((id) => receiver.arrivals.has(id)), 120_000);
  return [...sentAt].map(([id, at]) => (receiver.arrivals.get(id)! - at) * 1000);
}

async function runWebhook(options: BenchOptions, progress: (line: string) => void): Promise<BenchmarkReport> {
  const runId = Date.now().toString(36);
  const events = Math.round(options.seconds * GOAL_DELIVERIES_PER_SECOND);
  const [result] = await eachDialect(['sqlite'], progress, async (target) => {
    const receiver = await startBenchReceiver();
    try {
      progress(`bare loop: ${formatInt(events)} POSTs, ${CONCURRENCY} keep-alive connections`);
      const bare = await bareLoop(receiver, events, options, runId);
      progress(`  ${formatInt(bare.events / bare.seconds)} requests/s`);
      const service = await startChildService({
        dataDir: path.join(target.dir, 'webhook'),
        env: { AUDITDRAIN_ALLOW_PRIVATE_NETWORK: 'true' },
        ...(options.profileDir && { profileDir: path.resolve(options.profileDir, `webhook-${runId}`) }),
      });
      try {
        await createDestination(service, { name: 'bench', url: receiver.url }, '/v1/webhook-integrations');
        progress(`service: ${formatInt(events)} events (after a warm-up of a tenth), service pid ${service.pid}`);
        const cpuStart = service.cpuSeconds();
        const delivered = await serviceThroughput(service, receiver, events, options, runId);
        const cpu = (service.cpuSeconds() - cpuStart) / delivered.seconds;
        progress(`  ${formatInt(delivered.events / delivered.seconds)} deliveries/s`);
        progress(`steady: ${STEADY_RATE} events/s for ${options.seconds} s`);
        const latencies = await steadyLatency(service, receiver, options.seconds, options, runId);
        progress(`  p50 ${formatMs(quantile(latencies, 0.5))} ms, p99 ${formatMs(quantile(latencies, 0.99))} ms`);
        return { bare, delivered, cpu, latencies };
      } finally {
        await service.stop();
      }
    } finally {
      await receiver.close();
    }
  });
  const { bare, delivered, cpu, latencies } = result!;
  const bareRate = bare.events / bare.seconds;
  const rate = delivered.events / delivered.seconds;
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const table = markdownTable(
    ['path', 'deliveries/s', 'ratio to bare loop', 'ingest → receipt p50 / p99 ms at 500/s', 'service CPU'],
    [
      [`bare loop: ${CONCURRENCY} keep-alive connections`, formatInt(bareRate), '', '', ''],
      ['**service: POST /v1/events → receiver (SQLite)**', `**${formatInt(rate)}**`, `**${formatRatio(rate / bareRate)}**`, `${formatMs(p50)} / ${formatMs(p99)}`, Number.isFinite(cpu) ? `${Math.round(cpu * 100)}%` : 'n/a'],
    ],
    [false, true, true, true, true],
  );
  return {
    markdown: [
      table,
      '',
      'Goals (from the issue):',
      `- at least ${formatInt(GOAL_DELIVERIES_PER_SECOND)} deliveries/s: ${met(rate >= GOAL_DELIVERIES_PER_SECOND)} (${formatInt(rate)})`,
      `- at least ${GOAL_RATIO} × the bare loop: ${met(rate / bareRate >= GOAL_RATIO)} (${formatRatio(rate / bareRate)})`,
      `- p99 ingest → receipt at ${STEADY_RATE}/s at most ${GOAL_P99_MS} ms: ${met(p99 <= GOAL_P99_MS)} (${formatMs(p99)} ms)`,
      '',
      'Notes:',
      `- ${formatInt(delivered.events)} events of ≈ ${formatInt(options.eventBytes)} bytes, ingested in requests of ${options.batch} as fast as the API took them; ` +
        'deliveries/s = events / (first POST → the delivery counter on /metrics counting all of them). The bare loop sends the same number of the same bodies.',
      `- Latency: ${formatInt(latencies.length)} events, ${STEADY_BATCH} per request every ${(STEADY_BATCH / STEADY_RATE) * 1000} ms; from the request being sent to the event reaching the receiver.`,
      '- The receiver, the load and the service share the machine; service CPU is its user + system time over the throughput phase, in % of one core.',
    ].join('\n'),
  };
}

export const webhookBenchmark: Benchmark = {
  name: 'webhook',
  title: 'Webhook delivery: deliveries/s to a loopback receiver against a bare HTTP POST loop, and latency at 500 events/s',
  run: runWebhook,
};
