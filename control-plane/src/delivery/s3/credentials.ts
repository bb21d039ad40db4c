/**
 * The credentials an S3 destination writes with, in the order DESIGN.md gives: an IAM role assumed with the
 * tenant's external id; the destination's static keys; or the service's own identity. Assumed-role credentials
 * are cached until five minutes before they expire.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { externalIdOf } from '../../domain/tenants/create-tenant';
import type { AwsCredentials, DeliverySettings } from '../settings';
import { RemoteFailure, describeAwsError } from './aws-error';

export interface CredentialNeeds {
  destinationId: string;
  tenantId: string;
  roleArn: string | null;
  accessKeyId: string | null;
  secretAccessKey: string | null;
}

const REFRESH_BEFORE_MS = 5 * 60_000;

/** RoleSessionName: names the destination (CloudTrail shows it), within STS's 64 characters of `[\w+=,.@-]`. */
export function roleSessionNameOf(destinationId: string): string {
  return `auditdrain-${destinationId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export class CredentialSource {
  readonly #settings: DeliverySettings;
  readonly #sts: STSClient;
  readonly #assumed = new Map<string, AwsCredentials>();

  constructor(settings: DeliverySettings) {
    this.#settings = settings;
    this.#sts = new STSClient({
      region: settings.awsRegion,
      ...(settings.stsEndpoint ? { endpoint: settings.stsEndpoint } : {}),
      ...(settings.serviceCredentials ? { credentials: settings.serviceCredentials } : {}),
      maxAttempts: 2,
      requestHandler: { requestTimeout: settings.requestTimeoutMs, connectionTimeout: 5_000, throwOnRequestTimeout: true },
    });
  }

  /** Credentials for the destination; undefined means the service's default chain. */
  async credentialsFor(needs: CredentialNeeds, now = Date.now()): Promise<AwsCredentials | undefined> {
    if (needs.roleArn) return this.#assume(needs, now);
    if (needs.accessKeyId && needs.secretAccessKey) {
      return { accessKeyId: needs.accessKeyId, secretAccessKey: needs.secretAccessKey };
    }
    return this.#settings.serviceCredentials ?? undefined;
  }

  /** Forgets cached role credentials (after the role's policy changed, or they were refused). */
  forget(needs: CredentialNeeds): void {
    this.#assumed.delete(this.#cacheKey(needs));
  }

  #cacheKey(needs: CredentialNeeds): string {
    return `${needs.destinationId}|${needs.roleArn}`;
  }

  async #assume(needs: CredentialNeeds, now: number): Promise<AwsCredentials> {
    const key = this.#cacheKey(needs);
    const cached = this.#assumed.get(key);
    if (cached?.expiration && cached.expiration.getTime() - REFRESH_BEFORE_MS > now) return cached;
    try {
      const out = await this.#sts.send(
        new AssumeRoleCommand({
          RoleArn: needs.roleArn as string,
          RoleSessionName: roleSessionNameOf(needs.destinationId),
          ExternalId: externalIdOf(needs.tenantId),
          DurationSeconds: 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      const credentials: AwsCredentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        expiration: c.Expiration ?? new Date(now + 3600_000),
      };
      this.#assumed.set(key, credentials);
      return credentials;
    } catch (err) {
      throw new RemoteFailure(describeAwsError(err, 'AssumeRole'));
    }
  }
}
