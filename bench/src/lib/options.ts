/**
 * Benchmark settings from BENCH_* environment variables. Every benchmark reads them through here so the recorded
 * command line can list exactly the ones that differ from the defaults.
 */
import type { Dialect } from '@auditdrain/control-plane';

export interface BenchOptions {
  /** Measured seconds per phase. */
  seconds: number;
  /** Unmeasured seconds before each measured phase. */
  warmupSeconds: number;
  /** Which databases to run against. */
  dialects: Dialect[];
  /** Concurrent API clients (and PostgreSQL raw writers). */
  clients: number;
  /** Events per request and rows per raw transaction. */
  batch: number;
  /** Target serialised size of one event. */
  eventBytes: number;
  /** Directory to write the service's V8 CPU profile into (node --cpu-prof); unset = no profile. */
  profileDir: string | undefined;
  /** Events in the scale benchmark's backlog. */
  scaleBacklog: number;
  /** Whether to add the run to bench/RESULTS.md. */
  record: boolean;
}

const DEFAULTS = {
  BENCH_SECONDS: '10',
  BENCH_WARMUP_SECONDS: '2',
  BENCH_DIALECTS: 'sqlite,postgresql',
  BENCH_CLIENTS: '4',
  BENCH_BATCH: '500',
  BENCH_EVENT_BYTES: '1000',
  BENCH_PROFILE_DIR: '',
  BENCH_SCALE_BACKLOG: '1000000',
  BENCH_RECORD: '1',
} as const;

type Name = keyof typeof DEFAULTS;

function raw(env: NodeJS.ProcessEnv, name: Name): string {
  const value = env[name];
  return value === undefined || value === '' ? DEFAULTS[name] : value;
}

function number(env: NodeJS.ProcessEnv, name: Name, min: number, max: number): number {
  const text = raw(env, name);
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name}=${JSON.stringify(text)}: must be a number from ${min} to ${max}`);
  }
  return value;
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const dialects = raw(env, 'BENCH_DIALECTS')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  for (const d of dialects) {
    if (d !== 'sqlite' && d !== 'postgresql') throw new Error(`BENCH_DIALECTS: unknown dialect "${d}" (sqlite, postgresql)`);
  }
  const profileDir = raw(env, 'BENCH_PROFILE_DIR');
  return {
    seconds: number(env, 'BENCH_SECONDS', 1, 3600),
    warmupSeconds: number(env, 'BENCH_WARMUP_SECONDS', 0, 600),
    dialects: dialects as Dialect[],
    clients: Math.floor(number(env, 'BENCH_CLIENTS', 1, 64)),
    batch: Math.floor(number(env, 'BENCH_BATCH', 1, 1000)),
    eventBytes: Math.floor(number(env, 'BENCH_EVENT_BYTES', 400, 200_000)),
    profileDir: profileDir === '' ? undefined : profileDir,
    scaleBacklog: Math.floor(number(env, 'BENCH_SCALE_BACKLOG', 1_000, 10_000_000)),
    record: !['0', 'false', 'no'].includes(raw(env, 'BENCH_RECORD')),
  };
}

/** The BENCH_* settings that differ from the defaults, as `NAME=value` words for the recorded command. */
export function nonDefaultSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  return (Object.keys(DEFAULTS) as Name[])
    .filter((name) => env[name] !== undefined && env[name] !== '' && env[name] !== DEFAULTS[name])
    .map((name) => `${name}=${env[name] ?? ''}`);
}
