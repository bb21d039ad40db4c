// Helpers shared by the services that run a real server as a child process (postgres.ts, s3-gateway.ts): finding
// and installing binaries, running tools and daemons, waiting for them, and cleaning up after them.
//
// Every command is run with execFile/spawn and an argument vector; no value goes through a shell.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------------------------------
// Binaries

/** Whether this process runs as root (only root may install packages, and some servers refuse to run as root). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Whether `file` is a regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `command` in the directories of PATH, then of `extraDirs`; undefined when there is none. */
export function findExecutable(command: string, extraDirs: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs]) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * Installs Debian packages with apt-get (run as root, output to our stderr): `apt-get update`, then the first of
 * `alternatives` (each a list of packages) that installs. `product` names what is installed in error messages.
 */
export function aptInstall(product: string, alternatives: ReadonlyArray<readonly string[]>): void {
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): void => {
    execFileSync('apt-get', args, { env: aptEnv, stdio: ['ignore', process.stderr, process.stderr] });
  };
  try {
    apt(['update']);
  } catch (error) {
    throw new Error(`apt-get update failed while installing ${product}: ${errorMessage(error)}`);
  }
  let lastError: unknown;
  for (const packages of alternatives) {
    try {
      apt(['install', '-y', '--no-install-recommends', ...packages]);
      return;
    } catch (error) {
      lastError = error;
    }
  }
  const tried = alternatives.map((packages) => packages.join(' ')).join(' / ');
  throw new Error(`apt-get install ${tried} failed: ${errorMessage(lastError)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Running tools and daemons

/** This process's environment in the C locale, minus the variables starting with `dropPrefix`. */
export function childEnv(dropPrefix: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith(dropPrefix)) env[key] = value;
  env.LC_ALL = 'C';
  env.LANG = 'C';
  return env;
}

/** How run() and spawnLogged() start a program: environment, directory, and optionally the OS user to run as. */
export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid?: number;
  gid?: number;
}

/**
 * Runs a tool to completion and resolves with its standard output. When it fails, rejects with an Error whose
 * message is `failure(how, output)`: how it failed ("exited with code 1", ...) and its stdout and stderr, trimmed.
 */
export function runTool(
  file: string,
  args: readonly string[],
  options: ChildOptions & { timeoutMs: number; maxBuffer: number },
  failure: (how: string, output: string) => string,
): Promise<string> {
  const { timeoutMs, ...execOptions } = options;
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...execOptions, encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const how = error.killed
        ? `was killed (${error.signal ?? 'timeout'})`
        : typeof error.code === 'number'
          ? `exited with code ${error.code}`
          : `could not run: ${error.message}`;
      reject(new Error(failure(how, `${stdout}${stderr}`.trim())));
    });
  });
}

/**
 * Starts a long-running program with its stdout and stderr appended to `logFile` (as is a failure to spawn it,
 * naming it `name`). Not detached: it stays in our process group, so Ctrl-C reaches it too. Unref'd: it keeps no
 * event loop (jest's or any) alive, so its owner must end it explicitly.
 */
export function spawnLogged(
  file: string,
  args: readonly string[],
  logFile: string,
  options: ChildOptions,
  name: string = file,
): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  try {
    const child = spawn(file, args, { ...options, stdio: ['ignore', log, log] });
    child.on('error', (error) => {
      fs.appendFileSync(logFile, `\n[auditdrain] spawning ${name} failed: ${error.message}\n`);
    });
    child.unref();
    return child;
  } finally {
    fs.closeSync(log);
  }
}

/** Whether the child has exited (with an exit code or by a signal). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** How the child ended, for messages: "exit code 1" or "signal SIGKILL". */
export function exitDescription(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${String(child.exitCode)}`;
}

/** Resolves true once the child has exited, false after `ms` milliseconds. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      resolve(hasExited(child));
    }, ms);
    child.once('exit', onExit);
  });
}

/**
 * Polls `isReady` every `intervalMs` until it answers true ('ready'), `anyExited` turns true ('exited', also when
 * it does so while being ready) or `timeoutMs` have passed ('timeout').
 */
export async function waitUntilReady(
  isReady: () => Promise<boolean>,
  anyExited: () => boolean,
  timeoutMs: number,
  intervalMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (anyExited()) return 'exited';
    if (await isReady()) return anyExited() ? 'exited' : 'ready';
    await sleep(intervalMs);
  }
  return anyExited() ? 'exited' : 'timeout';
}

// ---------------------------------------------------------------------------------------------------------------
// A service's lifetime

/** A fresh directory under TMPDIR whose name starts with `prefix`. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Removes a directory and everything in it; no error when it is already gone. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Controls a started service; see serviceLifetime(). */
export interface ServiceLifetime {
  /** Whether stop() has been called. */
  readonly stopped: boolean;
  /** Runs once, however often it is called; every call returns the same promise. */
  stop(): Promise<void>;
}

/**
 * Ties a service living in `dir` to this process: `onExit` runs (synchronously) if the process exits before
 * stop() is called, as a last resort (a crash, process.exit() in a test runner). stop() unregisters it, awaits
 * `shutdown` and then removes `dir`, also when shutdown failed.
 */
export function serviceLifetime(service: {
  dir: string;
  onExit: () => void;
  shutdown: () => Promise<void>;
}): ServiceLifetime {
  let stopping: Promise<void> | undefined;
  process.once('exit', service.onExit);
  return {
    get stopped(): boolean {
      return stopping !== undefined;
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        process.removeListener('exit', service.onExit);
        try {
          await service.shutdown();
        } finally {
          removeDir(service.dir);
        }
      })();
      return stopping;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Asks the OS for `count` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            if (address && typeof address === 'object') resolve(address.port);
            else reject(new Error('could not determine a free TCP port'));
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** The last `count` lines of a text file; empty when it cannot be read. */
export function lastLines(file: string, count = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/** The last `count` lines of a log file under a "--- tail of <file> ---" line, to append to an error message. */
export function logTail(file: string, count = 40): string {
  const text = lastLines(file, count);
  return text ? `\n--- tail of ${file} ---\n${text}` : '';
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An error's message, or the thrown value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
