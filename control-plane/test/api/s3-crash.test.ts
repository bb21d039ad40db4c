/**
 * kill -9 between PutObject and the cursor commit: the built service, with the test-only fault point that kills
 * the process right after a batch's objects are written, is restarted without it. Afterwards every ingested event
 * is in exactly one object and no batch was written twice.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Gateway, S3GatewayUser } from '@auditdrain/test-services';
import { startS3Gateway } from '@auditdrain/test-services';
import { adminKeyOf, cliEnv, serveCli } from '../support/built-cli';
import { freshDatabase } from '../support/test-service';
import { until } from '../support/until';

let gw: S3Gateway;
let owner: S3GatewayUser;
let svc: S3GatewayUser;
let ownerS3: S3Client;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

function serve(extra: NodeJS.ProcessEnv = {}) {
  return serveCli(
    cliEnv(fresh, {
      AUDITDRAIN_LOG_LEVEL: 'warn',
      AUDITDRAIN_STS_ENDPOINT: gw.endpoint,
      AUDITDRAIN_AWS_REGION: 'default',
      AUDITDRAIN_DELIVERY_POLL_MS: '50',
      AWS_ACCESS_KEY_ID: svc.accessKeyId,
      AWS_SECRET_ACCESS_KEY: svc.secretAccessKey,
      ...extra,
    }),
  );
}

async function objectsInBucket() {
  return (await ownerS3.send(new ListObjectsV2Command({ Bucket: 'crash-bucket', Prefix: '2026/' }))).Contents ?? [];
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

  const crashing = await serve({ AUDITDRAIN_FAULT_INJECTION: 'exit-after-put' });
  const headers = { authorization: `Bearer ${adminKeyOf(crashing.stderr())}`, 'content-type': 'application/json' };
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
  expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const afterCrash = await objectsInBucket();
  expect(afterCrash).toHaveLength(1);

  const healthy = await serve();
  try {
    await until('the batch to be committed after the restart', async () => {
      const got = (await (await fetch(`${healthy.url}/v1/s3-log-destinations`, { headers })).json()) as {
        data: { health: { backlog: number; last_success_at: string | null } }[];
      };
      return got.data[0]?.health.last_success_at && got.data[0].health.backlog === 0;
    }, 30_000, 200);
  } finally {
    await healthy.stop();
  }
  const objects = await objectsInBucket();
  expect(objects.map((o) => o.Key)).toEqual(afterCrash.map((o) => o.Key));
  const delivered: string[] = [];
  for (const o of objects) {
    const body = await ownerS3.send(new GetObjectCommand({ Bucket: 'crash-bucket', Key: o.Key }));
    delivered.push(...(await body.Body!.transformToString()).trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
  }
  expect(delivered).toEqual(ids);
});
