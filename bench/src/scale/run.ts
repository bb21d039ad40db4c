/**
 * Scale-out benchmark, on PostgreSQL: several `auditdrain serve` processes on one database deliver the audit logs
 * of TENANTS tenants, each with its own S3 destination on the gateway (gzip JSON Lines, batches of 5,000 events or
 * 1 s), so the destinations can spread over the processes.
 *
 * - **Throughput** with 1, 2 and 3 processes (a fresh database each): after a warm-up, the API load is spread over
 *   the tenants and over every process; end to end = the events sent / the time from the first request until the
 *   processes' `auditdrain_delivered_events_total` counts all of them. The ratio is to the 1-process round of the
 *   same run.
 * - **Backlog**: BENCH_SCALE_BACKLOG events (default one million) are ingested by an API-only process while no
 *   process delivers; then three delivery-only processes drain them. Their resident memory is sampled while they
 *   do (and their peak read from the kernel at the end).
 *
 * Afterwards every bucket prefix must hold every accepted event exactly once.
 * Run it with `npm run bench -- scale`.
 */
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { EventFactory } from '../ingest/events';
import type { Benchmark, BenchmarkReport } from '../lib/benchmark';
import { createDatabases, eachDialect } from '../lib/dialects';
import type { BenchOptions } from '../lib/options';
import type { ChildService, ServiceOptions } from '../lib/service';
import { runCommand, startChildService } from '../lib/service';
import { deliveredEvents } from '../lib/service-api';
import { formatInt, formatRatio, markdownTable, now } from '../lib/stats';
import { waitFor } from '../lib/wait';
import type { BenchGateway, LandedEvents } from '../s3/gateway';
import { benchDestination, readLanded, startBenchGateway } from '../s3/gateway';
import { OBJECT_EVENTS } from '../s3/end-to-end';

const TENANTS = 6;
const PROCESS_COUNTS = [1, 2, 3];
/** Events per second of measured load the throughput rounds send (times BENCH_SECONDS). */
const EVENTS_PER_MEASURED_SECOND = 12_000;
const RSS_GOAL_BYTES = 512 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 1_200_000;
const SAMPLE_MS = 250;

interface Tenant {
  /** An admin key of the tenant. */
  key: string;
  /** Where its destination writes in the bucket. */
  prefix: string;
}

/** One database with its tenants and their destinations, and the processes serving it. */
interface Cluster {
  base: ServiceOptions;
  /** How a process of `role` is started on this database (`name` its data directory; `adminKey` to join it). */
  optionsFor(role: 'all' | 'api' | 'delivery', name: string, adminKey?: string): ServiceOptions;
  processes: ChildService[];
  tenants: Tenant[];
  bucket: string;
  stop(): Promise<void>;
}

interface Round {
  processes: number;
  events: number;
  seconds: number;
  ingestSeconds: number;
  /** CPU of every process over the round, in fractions of one core each. */
  cpu: number[];
  peakRssBytes: number[];
  landed: LandedEvents;
}

interface Backlog {
  events: number;
  ingestSeconds: number;
  drainSeconds: number;
  /** Largest VmRSS sampled per delivering process, and VmHWM at the end. */
  sampledRssBytes: number[];
  peakRssBytes: number[];
  apiPeakRssBytes: number;
  cpu: number[];
  landed: LandedEvents;
}

