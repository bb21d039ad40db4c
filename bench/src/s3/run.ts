/**
 * S3 benchmark: events/s from POST /v1/events to objects in a real S3 server (Ceph's RADOS Gateway), against the
 * limit of the same events gzipped and written by a bare PutObject loop in the same run, and the lag from a batch
 * closing to its object being readable. See end-to-end.ts and bare-loop.ts for what each phase does.
 * Run it with `npm run bench -- s3`.
 */
import path from 'node:path';
import type { Benchmark, BenchmarkReport } from '../lib/benchmark';
import { createDatabases, eachDialect } from '../lib/dialects';
import type { BenchOptions } from '../lib/options';
import { formatInt, formatMs, formatRatio, markdownTable, quantile } from '../lib/stats';
import type { BareLoopResult } from './bare-loop';
import { runBareLoop } from './bare-loop';
import type { EndToEndResult } from './end-to-end';
import { LAG_ROUNDS, OBJECT_EVENTS, endToEndRound } from './end-to-end';
import { startBenchGateway } from './gateway';

/** Goals from the issue. */
const GOAL_EVENTS_PER_SECOND = 20_000;
const GOAL_RATIO = 0.7;
const GOAL_LAG_MS = 1_000;

interface Round {
  label: string;
  result: EndToEndResult;
}

function report(rounds: Round[], bare: BareLoopResult, options: BenchOptions, gatewayVersion: string): BenchmarkReport {
  const bareRate = bare.events / bare.seconds;
  const rows: string[][] = [
    ['—', `bare loop: gzip + PutObject, ${OBJECT_EVENTS} events/object, one at a time`, formatInt(bareRate), '', formatMs(quantile(bare.latenciesMs, 0.5)), '', ''],
  ];
  const goals: string[] = [];
  const notes: string[] = [];
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  for (const { label, result: r } of rounds) {
    const burst = r.api.acceptedTotal;
    const e2e = burst / r.endToEndSeconds;
    const ratio = e2e / bareRate;
    const lag50 = quantile(r.lagsMs, 0.5);
    const lagMax = Math.max(...r.lagsMs);
    rows.push(
      [label, `ingest: ${options.clients} clients × ${options.batch} events/request`, formatInt(burst / r.ingestSeconds), '', formatMs(quantile(r.api.latenciesMs, 0.5)), '', ''],
      [label, '**end to end: first POST → last event in S3**', `**${formatInt(e2e)}**`, `**${formatRatio(ratio)}**`, '', `${formatMs(lag50)} / ${formatMs(lagMax)}`, Number.isFinite(r.cpu) ? `${Math.round(r.cpu * 100)}%` : 'n/a'],
    );
    goals.push(
      `- ${label}: end to end ≥ ${formatInt(GOAL_EVENTS_PER_SECOND)} events/s: ${met(e2e >= GOAL_EVENTS_PER_SECOND)} (${formatInt(e2e)})`,
      `- ${label}: end to end ≥ ${GOAL_RATIO} × bare loop: ${met(ratio >= GOAL_RATIO)} (${formatRatio(ratio)})`,
      `- ${label}: lag from batch close to readable object < ${formatInt(GOAL_LAG_MS)} ms: ${met(lagMax < GOAL_LAG_MS)} (largest of ${r.lagsMs.length}: ${formatMs(lagMax)} ms)`,
    );
    const complete = r.landed.events === r.accepted && r.landed.duplicates === 0 && r.landed.largestObjectEvents <= OBJECT_EVENTS;
    notes.push(
      `- ${label}: the measured burst was ${formatInt(burst)} events, ingested in ${r.ingestSeconds.toFixed(1)} s, ${formatInt(r.api.acceptedTotal === 0 ? 0 : r.deliveredDuringLoad)} of them ` +
        `in S3 when the load ended, all of them ${(r.endToEndSeconds - r.ingestSeconds).toFixed(1)} s later. The bucket holds ${formatInt(r.landed.events)} events ` +
        `in ${formatInt(r.landed.objects)} objects (${formatInt(r.landed.bytes)} bytes) for ${formatInt(r.accepted)} accepted, ` +
        `${r.landed.duplicates} duplicated, at most ${formatInt(r.landed.largestObjectEvents)} per object` +
        (complete ? ': every event exactly once.' : ': **NOT every event exactly once**.'),
    );
  }
  notes.push(
    `- S3: Ceph ${gatewayVersion} RADOS Gateway on loopback (one OSD on memstore), sharing the machine with the service and the load. ` +
      `The destination assumes a role (STS AssumeRole, cached), writes gzip JSON Lines with bucket-owner-full-control; the bare loop uses the same role's credentials and headers.`,
    `- Events: ≈ ${formatInt(options.eventBytes)} bytes of JSON each, with a text filler that compresses like real logs (one object of ${OBJECT_EVENTS} events: ${formatInt(bare.objectBytes)} bytes gzipped). ` +
      `${options.warmupSeconds} s warm-up, then ${options.seconds} s measured per phase.`,
    `- End to end = the events of a burst of ${options.seconds} s of API load / the time from its first request until auditdrain_delivered_events_total (/metrics) counts all of them in committed objects; ` +
      `the warm-up burst is drained first. Ratio = end to end / bare loop. Lag: ${LAG_ROUNDS} rounds of exactly ${OBJECT_EVENTS} events into a destination that closes batches only by size, ` +
      'from the 202 of the request that fills the batch to the object appearing in a listing (polled every 5 ms): median / largest.',
    '- service CPU: the service process\'s user + system CPU time from the first request of the burst until it was all in S3, in % of one core.',
  );
  const table = markdownTable(
    ['database', 'path', 'events/s', 'ratio to bare loop', 'p50 ms', 'lag p50 / max ms', 'service CPU'],
    rows,
    [false, false, true, true, true, true, true],
  );
  return { markdown: [table, '', 'Goals (from the issue):', ...goals, '', 'Notes:', ...notes].join('\n') };
}

