/**
 * Ingest benchmark: POST /v1/events throughput of the real service (a child process), against the raw limit of the
 * same rows written straight through the database driver, measured in the same run, for SQLite and PostgreSQL.
 * Run it with `npm run bench` (all benchmarks) or `npm run build && node bench/dist/run.js ingest`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, Dialect } from '@auditdrain/control-plane';
import type { PostgresServer } from '@auditdrain/test-services';
import type { Benchmark, BenchmarkReport } from '../lib/benchmark';
import { profileFileSummary } from '../lib/cpuprofile';
import { createDatabases, eachDialect } from '../lib/dialects';
import type { BenchOptions } from '../lib/options';
import { startChildService } from '../lib/service';
import { formatInt, formatMs, formatRatio, markdownTable, quantile } from '../lib/stats';
import type { ApiLoadResult } from './api';
import { runApiLoad } from './api';
import type { RawResult } from './raw';
import { compareStoredRow, prepareDatabase, runPostgresRaw, runSqliteRaw } from './raw';

/** Goals from the issue. */
const SQLITE_GOAL_EVENTS_PER_SECOND = 20_000;
const GOAL_RATIO = 0.5;

interface DialectResult {
  dialect: Dialect;
  label: string;
  api: ApiLoadResult;
  /** Service CPU time during the window, as a fraction of one core. */
  apiCpu: number;
  raw: RawResult;
  rawWriters: number;
  /** Columns where the service's stored row differs from the raw writer's row (empty = identical). */
  parity: string[];
}

function perSecond(count: number, seconds: number): number {
  return count / seconds;
}

