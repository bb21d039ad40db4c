// A throwaway PostgreSQL server for one test run: a fresh cluster in a temporary directory, listening on 127.0.0.1
// on a free port with `trust` authentication and durability switched off, removed again by stop().
//
// initdb, pg_ctl and postgres refuse to run as root, so when this process is root they run as the `postgres` OS
// user (created when missing) in a directory owned by that user; otherwise they run as the current user. When no
// PostgreSQL server binaries are found and this process is root, they are installed with apt-get.
//
// Every command is run with execFile/spawn and an argument vector; no value goes through a shell.
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  aptInstall, childEnv, errorMessage, exitDescription, findExecutable, freePorts, hasExited, isExecutable, isRoot,
  lastLines, logTail, makeTempDir, removeDir, runTool, serviceLifetime, sleep, spawnLogged, waitForExit, waitUntilReady,
} from './process';

export interface PostgresServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** PostgreSQL's own version string, e.g. "15.14" */
  readonly version: string;
  /** Temporary directory holding the cluster (data/), the server log (server.log) and the Unix socket. */
  readonly dir: string;
  /**
   * Stops the server as an operator's restart does (pg_ctl stop -m fast: sessions are terminated, committed data
   * kept), stays down for `downMs`, and starts it again on the same port and data; resolves once it accepts
   * connections.
   */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (pg_ctl stop -m fast) and removes its directory. Safe to call more than once. */
  stop(): Promise<void>;
}

declare global {
  // Set by test/global-setup.ts when it started a server, read by test/global-teardown.ts (same process).
  // eslint-disable-next-line no-var
  var __AUDITDRAIN_PG__: { server: PostgresServer; previousUrl: string | undefined } | undefined;
}

const PREFERRED_MAJOR = 15;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_S = 60;
const START_ATTEMPTS = 3; // the free port we were given can be taken by someone else before postgres binds it

/** The OS user the PostgreSQL binaries run as; undefined means "this process's user". */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findOrInstallBinDir();
  const runAs = resolveRunAs();
  // Our environment minus libpq/server variables (PGDATA, PGPORT, PGSSLMODE, ...) that could redirect the tools.
  const env = childEnv('PG');
  const versionOutput = execFileSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8', env }).trim();
  const version = /\(PostgreSQL\)\s+(\S+)/.exec(versionOutput)?.[1] ?? versionOutput;

  const dir = makeTempDir('auditdrain-pg-');
  let child: ChildProcess | undefined;
  try {
    if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
    const dataDir = path.join(dir, 'data');
    const logFile = path.join(dir, 'server.log');

    await run(
      binDir,
      'initdb',
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'],
      { runAs, env, cwd: dir },
    );

    for (let attempt = 1; ; attempt++) {
      const port = (await freePorts(1))[0]!;
      child = spawnServer(binDir, dataDir, dir, logFile, port, runAs, env);
      const outcome = await waitUntilAccepting(binDir, child, port, dir, env);
      if (outcome === 'ready') {
        return makeHandle({ binDir, dir, dataDir, port, version, child, runAs, env });
      }
      const portTaken = /could not bind|address already in use/i.test(lastLines(logFile));
      if (outcome === 'exited' && portTaken && attempt < START_ATTEMPTS) {
        continue; // someone else took the port between freePorts() and postgres binding it
      }
      throw new Error(
        outcome === 'exited'
          ? `PostgreSQL (${binDir}/postgres) exited with ${exitDescription(child)} before accepting connections ` +
              `on 127.0.0.1:${port}.`
          : `PostgreSQL (${binDir}/postgres) did not accept connections on 127.0.0.1:${port} ` +
              `within ${READY_TIMEOUT_MS / 1000}s.`,
      );
    }
  } catch (error) {
    if (child && !hasExited(child)) {
      await stopServer(binDir, path.join(dir, 'data'), child, runAs, env).catch(() => undefined);
    }
    if (error instanceof Error) error.message += logTail(path.join(dir, 'server.log'));
    removeDir(dir);
    throw error;
  }
}

