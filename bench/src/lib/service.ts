/**
 * The real service as a child process (`node control-plane/dist/cli/main.js serve`), so the load generator does
 * not share its event loop. The first start on an empty database prints an admin key to stderr; it is read from
 * there.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  childEnv, exitDescription, freePorts, hasExited, waitForExit, waitUntilReady,
} from '@auditdrain/test-services';

export interface ServiceOptions {
  dataDir: string;
  /** PostgreSQL URL; unset = SQLite in the data directory. */
  databaseUrl?: string;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory when the service stops. */
  profileDir?: string;
  /** Further environment for the service (AUDITDRAIN_* settings, AWS credentials). */
  env?: NodeJS.ProcessEnv;
  /**
   * Another process has set the database up already and printed this admin key: the service joins it (and must
   * be given that process's AUDITDRAIN_MASTER_KEY in `env`).
   */
  adminKey?: string;
}

export interface ChildService {
  url: string;
  adminKey: string;
  pid: number;
  /** CPU seconds (user + system) the service process has used so far; NaN where /proc is not available. */
  cpuSeconds(): number;
  /** Resident set size now and its peak so far (VmRSS, VmHWM), in bytes; NaN where /proc is not available. */
  memory(): { rssBytes: number; peakRssBytes: number };
  /** SIGINT (graceful stop), then SIGKILL after a grace period. Safe to call more than once. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 30_000;

/** The control plane's CLI entry, found through the workspace package. */
function cliPath(): string {
  return path.join(path.dirname(require.resolve('@auditdrain/control-plane/package.json')), 'dist', 'cli', 'main.js');
}

/** Our environment without AUDITDRAIN_* variables (the service refuses unknown ones), plus the service's settings. */
function serviceEnv(options: ServiceOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...childEnv('AUDITDRAIN_'),
    AUDITDRAIN_DATA_DIR: options.dataDir,
    AUDITDRAIN_LOG_LEVEL: 'warn',
    AUDITDRAIN_MASTER_KEY: randomBytes(32).toString('hex'),
  };
  if (options.databaseUrl) env.AUDITDRAIN_DATABASE_URL = options.databaseUrl;
  return Object.assign(env, options.env);
}

/** Runs a one-shot `auditdrain` command (`tenants create`, `keys create`) with `--json` and returns its output. */
export async function runCommand(options: ServiceOptions, args: readonly string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, [cliPath(), ...args, '--json'], { env: serviceEnv(options) });
  return JSON.parse(stdout);
}

export async function startChildService(options: ServiceOptions): Promise<ChildService> {
  const port = (await freePorts(1))[0]!;
  const env: NodeJS.ProcessEnv = { ...serviceEnv(options), AUDITDRAIN_HOST: '127.0.0.1', AUDITDRAIN_PORT: String(port) };
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  if (options.profileDir) fs.mkdirSync(options.profileDir, { recursive: true });

  const child = spawn(process.execPath, [...nodeArgs, cliPath(), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (hasExited(child)) return;
      child.kill('SIGINT');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_GRACE_MS);
      }
    })());

  const url = `http://127.0.0.1:${port}`;
  let adminKey: string | undefined = options.adminKey;
  const ready = async (): Promise<boolean> => {
    adminKey ??= /\badk_[A-Za-z0-9_-]{43}\b/.exec(output)?.[0];
    return adminKey !== undefined && (await getStatus(`${url}/readyz`)) === 200;
  };
  const outcome = await waitUntilReady(ready, () => hasExited(child), READY_TIMEOUT_MS, 50);
  if (outcome === 'ready' && adminKey) {
    return { url, adminKey, pid: child.pid ?? -1, cpuSeconds: () => processCpuSeconds(child.pid), memory: () => processMemory(child.pid), stop };
  }
  await stop();
  if (outcome === 'exited') {
    const before = adminKey ? 'it was ready' : 'printing an admin key';
    throw new Error(`the service exited (${exitDescription(child)}) before ${before}:\n${output}`);
  }
  const missing = adminKey ? 'was not ready' : 'printed no admin key';
  throw new Error(`the service ${missing} within ${READY_TIMEOUT_MS / 1000}s:\n${output}`);
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (Linux). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after the closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) and stime (15), counted from field 3
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** VmRSS and VmHWM of a process from /proc/<pid>/status (Linux), in bytes. */
function processMemory(pid: number | undefined): { rssBytes: number; peakRssBytes: number } {
  const kib = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  try {
    const status = fs.readFileSync(`/proc/${pid ?? -1}/status`, 'utf8');
    return { rssBytes: kib(status, 'VmRSS'), peakRssBytes: kib(status, 'VmHWM') };
  } catch {
    return { rssBytes: Number.NaN, peakRssBytes: Number.NaN };
  }
}
