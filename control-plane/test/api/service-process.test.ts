/**
 * The built `auditdrain` command as an operator runs it: first start prints an admin key once, the README's
 * walkthrough works against the real server, the CLI manages tenants and keys, logs are JSON lines without
 * secrets, and SIGTERM stops it cleanly. Runs on the dialect under test.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshDatabase } from '../support/test-service';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const MASTER_KEY = 'ab'.repeat(32);

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let env: NodeJS.ProcessEnv;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startServer(): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...env, AUDITDRAIN_PORT: String(port), AUDITDRAIN_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes('auditdrain is listening')) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${err}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
}

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

async function api(url: string, key: string, method: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  fresh = await freshDatabase();
  env = {
    PATH: process.env.PATH,
    AUDITDRAIN_DATA_DIR: fresh.dataDir,
    AUDITDRAIN_LOG_LEVEL: 'info',
    // No AWS here: the walkthrough's destination names a role nothing can assume.
    AUDITDRAIN_VERIFY_DESTINATIONS: 'false',
    ...(fresh.database.dialect === 'postgresql'
      ? { AUDITDRAIN_DATABASE_URL: fresh.database.url, AUDITDRAIN_MASTER_KEY: MASTER_KEY }
      : {}),
  };
});
afterAll(() => fresh.drop());

test('first start, walkthrough, CLI, graceful stop, restart', async () => {
  const first = await startServer();
  const secrets: string[] = [];
  try {
    const adminKey = /(adk_[A-Za-z0-9_-]{43})/.exec(first.stderr())?.[1];
    expect(adminKey).toBeDefined();
    secrets.push(adminKey!);

    // The README's walkthrough.
    const destination = await api(`${first.url}/v1/s3-log-destinations`, adminKey!, 'POST', {
      name: 'security archive',
      bucket_name: 'acme-audit-logs',
      role_arn: 'arn:aws:iam::123456789012:role/auditdrain-writer',
      compression: 'gzip',
    });
    expect(destination.status).toBe(201);
    expect(destination.body.external_id).toMatch(/^auditdrain:tnt_/);
    const sent = await api(`${first.url}/v1/events`, adminKey!, 'POST', {
      id: 'evt_walkthrough_1',
      action: 'grant.approved',
      occurred_at: '2026-11-21T10:00:00Z',
      actor: { type: 'user', id: 'usr_alice', email: 'alice@example.com' },
      targets: [{ type: 'grant', id: 'gra_123' }],
    });
    expect(sent).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, ids: ['evt_walkthrough_1'] } });
    const listed = await api(`${first.url}/v1/events?kind=audit`, adminKey!, 'GET');
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual(['evt_walkthrough_1']);

    // The CLI, against the same database while the server runs.
    const tenant = await cli('tenants', 'create', '--name', 'acme', '--json');
    expect(tenant.code).toBe(0);
    const tenantId = JSON.parse(tenant.stdout).id as string;
    const key = await cli('keys', 'create', '--tenant', tenantId, '--role', 'reader', '--json');
    expect(key.code).toBe(0);
    const reader = JSON.parse(key.stdout) as { id: string; secret: string; role: string };
    expect(reader.role).toBe('reader');
    secrets.push(reader.secret);
    expect((await api(`${first.url}/v1/identity`, reader.secret, 'GET')).body.tenant_id).toBe(tenantId);
    expect((await api(`${first.url}/v1/webhook-integrations`, reader.secret, 'POST', { name: 'x', url: 'https://x.example' })).status).toBe(403);
    const listedKeys = await cli('keys', 'list', '--tenant', tenantId);
    expect(listedKeys.stdout).toContain(reader.id);
    expect(listedKeys.stdout).not.toContain(reader.secret);
    expect((await cli('keys', 'revoke', reader.id)).code).toBe(0);
    expect((await api(`${first.url}/v1/identity`, reader.secret, 'GET')).status).toBe(401);
    expect((await cli('keys', 'create', '--tenant', tenantId, '--role', 'owner')).code).toBe(64);
    expect((await cli('keys', 'create', '--tenant', 'tnt_missing', '--role', 'admin')).stderr).toMatch(/tenant tnt_missing does not exist/);
  } finally {
    first.child.kill('SIGTERM');
  }
  expect(await first.exited).toBe(0);

  const lines = first.stdout().split('\n').filter(Boolean);
  const parsed = lines.map((line) => JSON.parse(line) as { msg: string; request_id?: string });
  expect(parsed.some((l) => l.msg === 'request' && typeof l.request_id === 'string')).toBe(true);
  expect(parsed[parsed.length - 1]!.msg).toBe('stopped');
  for (const secret of secrets) expect(first.stdout()).not.toContain(secret);

  const second = await startServer();
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(second.stderr()).not.toMatch(/adk_/);
});

test('a bad setting stops start-up with a message naming it', async () => {
  const result = await promisify(execFile)(process.execPath, [CLI, 'serve'], { env: { ...env, AUDITDRAIN_PROT: '1' } }).catch(
    (e: { code: number; stderr: string }) => e,
  );
  expect((result as { code: number }).code).toBe(1);
  expect((result as { stderr: string }).stderr).toMatch(/unknown setting AUDITDRAIN_PROT/);
});

test('migrate reports an up-to-date database', async () => {
  const result = await cli('migrate');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/up to date|applied/);
});