function makeHandle(s: {
  binDir: string;
  dir: string;
  dataDir: string;
  port: number;
  version: string;
  /** The running postmaster; replaced by restart(). */
  child: ChildProcess;
  runAs: RunAs | undefined;
  env: NodeJS.ProcessEnv;
}): PostgresServer {
  const lifetime = serviceLifetime({
    dir: s.dir,
    // Stops the server synchronously so it does not outlive us. Ctrl-C needs no help: postgres shares our process
    // group and treats SIGINT as a fast shutdown.
    onExit: () => {
      if (hasExited(s.child)) return;
      try {
        execFileSync(path.join(s.binDir, 'pg_ctl'), ['stop', '-D', s.dataDir, '-m', 'immediate', '-w', '-t', '10'], {
          ...spawnIdentity(s.runAs),
          env: s.env,
          stdio: 'ignore',
          cwd: s.dir,
        });
        removeDir(s.dir);
      } catch {
        // nothing more we can do while exiting
      }
    },
    shutdown: () => stopServer(s.binDir, s.dataDir, s.child, s.runAs, s.env),
  });
  return {
    url: `postgresql://postgres@127.0.0.1:${s.port}/postgres`,
    port: s.port,
    version: s.version,
    dir: s.dir,
    async restart(downMs = 0) {
      if (lifetime.stopped) throw new Error('the PostgreSQL server was stopped; it cannot be restarted');
      await stopServer(s.binDir, s.dataDir, s.child, s.runAs, s.env);
      await sleep(downMs);
      s.child = spawnServer(s.binDir, s.dataDir, s.dir, path.join(s.dir, 'server.log'), s.port, s.runAs, s.env);
      const outcome = await waitUntilAccepting(s.binDir, s.child, s.port, s.dir, s.env);
      if (outcome !== 'ready') {
        throw new Error(`PostgreSQL did not come back on 127.0.0.1:${s.port} after a restart (${outcome})` + logTail(path.join(s.dir, 'server.log')));
      }
    },
    stop: lifetime.stop,
  };
}

/** `url` with its password (if any) replaced by ***, for logs and error messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Finding or installing the binaries

function findOrInstallBinDir(): string {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH nor in /usr/lib/postgresql/*/bin, ' +
        'and they can only be installed automatically when running as root. Install PostgreSQL 15 ' +
        '(e.g. `sudo apt-get install postgresql-15`), or point AUDITDRAIN_TEST_POSTGRES_URL at a running server.',
    );
  }
  process.stderr.write('[auditdrain] PostgreSQL server binaries not found; installing them with apt-get...\n');
  aptInstall('PostgreSQL', [[`postgresql-${PREFERRED_MAJOR}`], ['postgresql']]);
  const installed = findBinDir();
  if (!installed) {
    throw new Error('apt-get installed PostgreSQL, but initdb/pg_ctl/postgres are still not in /usr/lib/postgresql/*/bin');
  }
  return installed;
}

