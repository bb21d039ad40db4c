/**
 * The S3 gateway test service (Ceph radosgw on a throwaway single-node cluster) does what the S3 delivery tests need:
 * buckets and objects with Content-Encoding, SSE-KMS with the testing key store, canned ACLs, access denied across
 * users, STS AssumeRole into another user's bucket, an outage on demand, and a clean stop.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startS3Gateway, type S3Gateway, type S3GatewayUser } from '../src/s3-gateway';

let gateway: S3Gateway;
let userA: S3GatewayUser;
let userB: S3GatewayUser;
const BUCKET = 'drain-target';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function s3(credentials: Credentials, timeoutMs?: number): S3Client {
  return new S3Client({
    endpoint: gateway.endpoint,
    region: gateway.region,
    forcePathStyle: true,
    credentials,
    // rgw 16 answers 411 to the aws-chunked uploads the SDK's default checksums bring with stream bodies.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and keeps waiting.
    ...(timeoutMs
      ? { requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true } }
      : {}),
  });
}

/** Ceph processes whose command line names this gateway's directory. */
function cephProcesses(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(dir) && /ceph-mon|ceph-osd|radosgw/.test(line));
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  gateway = await startS3Gateway();
  process.stderr.write(
    `[s3-gateway] Ceph ${gateway.version} at ${gateway.endpoint}; start-up phases (ms): ${JSON.stringify(gateway.timings)}\n`,
  );
  [userA, userB] = await Promise.all([gateway.createUser('tenant-a', 'Tenant A'), gateway.createUser('tenant-b')]);
  await s3(userA).send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

test('the bucket reports the zonegroup as its location', async () => {
  const location = await s3(userA).send(new GetBucketLocationCommand({ Bucket: BUCKET }));
  expect(location.LocationConstraint).toBe(gateway.region);
});

test('an object stored with Content-Encoding: gzip comes back with the header and the compressed bytes', async () => {
  const lines = '{"event":"a"}\n{"event":"b"}\n';
  const body = gzipSync(lines);
  const client = s3(userA);
  await client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'logs/batch-1.ndjson.gz',
      Body: body,
      ContentType: 'application/x-ndjson',
      ContentEncoding: 'gzip',
    }),
  );
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'logs/batch-1.ndjson.gz' }));
  expect(object.ContentEncoding).toBe('gzip');
  expect(object.ContentType).toBe('application/x-ndjson');
  const stored = Buffer.from(await object.Body!.transformToByteArray());
  expect(stored.equals(body)).toBe(true);
  expect(gunzipSync(stored).toString('utf8')).toBe(lines);
});

test('SSE aws:kms with a testing key id is applied and reported', async () => {
  const client = s3(userA);
  const keyId = gateway.kmsKeyIds[0]!;
  const put = await client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'logs/encrypted.ndjson',
      Body: Buffer.from('secret line\n'),
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyId,
    }),
  );
  expect(put.ServerSideEncryption).toBe('aws:kms');
  expect(put.SSEKMSKeyId).toBe(keyId);
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'logs/encrypted.ndjson' }));
  expect(object.ServerSideEncryption).toBe('aws:kms');
  expect(object.SSEKMSKeyId).toBe(keyId);
  expect(await object.Body!.transformToString()).toBe('secret line\n');

  // A key id the key store does not know is refused.
  const unknown = await rejection(
    client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'logs/unknown-key',
        Body: Buffer.from('x'),
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: 'no-such-key',
      }),
    ),
  );
  expect(unknown.$metadata?.httpStatusCode).toBe(403);
});

test('the canned ACL bucket-owner-full-control shows in GetObjectAcl', async () => {
  const client = s3(userA);
  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/acl', Body: Buffer.from('x'), ACL: 'bucket-owner-full-control' }),
  );
  const acl = await client.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'logs/acl' }));
  expect(acl.Owner?.ID).toBe(userA.uid);
  expect(acl.Grants).toContainEqual(
    expect.objectContaining({ Grantee: expect.objectContaining({ ID: userA.uid }), Permission: 'FULL_CONTROL' }),
  );
});

