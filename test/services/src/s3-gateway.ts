// A throwaway S3 + STS endpoint for one test run: Ceph's RADOS Gateway (radosgw) on a single-node Ceph cluster (one
// monitor, one OSD keeping its objects in memory, one gateway), everything in a temporary directory and listening on
// 127.0.0.1 only, removed again by stop().
//
// The cluster is private: its own ceph.conf, fsid and cephx keys, admin sockets, pid files and logs under the
// temporary directory; nothing under /etc/ceph, /var/lib/ceph, /var/run/ceph or /var/log/ceph is read or written.
// The OSD uses `memstore` (objects live in the OSD's memory, no disk image, no fsync), which brings the whole
// cluster up in well under a second. The monitor is created with a prebuilt OSD map that already holds osd.0, so
// no `ceph osd new` round trip (nor the Python `ceph` CLI) is needed.
//
// The daemons run as this process's user (Ceph does not refuse root). When the binaries are missing and this process
// is root, the Debian packages are installed with apt-get (the packages' systemd units are never started by us).
//
// Every command is run with execFile/spawn and an argument vector; no value goes through a shell.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import {
  aptInstall, childEnv, exitDescription, findExecutable, freePorts, hasExited, isRoot, lastLines, logTail,
  makeTempDir, removeDir, runTool, serviceLifetime, spawnLogged, waitForExit, waitUntilReady,
} from './process';

export interface S3GatewayUser {
  /** radosgw user id; also the canonical user ID shown in ACLs (Owner.ID, Grantee.ID). */
  readonly uid: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** arn:aws:iam:::user/<uid>, the principal to name in a role's trust policy. */
  readonly arn: string;
}

export interface S3GatewayOptions {
  /** radosgw's `debug_rgw` level (0-20); 20 logs every request's authorization decisions to the rgw log file. */
  debugRgw?: number;
}

/** How pause() takes the gateway down. */
export type S3GatewayPauseMode =
  /** radosgw is shut down: connections to the port are refused until resume() starts it again (default). */
  | 'refuse'
  /** radosgw is frozen with SIGSTOP: connections are accepted by the kernel but never answered (timeouts). */
  | 'hang';