/** A directory holding initdb, pg_ctl, postgres (and normally pg_isready); version 15 first, then newest. */
function findBinDir(): string | undefined {
  const candidates: string[] = [];
  const onPath = findExecutable('initdb');
  if (onPath) candidates.push(path.dirname(fs.realpathSync(onPath)));
  const root = '/usr/lib/postgresql';
  const versions = safeReaddir(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => rank(b) - rank(a));
  candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((bin) => isExecutable(path.join(dir, bin))));

  function rank(version: string): number {
    const major = Number.parseFloat(version);
    return major === PREFERRED_MAJOR ? Number.MAX_SAFE_INTEGER : major;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Users and processes

function resolveRunAs(): RunAs | undefined {
  if (!isRoot()) return undefined;
  const name = 'postgres';
  let ids = lookupUser(name);
  if (!ids) {
    try {
      execFileSync(
        'useradd',
        ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      throw new Error(`could not create the system user "${name}" to run PostgreSQL as: ${errorMessage(error)}`);
    }
    ids = lookupUser(name);
    if (!ids) throw new Error(`created the system user "${name}", but \`id\` does not find it`);
  }
  return { name, ...ids };
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Options that make a child run as `runAs` (libuv also drops root's supplementary groups). */
function spawnIdentity(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
}

function run(
  binDir: string,
  bin: string,
  args: string[],
  options: { runAs: RunAs | undefined; env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<string> {
  const file = path.join(binDir, bin);
  const { runAs } = options;
  return runTool(
    file,
    args,
    {
      ...spawnIdentity(runAs),
      env: options.env,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
    (how, output) => {
      const who = runAs ? ` (as OS user ${runAs.name})` : '';
      const hint =
        runAs && /permission denied/i.test(output)
          ? `\n(the temporary directory must be reachable by the OS user ${runAs.name}; ` +
            `set TMPDIR to a directory it can traverse, e.g. /tmp)`
          : '';
      return `${file} ${args.join(' ')}${who} ${how}:\n${output}${hint}`;
    },
  );
}

function spawnServer(
  binDir: string,
  dataDir: string,
  socketDir: string,
  logFile: string,
  port: number,
  runAs: RunAs | undefined,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: `"${socketDir.replace(/"/g, '""')}"`,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '300',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  // In our process group, so Ctrl-C (SIGINT = fast shutdown) stops it too; stop() ends it explicitly.
  const options = { ...spawnIdentity(runAs), env, cwd: socketDir };
  return spawnLogged(path.join(binDir, 'postgres'), args, logFile, options, 'postgres');
}

/** Polls the server until it accepts connections, exits or READY_TIMEOUT_MS pass. */
function waitUntilAccepting(
  binDir: string,
  child: ChildProcess,
  port: number,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<'ready' | 'exited' | 'timeout'> {
  const pgIsReady = isExecutable(path.join(binDir, 'pg_isready'))
    ? path.join(binDir, 'pg_isready')
    : findExecutable('pg_isready');
  return waitUntilReady(
    () => acceptsConnections(pgIsReady, port, cwd, env),
    () => hasExited(child),
    READY_TIMEOUT_MS,
    50,
  );
}

/** pg_isready when available (exit 0 = accepting connections); otherwise a startup packet over TCP. */
function acceptsConnections(
  pgIsReady: string | undefined,
  port: number,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  if (pgIsReady) {
    return new Promise((resolve) => {
      execFile(
        pgIsReady,
        ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '2'],
        { env, cwd, timeout: 5000 },
        (error) => resolve(!error),
      );
    });
  }
  return tcpStartupProbe(port);
}

/** Sends a protocol-3 startup packet; PostgreSQL answers 'R' (authentication request) once it accepts sessions. */
function tcpStartupProbe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      const body = Buffer.concat([
        Buffer.from([0, 3, 0, 0]),
        Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8'),
      ]);
      const length = Buffer.alloc(4);
      length.writeInt32BE(body.length + 4);
      socket.write(Buffer.concat([length, body]));
    });
    socket.once('data', (data) => done(data[0] === 'R'.charCodeAt(0)));
  });
}

async function stopServer(
  binDir: string,
  dataDir: string,
  child: ChildProcess,
  runAs: RunAs | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (hasExited(child)) return;
  try {
    // -D names exactly our cluster: pg_ctl signals the postmaster whose pid is in <dataDir>/postmaster.pid.
    await run(binDir, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)], {
      runAs,
      env,
      cwd: path.dirname(dataDir),
      timeoutMs: (STOP_TIMEOUT_S + 10) * 1000,
    });
  } catch (error) {
    // pg_ctl could not stop it: make sure our own child (and only it) is gone before the directory is removed.
    if (!hasExited(child)) child.kill('SIGQUIT');
    if (!(await waitForExit(child, 10_000))) child.kill('SIGKILL');
    throw error;
  }
  await waitForExit(child, 10_000);
}
