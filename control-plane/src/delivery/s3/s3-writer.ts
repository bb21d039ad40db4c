/**
 * The I/O of the S3 sink: one S3 client per destination configuration (path style and endpoint for S3-compatible
 * stores, the bucket's region discovered with GetBucketLocation when unset), and PutObject with the destination's
 * encryption and ACL. Bodies are Buffers, so the SDK sends a plain Content-Length request (a streamed body would go
 * out aws-chunked, which S3-compatible stores do not all accept).
 */
import { GetBucketLocationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentials, DeliverySettings } from '../settings';
import type { S3Operation } from './aws-error';
import { RemoteFailure, describeAwsError } from './aws-error';
import type { CredentialNeeds, CredentialSource } from './credentials';

/** Everything about a destination that decides where and how its objects are written. */
export interface S3Target {
  destinationId: string;
  /** Changes whenever the destination's configuration does; cached clients are keyed by it. */
  version: string;
  bucket: string;
  region: string | null;
  endpointUrl: string | null;
  forcePathStyle: boolean;
  serverSideEncryption: string | null;
  kmsKeyId: string | null;
  objectAcl: string | null;
  credentials: CredentialNeeds;
}

export interface S3Object {
  key: string;
  body: Buffer;
  contentType: string;
  contentEncoding?: 'gzip' | undefined;
}

/** GetBucketLocation's answer as a region: empty means us-east-1, `EU` is the old name of eu-west-1. */
export function regionFromLocation(location: string | undefined): string {
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

export class S3Writer {
  readonly #settings: DeliverySettings;
  readonly #credentials: CredentialSource;
  readonly #clients = new Map<string, S3Client>();

  constructor(settings: DeliverySettings, credentials: CredentialSource) {
    this.#settings = settings;
    this.#credentials = credentials;
  }

  async put(target: S3Target, object: S3Object): Promise<{ requestId: string | null }> {
    const client = await this.#clientFor(target);
    const out = await this.#call('PutObject', target, () =>
      client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: object.key,
          Body: object.body,
          ContentLength: object.body.length,
          ContentType: object.contentType,
          ...(object.contentEncoding ? { ContentEncoding: object.contentEncoding } : {}),
          ...(target.serverSideEncryption ? { ServerSideEncryption: target.serverSideEncryption as 'AES256' } : {}),
          ...(target.kmsKeyId ? { SSEKMSKeyId: target.kmsKeyId } : {}),
          ...(target.objectAcl ? { ACL: target.objectAcl as 'private' } : {}),
        }),
      ),
    );
    return { requestId: out.$metadata.requestId ?? null };
  }

  /** Drops cached clients and credentials of a destination (after a failure that new credentials may cure). */
  reset(target: S3Target): void {
    for (const key of [...this.#clients.keys()]) if (key.startsWith(`${target.destinationId}|`)) this.#clients.delete(key);
    this.#credentials.forget(target.credentials);
  }

  async #call<T>(operation: S3Operation, target: S3Target, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RemoteFailure) throw err;
      const remote = describeAwsError(err, operation);
      if (remote.http_status === 403 || remote.http_status === 400) this.reset(target);
      throw new RemoteFailure(remote);
    }
  }

  #newClient(target: S3Target, region: string): S3Client {
    const needs = target.credentials;
    const source = this.#credentials;
    const ownIdentity = !needs.roleArn && !needs.accessKeyId && !this.#settings.serviceCredentials;
    return new S3Client({
      region,
      forcePathStyle: target.forcePathStyle,
      ...(target.endpointUrl ? { endpoint: target.endpointUrl } : {}),
      // Resolved per request from the cache, so assumed-role credentials are renewed before they expire. Without
      // a role, keys or configured service credentials, the SDK's default chain is the service's own identity.
      ...(ownIdentity ? {} : { credentials: async () => (await source.credentialsFor(needs)) as AwsCredentials }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1,
      requestHandler: { requestTimeout: this.#settings.requestTimeoutMs, connectionTimeout: 5_000, throwOnRequestTimeout: true },
    });
  }

  async #clientFor(target: S3Target): Promise<S3Client> {
    const key = `${target.destinationId}|${target.version}`;
    const cached = this.#clients.get(key);
    if (cached) return cached;
    let region = target.region;
    if (!region) {
      const probe = this.#newClient(target, this.#settings.awsRegion);
      const location = await this.#call('GetBucketLocation', target, () => probe.send(new GetBucketLocationCommand({ Bucket: target.bucket })));
      region = regionFromLocation(location.LocationConstraint);
      probe.destroy();
    }
    const client = this.#newClient(target, region);
    this.#clients.set(key, client);
    return client;
  }
}