async function apiPhase(
  database: Config['database'],
  dataDir: string,
  options: BenchOptions,
  runId: string,
  progress: (line: string) => void,
): Promise<{ api: ApiLoadResult; apiCpu: number; parity: string[] }> {
  const profileDir = options.profileDir ? path.resolve(options.profileDir, `${database.dialect}-${runId}`) : undefined;
  const service = await startChildService({
    dataDir,
    ...(database.dialect === 'postgresql' && { databaseUrl: database.url }),
    ...(profileDir && { profileDir }),
  });
  progress(`  API: service pid ${service.pid} on ${service.url}; ${options.clients} clients × ${options.batch} events/request, ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
  let cpuStart = Number.NaN;
  let cpuEnd = Number.NaN;
  let api: ApiLoadResult;
  try {
    api = await runApiLoad({
      ...options,
      url: service.url,
      apiKey: service.adminKey,
      runId,
      onWindow: (edge) => {
        if (edge === 'start') cpuStart = service.cpuSeconds();
        else cpuEnd = service.cpuSeconds();
      },
    });
  } finally {
    await service.stop();
  }
  const parity = await compareStoredRow(database, api.sample);
  const profiles = profileDir && fs.existsSync(profileDir)
    ? fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(profileDir, f))
    : [];
  for (const file of profiles) {
    progress(`  CPU profile of the service: ${file}\n${profileFileSummary(file, 20).replace(/^/gm, '    ')}`);
  }
  return { api, apiCpu: (cpuEnd - cpuStart) / options.seconds, parity };
}

async function sqliteRound(tmp: string, options: BenchOptions, runId: string, progress: (line: string) => void): Promise<DialectResult> {
  progress('SQLite');
  const dataDir = path.join(tmp, 'sqlite-api');
  const api = await apiPhase({ dialect: 'sqlite', file: path.join(dataDir, 'auditdrain.db') }, dataDir, options, runId, progress);
  progress(`  API: ${formatInt(perSecond(api.api.accepted, api.api.seconds))} events/s`);

  const file = path.join(tmp, 'sqlite-raw', 'auditdrain.db');
  const tenantId = await prepareDatabase({ dialect: 'sqlite', file });
  progress(`  raw: better-sqlite3, 1 connection, ${options.batch} rows/transaction, ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
  const raw = await runSqliteRaw(file, tenantId, { ...options, runId });
  progress(`  raw: ${formatInt(perSecond(raw.rows, raw.seconds))} rows/s`);
  return { dialect: 'sqlite', label: 'SQLite', ...api, raw, rawWriters: 1 };
}

async function postgresRound(server: PostgresServer, tmp: string, options: BenchOptions, runId: string, progress: (line: string) => void): Promise<DialectResult> {
  progress(`PostgreSQL ${server.version}`);
  const [apiUrl, rawUrl] = await createDatabases(server, [`bench_api_${runId}`, `bench_raw_${runId}`]);
  const api = await apiPhase({ dialect: 'postgresql', url: apiUrl! }, path.join(tmp, 'postgresql-api'), options, runId, progress);
  progress(`  API: ${formatInt(perSecond(api.api.accepted, api.api.seconds))} events/s`);

  const tenantId = await prepareDatabase({ dialect: 'postgresql', url: rawUrl! });
  progress(`  raw: pg Pool, ${options.clients} writers, ${options.batch} rows/transaction, ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
  const raw = await runPostgresRaw(rawUrl!, tenantId, options.clients, { ...options, runId });
  progress(`  raw: ${formatInt(perSecond(raw.rows, raw.seconds))} rows/s`);
  return { dialect: 'postgresql', label: `PostgreSQL ${server.version}`, ...api, raw, rawWriters: options.clients };
}

function report(results: DialectResult[], options: BenchOptions): BenchmarkReport {
  const rows: string[][] = [];
  const goals: string[] = [];
  const notes: string[] = [];
  for (const r of results) {
    const apiRate = perSecond(r.api.accepted, r.api.seconds);
    const rawRate = perSecond(r.raw.rows, r.raw.seconds);
    const ratio = apiRate / rawRate;
    rows.push(
      [
        r.label,
        `API: ${options.clients} clients × ${options.batch} events/request`,
        formatInt(apiRate),
        formatInt(r.api.requests),
        formatMs(quantile(r.api.latenciesMs, 0.5)),
        formatMs(quantile(r.api.latenciesMs, 0.99)),
        Number.isFinite(r.apiCpu) ? `${Math.round(r.apiCpu * 100)}%` : 'n/a',
      ],
      [
        r.label,
        `raw driver: ${r.rawWriters} ${r.rawWriters === 1 ? 'connection' : 'connections'} × ${options.batch} rows/transaction`,
        formatInt(rawRate),
        formatInt(r.raw.transactions),
        formatMs(quantile(r.raw.latenciesMs, 0.5)),
        formatMs(quantile(r.raw.latenciesMs, 0.99)),
        '',
      ],
      [r.label, '**API / raw**', `**${formatRatio(ratio)}**`, '', '', '', ''],
    );
    const met = (ok: boolean) => (ok ? 'met' : '**not met**');
    if (r.dialect === 'sqlite') {
      goals.push(`- ${r.label}: API ≥ ${formatInt(SQLITE_GOAL_EVENTS_PER_SECOND)} events/s: ${met(apiRate >= SQLITE_GOAL_EVENTS_PER_SECOND)} (${formatInt(apiRate)})`);
    }
    goals.push(`- ${r.label}: API ≥ ${GOAL_RATIO} × raw limit: ${met(ratio >= GOAL_RATIO)} (${formatRatio(ratio)})`);
    if (r.parity.length > 0) notes.push(`- ${r.label}: the stored row of a sample event differs from the raw writer's row in: ${r.parity.join(', ')}`);
  }
  const bodyBytes = results.find((r) => r.api.bodyBytes > 0)?.api.bodyBytes ?? 0;
  notes.push(
    `- Events: ≈ ${formatInt(options.eventBytes)} bytes of JSON each (request body ${formatInt(bodyBytes)} bytes); ` +
      `${options.warmupSeconds} s warm-up, then ${options.seconds} s measured per phase. Latency is per request (API) or per transaction (raw).`,
  );
  notes.push('- service CPU: the service process\'s user + system CPU time during the measured window, in % of one core.');
  if (results.every((r) => r.parity.length === 0)) {
    notes.push('- The service\'s stored row for a sample event equals the raw writer\'s row in every column derived from the event (kind, action, actor_id, occurred_at, payload).');
  }
  if (options.profileDir) notes.push('- The service ran under `--cpu-prof`, which slows it down: these API numbers are lower than usual.');
  const table = markdownTable(
    ['database', 'path', 'events/s', 'requests / tx', 'p50 ms', 'p99 ms', 'service CPU'],
    rows,
    [false, false, true, true, true, true, true],
  );
  return { markdown: [table, '', 'Goals (from the issue):', ...goals, '', 'Notes:', ...notes].join('\n') };
}

async function runIngest(options: BenchOptions, progress: (line: string) => void): Promise<BenchmarkReport> {
  const runId = Date.now().toString(36);
  const results = await eachDialect(options.dialects, progress, (target) =>
    target.dialect === 'sqlite'
      ? sqliteRound(target.dir, options, runId, progress)
      : postgresRound(target.server, target.dir, options, runId, progress),
  );
  return report(results, options);
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  title: 'Event ingest: POST /v1/events against the raw database limit',
  run: runIngest,
};
