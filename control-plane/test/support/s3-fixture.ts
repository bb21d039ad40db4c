/**
 * A customer's S3 side on a real S3 server (Ceph's RADOS Gateway with its STS), and a control plane that writes to
 * it: a bucket owned by one user, a role the service's own user may assume to write it (as a customer's IAM role
 * trusts the service's principal), and a test service that verifies destinations by writing a test object.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Gateway, S3GatewayUser } from '@auditdrain/test-services';
import { startS3Gateway } from '@auditdrain/test-services';
import type { DeliverySettings } from '../../src/delivery/settings';
import { s3DeliverySettings } from './delivery-settings';
import type { TestService, TestServiceOptions } from './test-service';
import { startTestService } from './test-service';

export interface S3Fixture {
  gw: S3Gateway;
  /** The bucket's owner; its keys serve as a customer's static credentials. */
  owner: S3GatewayUser;
  /** The service's own identity, which the role trusts. */
  serviceUser: S3GatewayUser;
  bucket: string;
  /** A role allowing s3:PutObject and s3:GetBucketLocation, assumable by `serviceUser`. */
  roleArn: string;
  /** The bucket owner's client, to read what was written. */
  ownerS3: S3Client;
  /** The keys under `prefix`. */
  keys(prefix: string): Promise<string[]>;
  /** Delivery settings for a service acting as `serviceUser`, verifying destinations on save. */
  delivery(overrides?: Partial<DeliverySettings>): DeliverySettings;
  /** A control plane with those settings (`service.engine` not started); stopped by `stop()`. */
  startService(options?: Omit<TestServiceOptions, 'delivery'> & { delivery?: Partial<DeliverySettings> }): Promise<TestService>;
  stop(): Promise<void>;
}

export async function startS3Fixture(bucketPrefix: string): Promise<S3Fixture> {
  const gw = await startS3Gateway();
  const services: TestService[] = [];
  let ownerS3: S3Client | undefined;
  try {
    const owner = await gw.createUser('bucket-owner');
    const serviceUser = await gw.createUser('auditdrain-service');
    ownerS3 = new S3Client({
      endpoint: gw.endpoint,
      region: gw.region,
      forcePathStyle: true,
      credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
    });
    const bucket = `${bucketPrefix}-${Date.now().toString(36)}`;
    await ownerS3.send(new CreateBucketCommand({ Bucket: bucket }));
    const roleArn = await gw.createRole(
      'auditdrain-writer',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [serviceUser.arn] }, Action: ['sts:AssumeRole'] }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::*'] }] },
    );
    const client = ownerS3;
    const delivery = (overrides: Partial<DeliverySettings> = {}): DeliverySettings =>
      s3DeliverySettings(gw.endpoint, serviceUser, { requestTimeoutMs: 5_000, concurrency: 2, ...overrides });
    return {
      gw,
      owner,
      serviceUser,
      bucket,
      roleArn,
      ownerS3: client,
      async keys(prefix) {
        return ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key as string);
      },
      delivery,
      async startService(options = {}) {
        const service = await startTestService({ ...options, delivery: delivery(options.delivery) });
        services.push(service);
        return service;
      },
      async stop() {
        for (const service of services) await service.close();
        client.destroy();
        await gw.stop();
      },
    };
  } catch (error) {
    ownerS3?.destroy();
    await gw.stop();
    throw error;
  }
}