export interface S3Gateway {
  /** http://127.0.0.1:<port>, for path-style addressing (`forcePathStyle: true`); the same port serves STS. */
  readonly endpoint: string;
  readonly port: number;
  /** The region to sign with and to send as LocationConstraint: the zonegroup's API name, "default". */
  readonly region: string;
  /** Ceph's version string, e.g. "16.2.15". */
  readonly version: string;
  /** Key ids of rgw's testing KMS (SSE `aws:kms` with `SSEKMSKeyId` set to one of these). */
  readonly kmsKeyIds: readonly string[];
  /** Temporary directory holding ceph.conf, the keyring, the daemons' data, logs (log/) and admin sockets (run/). */
  readonly dir: string;
  /** radosgw's log file and admin socket (e.g. `ceph --admin-daemon <socket> config set debug_rgw 20`). */
  readonly rgwLogFile: string;
  readonly rgwAdminSocket: string;
  /** Milliseconds spent in each start-up phase (install only when the packages had to be installed). */
  readonly timings: Readonly<Record<string, number>>;
  /** Creates a user with fresh S3 keys. The uid doubles as the canonical user ID. */
  createUser(uid: string, displayName?: string): Promise<S3GatewayUser>;
  /**
   * Creates an IAM role (in the one, tenant-less account all users share) with the given trust policy and one
   * inline permission policy, and returns its ARN (arn:aws:iam:::role/<name>). Policies are objects or JSON text.
   */
  createRole(name: string, trustPolicy: object | string, permissionPolicy: object | string): Promise<string>;
  /** Runs radosgw-admin against this cluster and returns its standard output. */
  admin(args: readonly string[]): Promise<string>;
  /** Takes radosgw down (see S3GatewayPauseMode); the monitor and the OSD keep running. Idempotent. */
  pause(mode?: S3GatewayPauseMode): Promise<void>;
  /** Brings radosgw back on the same port and resolves once it answers HTTP again. No-op when not paused. */
  resume(): Promise<void>;
  /** Kills the three daemons and removes the directory (all data is thrown away). Safe to call more than once. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const TOOL_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3; // a free port we were given can be taken by someone else before a daemon binds it
const KMS_KEY_IDS = ['testkey-1', 'testkey-2'] as const;
const APT_PACKAGES = ['ceph-mon', 'ceph-osd', 'radosgw', 'ceph-common'];
const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph-authtool', 'monmaptool', 'osdmaptool'];

type Daemon = 'mon' | 'osd' | 'rgw';

/** Ceph names of the three daemons; also the names of their log files and admin sockets. */
const NAMES: Record<Daemon, string> = { mon: 'mon.a', osd: 'osd.0', rgw: 'client.rgw' };

interface Layout {
  dir: string;
  conf: string;
  keyring: string;
  logDir: string;
  runDir: string;
}

export async function startS3Gateway(options: S3GatewayOptions = {}): Promise<S3Gateway> {
  const timings: Record<string, number> = {};
  let phaseStart = Date.now();
  const phase = (name: string): void => {
    const now = Date.now();
    timings[name] = now - phaseStart;
    phaseStart = now;
  };

  const bins = findOrInstallBinaries();
  if (bins.installed) phase('install');
  else phaseStart = Date.now();
  // Our environment minus CEPH_ARGS, CEPH_CONF, ... which every Ceph tool honours and which could redirect it.
  const env = childEnv('CEPH_');
  const versionOutput = execFileSync(bins.path.radosgw!, ['--version'], { encoding: 'utf8', env }).trim();
  const version = /ceph version (\S+)/.exec(versionOutput)?.[1] ?? versionOutput;

  for (let attempt = 1; ; attempt++) {
    const dir = makeTempDir('auditdrain-s3-');
    const layout: Layout = {
      dir,
      conf: path.join(dir, 'ceph.conf'),
      keyring: path.join(dir, 'keyring'),
      logDir: path.join(dir, 'log'),
      runDir: path.join(dir, 'run'),
    };
    const children: Partial<Record<Daemon, ChildProcess>> = {};
    let handedOver = false;
    try {
      const [monPort, rgwPort] = await freePorts(2);
      const kmsKeys = KMS_KEY_IDS.map((id) => ({ id, key: randomBytes(32).toString('base64') }));
      for (const sub of ['mon', 'osd', 'rgw', 'log', 'run', 'crash']) fs.mkdirSync(path.join(dir, sub));
      const fsid = randomUUID();
      fs.writeFileSync(layout.conf, cephConf(layout, fsid, monPort!, rgwPort!, kmsKeys, options));
      await writeKeyring(bins.path['ceph-authtool']!, layout, env);
      phase(attempt === 1 ? 'config' : `config#${attempt}`);

      // The monitor's store starts out with an OSD map that already contains osd.0 (and the keyring's keys), and the
      // OSD's store is created at the same time; neither needs a running monitor.
      const monmap = path.join(dir, 'monmap');
      const osdmap = path.join(dir, 'osdmap');
      const tool = (bin: string, args: string[]): Promise<string> => run(bins.path[bin]!, args, { env, cwd: dir });
      await Promise.all([
        (async () => {
          await tool('monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, monmap]);
          await tool('osdmaptool', ['-c', layout.conf, '--createsimple', '1', '--clobber', osdmap]);
          await tool('ceph-mon', [
            '-c', layout.conf, '--mkfs', '-i', 'a', '--monmap', monmap, '--osdmap', osdmap, '--keyring', layout.keyring,
          ]);
        })(),
        tool('ceph-osd', ['-c', layout.conf, '--mkfs', '-i', '0', '--osd-uuid', randomUUID(), '--no-mon-config']),
      ]);
      phase(attempt === 1 ? 'mkfs' : `mkfs#${attempt}`);

      // The OSD and radosgw wait for the monitor by themselves, and radosgw's start-up (creating its pools, the
      // default realm/zonegroup/zone) waits for the OSD, so all three can be started at once.
      for (const daemon of ['mon', 'osd', 'rgw'] as const) children[daemon] = spawnDaemon(bins, layout, daemon, env);
      const outcome = await waitUntilAnswering(rgwPort!, children);
      phase(attempt === 1 ? 'daemons' : `daemons#${attempt}`);
      if (outcome === 'ready') {
        handedOver = true;
        return makeHandle({ bins, env, layout, rgwPort: rgwPort!, version, children, timings, kmsKeyIds: KMS_KEY_IDS });
      }
      const exited = (Object.keys(children) as Daemon[]).filter((d) => hasExited(children[d]!));
      if (attempt < START_ATTEMPTS && exited.some((d) => /address already in use/i.test(daemonLog(layout, d)))) {
        continue; // someone else took a port between freePorts() and the daemon binding it (finally cleans up)
      } else {
        throw new Error(
          outcome === 'exited'
            ? `Ceph ${exited.map((d) => `${NAMES[d]} (${exitDescription(children[d]!)})`).join(', ')} exited ` +
                `before radosgw answered on 127.0.0.1:${rgwPort}.`
            : `radosgw did not answer HTTP on 127.0.0.1:${rgwPort} within ${READY_TIMEOUT_MS / 1000}s.`,
        );
      }
    } catch (error) {
      if (error instanceof Error) error.message += logTails(layout, children);
      throw error;
    } finally {
      if (!handedOver) {
        await killAll(children).catch(() => undefined);
        removeDir(dir);
      }
    }
  }
}

function makeHandle(s: {
  bins: Binaries;
  env: NodeJS.ProcessEnv;
  layout: Layout;
  rgwPort: number;
  version: string;
  children: Partial<Record<Daemon, ChildProcess>>;
  timings: Record<string, number>;
  kmsKeyIds: readonly string[];
}): S3Gateway {
  const { bins, env, layout, rgwPort, children } = s;
  let paused: S3GatewayPauseMode | undefined;
  let transition: Promise<void> = Promise.resolve(); // pause()/resume() run one after the other

  const lifetime = serviceLifetime({
    dir: layout.dir,
    // Ctrl-C needs no help: the daemons share our process group and shut down on SIGINT (except a radosgw frozen by
    // pause('hang')).
    onExit: () => {
      for (const child of Object.values(children)) {
        if (child && !hasExited(child)) {
          try {
            child.kill('SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      try {
        removeDir(layout.dir);
      } catch {
        // nothing more we can do while exiting
      }
    },
    shutdown: async () => {
      await transition;
      await killAll(children);
    },
  });

  const admin = (args: readonly string[]): Promise<string> =>
    run(bins.path['radosgw-admin']!, ['-c', layout.conf, '-n', 'client.admin', ...args], { env, cwd: layout.dir });

  const serially = (step: () => Promise<void>): Promise<void> => {
    const next = transition.then(step);
    transition = next.catch(() => undefined);
    return next;
  };

  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    port: rgwPort,
    region: 'default',
    version: s.version,
    kmsKeyIds: s.kmsKeyIds,
    dir: layout.dir,
    rgwLogFile: path.join(layout.logDir, `${NAMES.rgw}.log`),
    rgwAdminSocket: path.join(layout.runDir, `${NAMES.rgw}.asok`),
    timings: s.timings,

    async createUser(uid: string, displayName = uid): Promise<S3GatewayUser> {
      checkName('user id', uid, /^[A-Za-z0-9][A-Za-z0-9_.@+=,-]{0,127}$/);
      const accessKeyId = `AKRGW${randomBytes(10).toString('hex').toUpperCase().slice(0, 15)}`;
      const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'x');
      await admin([
        'user', 'create', `--uid=${uid}`, `--display-name=${displayName}`,
        `--access-key=${accessKeyId}`, `--secret=${secretAccessKey}`,
      ]);
      return { uid, accessKeyId, secretAccessKey, arn: `arn:aws:iam:::user/${uid}` };
    },

    async createRole(name: string, trustPolicy: object | string, permissionPolicy: object | string): Promise<string> {
      checkName('role name', name, /^[A-Za-z0-9_+=,.@-]{1,64}$/);
      const asJson = (doc: object | string): string => (typeof doc === 'string' ? doc : JSON.stringify(doc));
      const created = await admin([
        'role', 'create', `--role-name=${name}`, `--assume-role-policy-doc=${asJson(trustPolicy)}`,
      ]);
      await admin([
        'role-policy', 'put', `--role-name=${name}`, '--policy-name=permissions',
        `--policy-doc=${asJson(permissionPolicy)}`,
      ]);
      try {
        const arn = (JSON.parse(created) as { Arn?: unknown }).Arn;
        if (typeof arn === 'string') return arn;
      } catch {
        // fall through to the documented form
      }
      return `arn:aws:iam:::role/${name}`;
    },

    admin,

    pause(mode: S3GatewayPauseMode = 'refuse'): Promise<void> {
      return serially(async () => {
        if (lifetime.stopped) throw new Error('the S3 gateway has been stopped');
        if (paused) return;
        const rgw = children.rgw;
        if (!rgw || hasExited(rgw)) {
          throw new Error(`radosgw is not running (${rgw ? exitDescription(rgw) : 'never started'})`);
        }
        if (mode === 'hang') {
          rgw.kill('SIGSTOP');
        } else {
          // SIGTERM lets radosgw drop its watches on the control objects; after a SIGKILL the next radosgw-admin
          // notify would wait for the dead watcher to time out.
          rgw.kill('SIGTERM');
          if (!(await waitForExit(rgw, STOP_TIMEOUT_MS))) {
            rgw.kill('SIGKILL');
            await waitForExit(rgw, STOP_TIMEOUT_MS);
          }
        }
        paused = mode;
      });
    },

    resume(): Promise<void> {
      return serially(async () => {
        if (lifetime.stopped) throw new Error('the S3 gateway has been stopped');
        if (!paused) return;
        if (paused === 'hang') {
          children.rgw!.kill('SIGCONT');
        } else {
          children.rgw = spawnDaemon(bins, layout, 'rgw', env);
        }
        paused = undefined;
        const outcome = await waitUntilAnswering(rgwPort, children);
        if (outcome !== 'ready') {
          throw new Error(
            `radosgw ${outcome === 'exited' ? 'exited' : 'did not answer'} after resume() on 127.0.0.1:${rgwPort}` +
              logTails(layout, children),
          );
        }
      });
    },

    stop: lifetime.stop,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration

function cephConf(
  layout: Layout,
  fsid: string,
  monPort: number,
  rgwPort: number,
  kmsKeys: Array<{ id: string; key: string }>,
  options: S3GatewayOptions,
): string {
  const { dir, logDir, runDir } = layout;
  for (const value of [dir, layout.keyring]) {
    // ceph.conf has no quoting that would survive every character; the directory comes from mkdtemp under TMPDIR.
    if (/[\s#;=\\$]/.test(value)) throw new Error(`TMPDIR must not contain whitespace, #, ;, =, \\ or $: ${value}`);
  }
  const debugRgw = options.debugRgw ?? 1;
  if (!Number.isInteger(debugRgw) || debugRgw < 0 || debugRgw > 20) {
    throw new Error(`debugRgw must be an integer from 0 to 20: ${debugRgw}`);
  }
  const global: Record<string, string> = {
    fsid,
    'mon host': `v2:127.0.0.1:${monPort}`,
    'mon initial members': 'a',
    // Only loopback: the OSD picks its own ports (ms bind port min/max), but on 127.0.0.1.
    'public addr': '127.0.0.1',
    'cluster addr': '127.0.0.1',
    'ms bind ipv4': 'true',
    'ms bind ipv6': 'false',
    'auth cluster required': 'cephx',
    'auth service required': 'cephx',
    'auth client required': 'cephx',
    keyring: layout.keyring,
    'run dir': runDir,
    // No admin socket and no pid file for short-lived clients (radosgw-admin, ...): several may run at once.
    'admin socket': '',
    'pid file': '',
    'log file': path.join(logDir, '$name.log'),
    'mon cluster log file': path.join(logDir, 'cluster.log'),
    'crash dir': path.join(dir, 'crash'),
    'log to stderr': 'false',
    'err to stderr': 'true',
    'osd pool default size': '1',
    'osd pool default min size': '1',
    // radosgw creates 6-7 pools; Pacific's default of 32 PGs each would exceed mon_max_pg_per_osd (250) on one OSD.
    'osd pool default pg num': '8',
    'osd pool default pgp num': '8',
    'osd pool default pg autoscale mode': 'off',
    'mon allow pool size one': 'true',
    'mon warn on pool no redundancy': 'false',
    'osd crush chooseleaf type': '0',
  };
  const daemon = (name: string): Record<string, string> => ({
    'admin socket': path.join(runDir, `${name}.asok`),
    'pid file': path.join(runDir, `${name}.pid`),
  });
  const sections: Record<string, Record<string, string>> = {
    global,
    mon: {
      ...daemon(NAMES.mon),
      'mon data': path.join(dir, 'mon'),
      // The monitor batches map changes for 1 s by default; radosgw's start-up creates pools one after the other.
      'paxos propose interval': '0.01',
      // Exit at once when the port was taken meanwhile (the default retries 3 times 5 s apart); start-up then
      // starts over on other ports.
      'ms bind retry count': '1',
      'mon data avail warn': '1',
      'mon data avail crit': '0',
    },
    osd: {
      ...daemon(NAMES.osd),
      'osd data': path.join(dir, 'osd'),
      'osd objectstore': 'memstore',
      // Capacity the OSD reports (used for full/nearfull checks); memory is only taken by objects actually stored.
      'memstore device bytes': String(8 * 1024 ** 3),
    },
    [NAMES.rgw]: {
      ...daemon(NAMES.rgw),
      'rgw frontends': `beast endpoint=127.0.0.1:${rgwPort}`,
      'rgw data': path.join(dir, 'rgw'),
      'debug rgw': String(debugRgw),
      // STS (AssumeRole and the temporary credentials it hands out); the key must be exactly 16 characters.
      'rgw sts key': randomBytes(8).toString('hex'),
      'rgw s3 auth use sts': 'true',
      // SSE over plain http, SSE-KMS with keys from the configuration.
      'rgw crypt require ssl': 'false',
      'rgw crypt s3 kms backend': 'testing',
      'rgw crypt s3 kms encryption keys': kmsKeys.map(({ id, key }) => `${id}=${key}`).join(' '),
    },
  };
  const lines = (settings: Record<string, string>): string[] =>
    Object.entries(settings).map(([key, value]) => `${key} = ${value}`.trimEnd());
  return Object.entries(sections)
    .map(([section, settings]) => [`[${section}]`, ...lines(settings), ''].join('\n'))
    .join('\n');
}

/** One keyring for the whole cluster: the monitor imports all of it at mkfs; every daemon and tool reads it. */
async function writeKeyring(authtool: string, layout: Layout, env: NodeJS.ProcessEnv): Promise<void> {
  const entities: Array<[string, Record<string, string>]> = [
    ['mon.', { mon: 'allow *' }],
    ['client.admin', { mon: 'allow *', osd: 'allow *', mgr: 'allow *' }],
    ['osd.0', { mon: 'allow profile osd', osd: 'allow *', mgr: 'allow profile osd' }],
    [NAMES.rgw, { mon: 'allow rw', osd: 'allow rwx' }],
  ];
  for (const [index, [name, caps]] of entities.entries()) {
    const args = [layout.keyring, ...(index === 0 ? ['--create-keyring'] : []), '--gen-key', '-n', name];
    for (const [service, cap] of Object.entries(caps)) args.push('--cap', service, cap);
    await run(authtool, args, { env, cwd: layout.dir });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Finding or installing the binaries

interface Binaries {
  path: Record<string, string>;
  installed: boolean;
}

function findOrInstallBinaries(): Binaries {
  const found = findBinaries();
  if (found) return { path: found, installed: false };
  const missing = BINARIES.filter((bin) => !findBinary(bin));
  if (!isRoot()) {
    throw new Error(
      `Ceph binaries not found on PATH nor in /usr/bin: ${missing.join(', ')}; they can only be installed ` +
        `automatically when running as root. Install them with \`sudo apt-get install --no-install-recommends ` +
        `${APT_PACKAGES.join(' ')}\`.`,
    );
  }
  process.stderr.write(
    `[auditdrain] Ceph binaries not found (${missing.join(', ')}); installing them with apt-get...\n`,
  );
  // policy-rc.d-style start-up of the packages' services is not our business; we never start them, and without
  // systemd as PID 1 the postinst scripts cannot start them either.
  aptInstall('Ceph', [APT_PACKAGES]);
  const installed = findBinaries();
  if (!installed) {
    throw new Error(`apt-get installed ${APT_PACKAGES.join(' ')}, but these are still missing: ` +
      BINARIES.filter((bin) => !findBinary(bin)).join(', '));
  }
  return { path: installed, installed: true };
}

function findBinaries(): Record<string, string> | undefined {
  const found: Record<string, string> = {};
  for (const bin of BINARIES) {
    const file = findBinary(bin);
    if (!file) return undefined;
    found[bin] = file;
  }
  return found;
}

function findBinary(command: string): string | undefined {
  return findExecutable(command, ['/usr/bin', '/usr/sbin']);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

function run(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<string> {
  const toolOptions = { ...options, timeoutMs: TOOL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 };
  const command = `${path.basename(file)} ${args.join(' ')}`;
  return runTool(file, args, toolOptions, (how, output) => `${command} ${how}:\n${output}`);
}

/** Starts one daemon in the foreground (-f: it still logs to its log file) with this cluster's ceph.conf. */
function spawnDaemon(bins: Binaries, layout: Layout, daemon: Daemon, env: NodeJS.ProcessEnv): ChildProcess {
  const [file, args] = {
    mon: [bins.path['ceph-mon']!, ['-f', '-c', layout.conf, '-i', 'a']],
    osd: [bins.path['ceph-osd']!, ['-f', '-c', layout.conf, '-i', '0']],
    rgw: [bins.path.radosgw!, ['-f', '-c', layout.conf, '-n', NAMES.rgw]],
  }[daemon] as [string, string[]];
  // What a daemon prints before its log file is open (bad configuration, bind errors with -f) goes here.
  const outFile = path.join(layout.logDir, `${NAMES[daemon]}.out`);
  // In our process group, so Ctrl-C (SIGINT, a clean shutdown for Ceph) stops them too; stop() ends them explicitly.
  return spawnLogged(file, args, outFile, { env, cwd: layout.dir });
}

/** Polls radosgw over HTTP (an anonymous ListBuckets) until it answers, a daemon exits or the deadline passes. */
function waitUntilAnswering(
  port: number,
  children: Partial<Record<Daemon, ChildProcess>>,
): Promise<'ready' | 'exited' | 'timeout'> {
  const anyExited = (): boolean => Object.values(children).some((child) => child && hasExited(child));
  return waitUntilReady(() => answersHttp(port), anyExited, READY_TIMEOUT_MS, 25);
}

function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode < 500);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/** SIGKILL: the cluster is thrown away, so there is nothing to shut down cleanly (and an OSD whose monitor is gone
 * spends seconds trying to report itself down). Only our own children are signalled. */
async function killAll(children: Partial<Record<Daemon, ChildProcess>>): Promise<void> {
  const running = Object.values(children).filter((child): child is ChildProcess => !!child && !hasExited(child));
  for (const child of running) child.kill('SIGKILL');
  const gone = await Promise.all(running.map((child) => waitForExit(child, STOP_TIMEOUT_MS)));
  if (gone.includes(false)) {
    const pids = running.filter((_, i) => !gone[i]).map((child) => child.pid);
    throw new Error(`Ceph daemon(s) ${pids.join(', ')} did not exit within ${STOP_TIMEOUT_MS / 1000}s of SIGKILL`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function checkName(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new Error(`invalid ${what} ${JSON.stringify(value)} (must match ${String(pattern)})`);
}

/** A daemon's early output (<name>.out) and its log file (<name>.log). */
function daemonFiles(layout: Layout, daemon: Daemon): string[] {
  return [`${NAMES[daemon]}.out`, `${NAMES[daemon]}.log`].map((name) => path.join(layout.logDir, name));
}

function daemonLog(layout: Layout, daemon: Daemon): string {
  return daemonFiles(layout, daemon)
    .map((file) => lastLines(file))
    .join('\n');
}

/** The last lines of each daemon's output and log, for error messages (the ones that exited first). */
function logTails(layout: Layout, children: Partial<Record<Daemon, ChildProcess>>): string {
  const started = (['mon', 'osd', 'rgw'] as const).filter((d) => children[d]);
  const exited = started.filter((d) => hasExited(children[d]!));
  return (exited.length > 0 ? exited : started)
    .flatMap((d) => daemonFiles(layout, d))
    .map((file) => logTail(file, 15))
    .join('');
}
