/**
 * The S3 side of the S3 benchmark: Ceph's RADOS Gateway (startS3Gateway() from @auditdrain/test-services) with a
 * bucket owner, the service's own user, and a role only the service may assume that can write objects, as a
 * customer's account would be set up. Also reads back what landed, to prove every event is there exactly once.
 */
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { S3Gateway, S3GatewayUser } from '@auditdrain/test-services';
import { startS3Gateway } from '@auditdrain/test-services';

/**
 * The body of an S3 destination the benchmarks create on the gateway: the role assumed, gzip JSON Lines, batches of
 * at most `maxEvents`, the bucket's owner given full control; `extra` adds or overrides fields.
 */
export function benchDestination(gateway: BenchGateway, bucket: string, maxEvents: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bucket_name: bucket,
    role_arn: gateway.roleArn,
    endpoint_url: gateway.gw.endpoint,
    force_path_style: true,
    encoding: 'jsonl',
    compression: 'gzip',
    object_acl: 'bucket-owner-full-control',
    maximum_batch_size: maxEvents,
    ...extra,
  };
}

export interface BenchGateway {
  gw: S3Gateway;
  owner: S3GatewayUser;
  service: S3GatewayUser;
  roleArn: string;
  /** Client with the bucket owner's keys (reads objects back, lists them). */
  ownerS3: S3Client;
  newBucket(name: string): Promise<string>;
  /** An S3 client with the role's credentials, obtained as the service obtains them (AssumeRole as its user). */
  roleClient(): Promise<S3Client>;
  stop(): Promise<void>;
}

export async function startBenchGateway(): Promise<BenchGateway> {
  const gw = await startS3Gateway();
  try {
    const owner = await gw.createUser('bench-bucket-owner');
    const service = await gw.createUser('bench-auditdrain');
    const roleArn = await gw.createRole(
      'bench-audit-writer',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [service.arn] }, Action: ['sts:AssumeRole'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::*'] }] },
    );
    const clientOf = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      new S3Client({
        endpoint: gw.endpoint,
        region: gw.region,
        forcePathStyle: true,
        credentials,
        // As the service sends them: Buffer bodies with a plain Content-Length, no checksum trailer.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    const ownerS3 = clientOf(owner);
    return {
      gw,
      owner,
      service,
      roleArn,
      ownerS3,
      async newBucket(name) {
        await ownerS3.send(new CreateBucketCommand({ Bucket: name }));
        return name;
      },
      async roleClient() {
        const sts = new STSClient({ endpoint: gw.endpoint, region: gw.region, credentials: service });
        try {
          const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'auditdrain-bench-bare-loop', DurationSeconds: 3600 }));
          const c = out.Credentials!;
          return clientOf({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
        } finally {
          sts.destroy();
        }
      },
      async stop() {
        ownerS3.destroy();
        await gw.stop();
      },
    };
  } catch (err) {
    await gw.stop();
    throw err;
  }
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of out.Contents ?? []) keys.push(o.Key!);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export interface LandedEvents {
  objects: number;
  events: number;
  /** Ids that appear in more than one place. */
  duplicates: number;
  largestObjectEvents: number;
  /** Stored (compressed) bytes of all objects. */
  bytes: number;
}

/** The objects under a destination's `prefix`, without its verification test objects (`<prefix>test/…`). */
export async function listDelivered(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return (await listKeys(s3, bucket, prefix)).filter((k) => !k.startsWith(`${prefix}test/`));
}

/** Reads every delivered object under `prefix` (gzip JSON Lines) and counts the events in them by id. */
export async function readLanded(s3: S3Client, bucket: string, prefix: string): Promise<LandedEvents> {
  const keys = await listDelivered(s3, bucket, prefix);
  const seen = new Set<string>();
  const landed: LandedEvents = { objects: keys.length, events: 0, duplicates: 0, largestObjectEvents: 0, bytes: 0 };
  for (const key of keys) {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const raw = Buffer.from(await out.Body!.transformToByteArray());
    landed.bytes += raw.length;
    const lines = gunzipSync(raw).toString('utf8').trimEnd().split('\n');
    landed.largestObjectEvents = Math.max(landed.largestObjectEvents, lines.length);
    for (const line of lines) {
      const { id } = JSON.parse(line) as { id: string };
      if (seen.has(id)) landed.duplicates++;
      seen.add(id);
      landed.events++;
    }
  }
  return landed;
}