test("another user's keys are denied on the bucket", async () => {
  const client = s3(userB);
  const put = await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'intruder', Body: Buffer.from('x') })));
  expect(put.name).toBe('AccessDenied');
  expect(put.$metadata?.httpStatusCode).toBe(403);
  const get = await rejection(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'logs/acl' })));
  expect(get.name).toBe('AccessDenied');
  expect(get.$metadata?.httpStatusCode).toBe(403);
});

test("a role in A's account, assumed by B through STS, writes into A's bucket", async () => {
  const roleArn = await gateway.createRole(
    'drain-writer',
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: [userB.arn] }, Action: ['sts:AssumeRole'] }],
    },
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: [`arn:aws:s3:::${BUCKET}/*`] }],
    },
  );
  expect(roleArn).toBe('arn:aws:iam:::role/drain-writer');

  const sts = (user: S3GatewayUser): STSClient =>
    new STSClient({ endpoint: gateway.endpoint, region: gateway.region, credentials: user, maxAttempts: 1 });
  const assumed = await sts(userB).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'auditdrain-delivery', DurationSeconds: 900 }),
  );
  const temporary = assumed.Credentials!;
  expect(temporary.SessionToken).toBeTruthy();
  expect(assumed.AssumedRoleUser?.Arn).toContain('drain-writer');
  const roleClient = s3({
    accessKeyId: temporary.AccessKeyId!,
    secretAccessKey: temporary.SecretAccessKey!,
    sessionToken: temporary.SessionToken!,
  });
  await roleClient.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'logs/via-role.ndjson.gz',
      Body: gzipSync('{"event":"c"}\n'),
      ContentEncoding: 'gzip',
      ACL: 'bucket-owner-full-control',
    }),
  );
  // The bucket owner can read it thanks to the canned ACL (rgw makes the assuming user the object's owner).
  const head = await s3(userA).send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'logs/via-role.ndjson.gz' }));
  expect(head.ContentEncoding).toBe('gzip');
  const acl = await s3(userA).send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'logs/via-role.ndjson.gz' }));
  expect(acl.Grants).toContainEqual(
    expect.objectContaining({ Grantee: expect.objectContaining({ ID: userA.uid }), Permission: 'FULL_CONTROL' }),
  );

  // The permission policy grants PutObject only.
  const read = await rejection(roleClient.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'logs/via-role.ndjson.gz' })));
  expect(read.$metadata?.httpStatusCode).toBe(403);
  // A user the trust policy does not name cannot assume the role.
  const refused = await rejection(sts(userA).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'nope' })));
  expect(refused.$metadata?.httpStatusCode).toBe(403);
});

test('pause() takes the gateway down (connection refused) and resume() brings it back', async () => {
  const client = s3(userA, 1000);
  const put = (key: string): Promise<unknown> =>
    client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from('x') }));
  await gateway.pause();
  const failure = await rejection(put('during-outage'));
  expect(failure.message).toMatch(/ECONNREFUSED/);
  await gateway.resume();
  await put('after-outage');
  await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'after-outage' }));
}, 60_000);

test("pause('hang') freezes the gateway (requests time out) and resume() thaws it", async () => {
  const client = s3(userA, 1000);
  await gateway.pause('hang');
  const failure = await rejection(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'after-outage' })));
  expect(failure.name).toMatch(/TimeoutError/);
  await gateway.resume();
  await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'after-outage' }));
}, 60_000);

test('stop() leaves no Ceph process and no directory behind', async () => {
  const dir = gateway.dir;
  expect(cephProcesses(dir)).toHaveLength(3);
  await gateway.stop();
  expect(cephProcesses(dir)).toEqual([]);
  expect(fs.existsSync(dir)).toBe(false);
  await gateway.stop(); // idempotent
});
