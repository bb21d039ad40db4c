/**
 * The built `auditdrain` command (control-plane/dist/cli/main.js, made by `npm run build`) as an operator runs it:
 * `serve` as a child process on a free loopback port, and one-shot commands (migrate, tenants, keys).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePorts } from '@auditdrain/test-services';
import type { freshDatabase } from './test-service';
import { until } from './until';

export const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** Fails fast, with the remedy, when the command has not been built. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
}

/**
 * The environment of a command working on `fresh`: nothing of this process's but PATH, the data directory, and for
 * PostgreSQL its URL and a master key (SQLite keeps a generated one in the data directory). `extra` comes last.
 */
export function cliEnv(fresh: Pick<Awaited<ReturnType<typeof freshDatabase>>, 'database' | 'dataDir'>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AUDITDRAIN_DATA_DIR: fresh.dataDir,
    ...(fresh.database.dialect === 'postgresql' ? { AUDITDRAIN_DATABASE_URL: fresh.database.url, AUDITDRAIN_MASTER_KEY: 'ab'.repeat(32) } : {}),
    ...extra,
  };
}

export interface CliResult {
  stdout: string;
  stderr: string;
  /** The exit code (0 on success). */
  code: number;
}

/** Runs `auditdrain <args>` to completion; a non-zero exit is a result, not an error. */
export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : -1) : 0 });
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServingCli {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** SIGTERM, then the exit. */
  stop(): Promise<Exit>;
}

/** Servers still running; a test file that fails or times out must not leave them behind. */
const serving = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of serving) child.kill('SIGKILL');
});

/** Starts `auditdrain serve` on a free port of 127.0.0.1 and resolves once /readyz answers 200. */
export async function serveCli(env: NodeJS.ProcessEnv): Promise<ServingCli> {
  requireBuiltCli();
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...env, AUDITDRAIN_HOST: '127.0.0.1', AUDITDRAIN_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  serving.add(child);
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      serving.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await until('auditdrain serve to answer /readyz', async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`auditdrain serve exited early:\n${err}`);
      return fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    }, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    if (error instanceof Error) error.message += `\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;
    throw error;
  }
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The admin API key a first start prints once on stderr. */
export function adminKeyOf(stderr: string): string {
  const key = /(adk_[A-Za-z0-9_-]{43})/.exec(stderr)?.[1];
  if (!key) throw new Error(`no admin key in the output:\n${stderr}`);
  return key;
}
