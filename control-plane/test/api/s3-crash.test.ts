/**
 * kill -9 between PutObject and the cursor commit: the built service, with the test-only fault point that kills
 * the process right after a batch's objects are written, is restarted without it. Afterwards every ingested event
 * is in exactly one object and no batch was written twice.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Gateway, S3GatewayUser } from '@auditdrain/test-services';
import { startS3Gateway } from '@auditdrain/test-services';
import { freshDatabase } from '../support/test-service';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

let gw: S3Gateway;
let owner: S3GatewayUser;
let svc: S3GatewayUser;
let ownerS3: S3Client;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

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

async function start(extra: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<string> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      PATH: process.env.PATH,
      AUDITDRAIN_DATA_DIR: fresh.dataDir,
      AUDITDRAIN_HOST: '127.0.0.1',
      AUDITDRAIN_PORT: String(port),
      AUDITDRAIN_LOG_LEVEL: 'warn',
      AUDITDRAIN_STS_ENDPOINT: gw.endpoint,
      AUDITDRAIN_AWS_REGION: 'default',
      AUDITDRAIN_DELIVERY_POLL_MS: '50',
      AUDITDRAIN_MASTER_KEY: 'cd'.repeat(32),
      AWS_ACCESS_KEY_ID: svc.accessKeyId,
      AWS_SECRET_ACCESS_KEY: svc.secretAccessKey,
      ...(fresh.database.dialect === 'postgresql' ? { AUDITDRAIN_DATABASE_URL: fresh.database.url } : {}),
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${err}`);
    const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, stderr: () => err, exited };
}

beforeAll(async () => {
  gw = await startS3Gateway();
  owner = await gw.createUser('crash-owner');
  svc = await gw.createUser('crash-service');
  ownerS3 = new S3Client({ endpoint: gw.endpoint, region: gw.region, forcePathStyle: true, credentials: owner });
  fresh = await freshDatabase();
});
afterAll(async () => {
  ownerS3?.destroy();
  await gw?.stop();
  await fresh?.drop();
});

test('a crash after PutObject and before the cursor commit leaves no duplicate object and loses no event', async () => {
  const roleArn = await gw.createRole(
    'crash-writer',
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [svc.arn] }, Action: ['sts:AssumeRole'] }] },
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: ['arn:aws:s3:::*'] }] },
  );
  await ownerS3.send(new CreateBucketCommand({ Bucket: 'crash-bucket' }));

  const crashing = await start({ AUDITDRAIN_FAULT_INJECTION: 'exit-after-put' });
  const key = /(adk_[A-Za-z0-9_-]{43})/.exec(crashing.stderr())?.[1] as string;
  expect(key).toBeDefined();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${crashing.url}/v1/s3-log-destinations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'crash',
      bucket_name: 'crash-bucket',
      region: 'default',
      role_arn: roleArn,
      endpoint_url: gw.endpoint,
      force_path_style: true,
      batch_duration_in_seconds: 1,
      object_acl: 'bucket-owner-full-control',
    }),
  });
  expect(created.status).toBe(201);
  const ids = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
  const sent = await fetch(`${crashing.url}/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(ids.map((id) => ({ id, action: 'grant.approved', occurred_at: '2026-05-01T08:00:00Z', actor: { type: 'user', id: 'u' } }))),
  });
  expect(sent.status).toBe(202);
  expect(await crashing.exited).toBe('SIGKILL');
  const afterCrash = (await ownerS3.send(new ListObjectsV2Command({ Bucket: 'crash-bucket', Prefix: '2026/' }))).Contents ?? [];
  expect(afterCrash).toHaveLength(1);

  const healthy = await start({});
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = (await (await fetch(`${healthy.url}/v1/s3-log-destinations`, { headers })).json()) as { data: { health: { backlog: number; last_success_at: string | null } }[] };
      if (got.data[0]?.health.last_success_at && got.data[0].health.backlog === 0) break;
      if (Date.now() > deadline) throw new Error('the batch was not committed after the restart');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    healthy.child.kill('SIGTERM');
    await healthy.exited;
  }
  const objects = (await ownerS3.send(new ListObjectsV2Command({ Bucket: 'crash-bucket', Prefix: '2026/' }))).Contents ?? [];
  expect(objects.map((o) => o.Key)).toEqual(afterCrash.map((o) => o.Key));
  const delivered: string[] = [];
  for (const o of objects) {
    const body = await ownerS3.send(new GetObjectCommand({ Bucket: 'crash-bucket', Key: o.Key }));
    delivered.push(...(await body.Body!.transformToString()).trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
  }
  expect(delivered).toEqual(ids);
});