async function runS3(options: BenchOptions, progress: (line: string) => void): Promise<BenchmarkReport> {
  const runId = Date.now().toString(36);
  progress('starting the S3 gateway (Ceph RADOS Gateway)');
  const gateway = await startBenchGateway();
  try {
    progress(`  Ceph ${gateway.gw.version} on ${gateway.gw.endpoint}`);
    const bareBucket = await gateway.newBucket(`bench-${runId}-bare`);
    const roleS3 = await gateway.roleClient();
    progress(`bare loop: ${OBJECT_EVENTS} events/object, ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
    let bare: BareLoopResult;
    try {
      bare = await runBareLoop(roleS3, bareBucket, 'bare/', OBJECT_EVENTS, { ...options, runId });
    } finally {
      roleS3.destroy();
    }
    progress(`  bare loop: ${formatInt(bare.events / bare.seconds)} events/s`);

    const rounds = await eachDialect(options.dialects, progress, async (target) => {
      const label = target.dialect === 'sqlite' ? 'SQLite' : `PostgreSQL ${target.server.version}`;
      progress(label);
      const dataDir = path.join(target.dir, `s3-${target.dialect}`);
      const database =
        target.dialect === 'sqlite'
          ? { dialect: 'sqlite' as const, file: path.join(dataDir, 'auditdrain.db') }
          : { dialect: 'postgresql' as const, url: (await createDatabases(target.server, [`bench_s3_${runId}`]))[0]! };
      const result = await endToEndRound(gateway, database, dataDir, { ...options, runId }, progress);
      progress(`  end to end: ${formatInt(result.api.acceptedTotal / result.endToEndSeconds)} events/s; lag median ${formatMs(quantile(result.lagsMs, 0.5))} ms`);
      return { label, result };
    });
    return report(rounds, bare, options, gateway.gw.version);
  } finally {
    await gateway.stop();
  }
}

export const s3Benchmark: Benchmark = {
  name: 's3',
  title: 'S3 delivery: POST /v1/events to objects in the gateway, against a bare PutObject loop',
  run: runS3,
};