async function startCluster(
  gateway: BenchGateway,
  databaseUrl: string,
  dir: string,
  name: string,
  roles: readonly ('all' | 'api' | 'delivery')[],
): Promise<Cluster> {
  const base: ServiceOptions = {
    dataDir: path.join(dir, name),
    databaseUrl,
    env: {
      AUDITDRAIN_MASTER_KEY: randomBytes(32).toString('hex'),
      AUDITDRAIN_STS_ENDPOINT: gateway.gw.endpoint,
      AUDITDRAIN_AWS_REGION: gateway.gw.region,
      AWS_ACCESS_KEY_ID: gateway.service.accessKeyId,
      AWS_SECRET_ACCESS_KEY: gateway.service.secretAccessKey,
    },
  };
  const processes: ChildService[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  const optionsFor = (role: string, name: string, adminKey?: string): ServiceOptions => ({
    ...base,
    dataDir: path.join(base.dataDir, name),
    env: { ...base.env, AUDITDRAIN_ROLE: role },
    ...(adminKey === undefined ? {} : { adminKey }),
  });
  try {
    processes.push(await startChildService(optionsFor(roles[0]!, 'p0')));
    const first = processes[0]!;
    for (const [i, role] of roles.slice(1).entries()) processes.push(await startChildService(optionsFor(role, `p${i + 1}`, first.adminKey)));

    const tenants: Tenant[] = [{ key: first.adminKey, prefix: 'tenant-0' }];
    for (let i = 1; i < TENANTS; i++) {
      const tenant = (await runCommand(base, ['tenants', 'create', '--name', `bench-${i}`])) as { id: string };
      const key = (await runCommand(base, ['keys', 'create', '--tenant', tenant.id, '--role', 'admin'])) as { secret: string };
      tenants.push({ key: key.secret, prefix: `tenant-${i}` });
    }
    const bucket = await gateway.newBucket(`bench-scale-${name}`);
    const api = processes.find((_, i) => roles[i] !== 'delivery')!;
    for (const tenant of tenants) {
      const res = await fetch(`${api.url}/v1/s3-log-destinations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(benchDestination(gateway, bucket, OBJECT_EVENTS, { name: 'archive', key_prefix: tenant.prefix, batch_duration_in_seconds: 1 })),
      });
      if (res.status !== 201) throw new Error(`creating a destination answered ${res.status}: ${await res.text()}`);
    }
    return { base, optionsFor, processes, tenants, bucket, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Sends `total` events numbered from `first`: request b carries `batch` events of tenant b mod TENANTS and goes to
 * process b mod (number of `targets`), from `clients` concurrent clients.
 */
async function sendLoad(cluster: Cluster, targets: readonly ChildService[], first: number, total: number, options: BenchOptions): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients * targets.length });
  const factories = cluster.tenants.map((t) => new EventFactory(`scale-${t.prefix}`, options.eventBytes, 'text'));
  const requests = Math.ceil(total / options.batch);
  let next = 0;
  let accepted = 0;
  const client = async () => {
    for (let b = next++; b < requests; b = next++) {
      const tenant = b % TENANTS;
      const count = Math.min(options.batch, total - b * options.batch);
      const n = first + Math.floor(b / TENANTS) * options.batch;
      const { body } = factories[tenant]!.batch(n, count, new Date().toISOString());
      const status = await post(agent, targets[b % targets.length]!, cluster.tenants[tenant]!.key, body);
      if (status !== 202) throw new Error(`POST /v1/events answered ${status}`);
      accepted += count;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    agent.destroy();
  }
  return accepted;
}

function post(agent: http.Agent, service: ChildService, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${service.url}/v1/events`, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function deliveredBy(processes: readonly ChildService[]): Promise<number> {
  return (await Promise.all(processes.map((p) => deliveredEvents(p)))).reduce((a, b) => a + b, 0);
}

async function landedIn(gateway: BenchGateway, cluster: Cluster): Promise<LandedEvents> {
  const total: LandedEvents = { objects: 0, events: 0, duplicates: 0, largestObjectEvents: 0, bytes: 0 };
  for (const tenant of cluster.tenants) {
    const landed = await readLanded(gateway.ownerS3, cluster.bucket, `${tenant.prefix}/`);
    total.objects += landed.objects;
    total.events += landed.events;
    total.duplicates += landed.duplicates;
    total.bytes += landed.bytes;
    total.largestObjectEvents = Math.max(total.largestObjectEvents, landed.largestObjectEvents);
  }
  return total;
}

async function throughputRound(gateway: BenchGateway, databaseUrl: string, dir: string, count: number, options: BenchOptions, runId: string): Promise<Round> {
  const cluster = await startCluster(gateway, databaseUrl, dir, `${runId}-x${count}`, Array(count).fill('all'));
  try {
    const { processes } = cluster;
    // Warm-up: one request per tenant, delivered, so every destination has its credentials and connections.
    const warm = await sendLoad(cluster, processes, 0, TENANTS * options.batch, options);
    await waitFor('the warm-up to be delivered', async () => (await deliveredBy(processes)) >= warm, DRAIN_TIMEOUT_MS, 50);
    const total = EVENTS_PER_MEASURED_SECOND * options.seconds;
    const cpuBefore = processes.map((p) => p.cpuSeconds());
    const started = now();
    const accepted = await sendLoad(cluster, processes, options.batch, total, options);
    const ingestSeconds = now() - started;
    await waitFor('the load to be delivered', async () => (await deliveredBy(processes)) >= warm + accepted, DRAIN_TIMEOUT_MS, 20);
    const seconds = now() - started;
    const cpu = processes.map((p, i) => (p.cpuSeconds() - cpuBefore[i]!) / seconds);
    const peakRssBytes = processes.map((p) => p.memory().peakRssBytes);
    const landed = await landedIn(gateway, cluster);
    return { processes: count, events: accepted, seconds, ingestSeconds, cpu, peakRssBytes, landed: { ...landed, events: landed.events - warm } };
  } finally {
    await cluster.stop();
  }
}

async function backlogRound(gateway: BenchGateway, databaseUrl: string, dir: string, options: BenchOptions, runId: string, progress: (line: string) => void): Promise<Backlog> {
  const cluster = await startCluster(gateway, databaseUrl, dir, `${runId}-backlog`, ['api']);
  try {
    const api = cluster.processes[0]!;
    const startedIngest = now();
    const events = await sendLoad(cluster, [api], 0, options.scaleBacklog, options);
    const ingestSeconds = now() - startedIngest;
    progress(`  ${formatInt(events)} events ingested in ${ingestSeconds.toFixed(0)} s by the API-only process; starting 3 delivery processes`);
    const apiPeakRssBytes = api.memory().peakRssBytes;

    // The three start together. Their memory is sampled once all are up; VmHWM at the end covers the rest.
    const delivering: ChildService[] = [];
    const sampledRssBytes = [0, 0, 0];
    const started = now();
    const starts = await Promise.allSettled(
      [0, 1, 2].map((i) => startChildService(cluster.optionsFor('delivery', `d${i}`, api.adminKey))),
    );
    for (const start of starts) if (start.status === 'fulfilled') delivering.push(start.value);
    cluster.processes.push(...delivering);
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const sampler = setInterval(() => {
      delivering.forEach((p, i) => (sampledRssBytes[i] = Math.max(sampledRssBytes[i]!, p.memory().rssBytes)));
    }, SAMPLE_MS);
    let lastReport = now();
    try {
      await waitFor(
        'the backlog to be drained',
        async () => {
          const delivered = await deliveredBy(delivering);
          if (now() - lastReport > 15) {
            lastReport = now();
            progress(`  ${formatInt(delivered)} delivered after ${(now() - started).toFixed(0)} s`);
          }
          return delivered >= events;
        },
        DRAIN_TIMEOUT_MS,
        100,
      );
    } finally {
      clearInterval(sampler);
    }
    const drainSeconds = now() - started;
    const cpu = delivering.map((p) => p.cpuSeconds() / drainSeconds);
    const peakRssBytes = delivering.map((p) => p.memory().peakRssBytes);
    progress(`  drained in ${drainSeconds.toFixed(0)} s; reading the bucket back`);
    const landed = await landedIn(gateway, cluster);
    return { events, ingestSeconds, drainSeconds, sampledRssBytes, peakRssBytes, apiPeakRssBytes, cpu, landed };
  } finally {
    await cluster.stop();
  }
}

const mib = (bytes: number) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1024 / 1024)}` : 'n/a');
const percents = (cpu: readonly number[]) => cpu.map((c) => (Number.isFinite(c) ? `${Math.round(c * 100)}%` : 'n/a')).join(' / ');

function report(rounds: Round[], backlog: Backlog, options: BenchOptions, versions: { postgres: string; ceph: string }): BenchmarkReport {
  const base = rounds[0]!;
  const rate = (r: Round) => r.events / r.seconds;
  const rows = rounds.map((r) => [
    `end to end, ${r.processes} process${r.processes > 1 ? 'es' : ''} (role all)`,
    formatInt(r.events),
    `**${formatInt(rate(r))}**`,
    `**${formatRatio(rate(r) / rate(base))}**`,
    formatInt(r.events / r.ingestSeconds),
    r.peakRssBytes.map(mib).join(' / '),
    percents(r.cpu),
  ]);
  rows.push([
    'backlog drain, 3 processes (role delivery)',
    formatInt(backlog.events),
    `**${formatInt(backlog.events / backlog.drainSeconds)}**`,
    '',
    formatInt(backlog.events / backlog.ingestSeconds),
    backlog.peakRssBytes.map(mib).join(' / '),
    percents(backlog.cpu),
  ]);
  const table = markdownTable(
    ['phase', 'events', 'delivered events/s', 'ratio to 1 process', 'ingest events/s', 'peak RSS MiB per process', 'CPU per process'],
    rows,
    [false, true, true, true, true, true, true],
  );
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const exactlyOnce = (accepted: number, landed: LandedEvents) => landed.events === accepted && landed.duplicates === 0;
  const allLanded = rounds.every((r) => exactlyOnce(r.events, r.landed)) && exactlyOnce(backlog.events, backlog.landed);
  const rssMax = Math.max(...backlog.peakRssBytes, ...backlog.sampledRssBytes);
  const notLower = rounds.slice(1).every((r) => rate(r) >= rate(base));
  const goals = [
    `- no loss: every accepted event exactly once in S3 in every phase: ${met(allLanded)}`,
    `- RSS of each delivering process under 512 MiB while draining ${formatInt(backlog.events)} events: ${met(rssMax < RSS_GOAL_BYTES)} (largest ${mib(rssMax)} MiB)`,
    `- throughput not lower with more processes: ${met(notLower)} (${rounds.map((r) => `${r.processes}: ${formatRatio(rate(r) / rate(base))}`).join(', ')})`,
  ];
  const notes = [
    `- PostgreSQL ${versions.postgres} and Ceph ${versions.ceph} RADOS Gateway on loopback, on the same machine as the processes and the load generator.`,
    `- ${TENANTS} tenants, one S3 destination each (gzip JSON Lines, batches of ${formatInt(OBJECT_EVENTS)} events or 1 s, role assumed through STS); events of ≈ ${formatInt(options.eventBytes)} bytes; ` +
      `${options.clients} clients per process × ${options.batch} events per request, requests spread over the tenants and the processes.`,
    `- End to end: ${formatInt(EVENTS_PER_MEASURED_SECOND * options.seconds)} events after a warm-up, from the first request until the processes' auditdrain_delivered_events_total counts them all; ` +
      'ratio = events/s of the round / events/s of the 1-process round of this run. Peak RSS: VmHWM of each process at the end of its round.',
    `- Backlog: ingested by one API-only process with nothing delivering (${backlog.ingestSeconds.toFixed(0)} s; that process's peak RSS ${mib(backlog.apiPeakRssBytes)} MiB), then drained by three ` +
      `delivery-only processes in ${backlog.drainSeconds.toFixed(0)} s; RSS sampled every ${SAMPLE_MS} ms while draining: largest ${backlog.sampledRssBytes.map(mib).join(' / ')} MiB.`,
    `- In S3 afterwards: ${rounds.map((r) => `${r.processes} process${r.processes > 1 ? 'es' : ''}: ${formatInt(r.landed.events)} of ${formatInt(r.events)}, ${r.landed.duplicates} duplicated`).join('; ')}; ` +
      `backlog: ${formatInt(backlog.landed.events)} of ${formatInt(backlog.events)} in ${formatInt(backlog.landed.objects)} objects, ${backlog.landed.duplicates} duplicated.`,
  ];
  return { markdown: [table, '', 'Goals (from the issue):', ...goals, '', 'Notes:', ...notes].join('\n') };
}

async function runScale(options: BenchOptions, progress: (line: string) => void): Promise<BenchmarkReport> {
  const runId = Date.now().toString(36);
  progress('starting the S3 gateway (Ceph RADOS Gateway)');
  const gateway = await startBenchGateway();
  try {
    const [result] = await eachDialect(['postgresql'], progress, async (target) => {
      if (target.dialect !== 'postgresql') throw new Error('the scale benchmark runs on PostgreSQL');
      const rounds: Round[] = [];
      for (const count of PROCESS_COUNTS) {
        progress(`${count} process${count > 1 ? 'es' : ''}`);
        const [url] = await createDatabases(target.server, [`bench_scale_${runId}_${count}`]);
        const round = await throughputRound(gateway, url!, target.dir, count, options, runId);
        progress(`  ${formatInt(round.events / round.seconds)} events/s end to end`);
        rounds.push(round);
      }
      progress(`backlog of ${formatInt(options.scaleBacklog)} events`);
      const [url] = await createDatabases(target.server, [`bench_scale_${runId}_backlog`]);
      const backlog = await backlogRound(gateway, url!, target.dir, options, runId, progress);
      return report(rounds, backlog, options, { postgres: target.server.version, ceph: gateway.gw.version });
    });
    return result!;
  } finally {
    await gateway.stop();
  }
}

export const scaleBenchmark: Benchmark = {
  name: 'scale',
  title: 'Scale-out on PostgreSQL: 1, 2 and 3 processes end to end, and memory while draining a large backlog',
  run: runScale,
};
