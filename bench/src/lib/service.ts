/**
 * The real service as a child process (`node control-plane/dist/cli/main.js serve`), so the load generator does
 * not share its event loop. The first start on an empty database prints an admin key to stderr; it is read from
 * there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { sleep } from './stats';

export interface ServiceOptions {
  dataDir: string;
  /** PostgreSQL URL; unset = SQLite in the data directory. */
  databaseUrl?: string;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory when the service stops. */
  profileDir?: string;
}

export interface ChildService {
  url: string;
  port: number;
  adminKey: string;
  pid: number;
  /** CPU seconds (user + system) the service process has used so far; NaN where /proc is not available. */
  cpuSeconds(): number;
  /** SIGINT (graceful stop), then SIGKILL after a grace period. Safe to call more than once. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** The control plane's CLI entry, found through the workspace package. */
export function cliPath(): string {
  return path.join(path.dirname(require.resolve('@auditdrain/control-plane/package.json')), 'dist', 'cli', 'main.js');
}

/** Asks the OS for a free TCP port on 127.0.0.1 (the service is then told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export function randomMasterKey(): string {
  return randomBytes(32).toString('hex');
}

/** Our environment without AUDITDRAIN_* variables (the service refuses unknown ones), plus the service's settings. */
function serviceEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AUDITDRAIN_')) env[key] = value;
  return { ...env, ...settings };
}

export async function startChildService(options: ServiceOptions): Promise<ChildService> {
  const port = await freePort();
  const settings: Record<string, string> = {
    AUDITDRAIN_HOST: '127.0.0.1',
    AUDITDRAIN_PORT: String(port),
    AUDITDRAIN_DATA_DIR: options.dataDir,
    AUDITDRAIN_LOG_LEVEL: 'warn',
    AUDITDRAIN_MASTER_KEY: randomMasterKey(),
  };
  if (options.databaseUrl) settings.AUDITDRAIN_DATABASE_URL = options.databaseUrl;
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  if (options.profileDir) fs.mkdirSync(options.profileDir, { recursive: true });

  const child = spawn(process.execPath, [...nodeArgs, cliPath(), 'serve'], {
    env: serviceEnv(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = once(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const done = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  try {
    const adminKey = await waitForAdminKey(child, () => output);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(child, url, () => output);
    return {
      url,
      port,
      adminKey,
      pid: child.pid ?? -1,
      cpuSeconds: () => processCpuSeconds(child.pid),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function exitText(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${String(child.exitCode)}`;
}

async function waitForAdminKey(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = /\badk_[A-Za-z0-9_-]{43}\b/.exec(output());
    if (match) return match[0];
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited (${exitText(child)}) before printing an admin key:\n${output()}`);
    }
    await sleep(25);
  }
  throw new Error(`the service printed no admin key within ${READY_TIMEOUT_MS / 1000}s:\n${output()}`);
}

async function waitUntilReady(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited (${exitText(child)}) before it was ready:\n${output()}`);
    }
    if ((await getStatus(`${url}/readyz`)) === 200) return;
    await sleep(50);
  }
  throw new Error(`the service was not ready within ${READY_TIMEOUT_MS / 1000}s:\n${output()}`);
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
export function processCpuSeconds(pid: number | undefined): number {
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
