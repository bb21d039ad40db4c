/**
 * The built `auditdrain` command as an operator runs it: first start prints an admin key once, the README's
 * walkthrough works against the real server, the CLI manages tenants and keys, logs are JSON lines without
 * secrets, and SIGTERM stops it cleanly. Runs on the dialect under test.
 */
import { listMigrations } from '../../src/store/migrate';
import { adminKeyOf, cliEnv, requireBuiltCli, runCli, serveCli } from '../support/built-cli';
import { dialectUnderTest, freshDatabase } from '../support/test-service';

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(env, ...args);

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
  requireBuiltCli();
  fresh = await freshDatabase();
  env = cliEnv(fresh, {
    AUDITDRAIN_LOG_LEVEL: 'info',
    // No AWS here: the walkthrough's destination names a role nothing can assume.
    AUDITDRAIN_VERIFY_DESTINATIONS: 'false',
  });
});
afterAll(() => fresh.drop());

test('first start, walkthrough, CLI, graceful stop, restart', async () => {
  const first = await serveCli(env);
  const secrets: string[] = [];
  try {
    const adminKey = adminKeyOf(first.stderr());
    secrets.push(adminKey);

    // The README's walkthrough.
    const destination = await api(`${first.url}/v1/s3-log-destinations`, adminKey, 'POST', {
      name: 'security archive',
      bucket_name: 'acme-audit-logs',
      role_arn: 'arn:aws:iam::123456789012:role/auditdrain-writer',
      compression: 'gzip',
    });
    expect(destination.status).toBe(201);
    expect(destination.body.external_id).toMatch(/^auditdrain:tnt_/);
    const sent = await api(`${first.url}/v1/events`, adminKey, 'POST', {
      id: 'evt_walkthrough_1',
      action: 'grant.approved',
      occurred_at: '2026-11-21T10:00:00Z',
      actor: { type: 'user', id: 'usr_alice', email: 'alice@example.com' },
      targets: [{ type: 'grant', id: 'gra_123' }],
    });
    expect(sent).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, ids: ['evt_walkthrough_1'] } });
    const listed = await api(`${first.url}/v1/events?kind=audit`, adminKey, 'GET');
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
    void first.stop();
  }
  expect(await first.exited).toEqual({ code: 0, signal: null });

  const lines = first.stdout().split('\n').filter(Boolean);
  const parsed = lines.map((line) => JSON.parse(line) as { msg: string; route?: string; request_id?: string });
  // The walkthrough's ingest has its access-log line (the /readyz polls while starting have theirs too).
  expect(parsed.some((l) => l.msg === 'request' && l.route === '/v1/events' && typeof l.request_id === 'string')).toBe(true);
  expect(parsed[parsed.length - 1]!.msg).toBe('stopped');
  for (const secret of secrets) expect(first.stdout()).not.toContain(secret);

  const second = await serveCli(env);
  expect(await second.stop()).toEqual({ code: 0, signal: null });
  expect(second.stderr()).not.toMatch(/adk_/);
});

test('a bad setting stops start-up with a message naming it', async () => {
  const result = await runCli({ ...env, AUDITDRAIN_PROT: '1' }, 'serve');
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/unknown setting AUDITDRAIN_PROT/);
});

test('migrate applies every migration to an empty database, then reports it up to date', async () => {
  const empty = await freshDatabase();
  try {
    const emptyEnv = cliEnv(empty);
    const names = listMigrations(dialectUnderTest()).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await runCli(emptyEnv, 'migrate')).toEqual({ code: 0, stdout: `applied: ${names.join(', ')}\n`, stderr: '' });
    expect(await runCli(emptyEnv, 'migrate')).toEqual({ code: 0, stdout: 'the database is up to date\n', stderr: '' });
    expect(JSON.parse((await runCli(emptyEnv, 'migrate', '--json')).stdout)).toEqual({ applied: [] });
  } finally {
    await empty.drop();
  }
});
