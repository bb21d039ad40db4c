/**
 * What the service adds to a resource's schema description: values it computes, secrets it generates, and the
 * checks that depend on how the service is configured.
 */
import { randomBytes } from 'node:crypto';
import type { FieldIssue, ResourceConfig, ResourceSpec } from '@auditdrain/schema';
import { s3LogDestination, webhookIntegration } from '@auditdrain/schema';
import { healthOf } from '../../delivery/health';
import { verifyS3Destination } from '../../delivery/s3/verify-destination';
import type { Resolver } from '../../delivery/webhook/network-policy';
import { checkUrlHost, systemResolver } from '../../delivery/webhook/network-policy';
import { ApiError } from '../../errors';
import type { Database } from '../../store/database';
import { externalIdOf } from '../tenants/create-tenant';
import type { ResourceContext } from './context';

export interface Policy {
  /** Plain http and private-network webhook URLs are allowed (tests, local demos). */
  allowPrivateNetwork: boolean;
  /** How webhook hosts are resolved for the SSRF check; default: the system's resolver. */
  resolver?: Resolver;
}

export interface ResourceKind {
  spec: ResourceSpec;
  /** Computed fields beyond id and timestamps. */
  computed(record: { tenantId: string; id: string }): Record<string, unknown>;
  /** Secret values the service generates when the resource is created. */
  generatedSecrets(): Record<string, unknown>;
  /** Checks that depend on the service's policy, run on the complete configuration. */
  check(config: ResourceConfig, policy: Policy): FieldIssue[];
  /** Fields whose change makes an update verify the destination again. */
  verifiedFields: readonly string[];
  /** Proves the destination works (throws ApiError `verification_failed`); run before create and update commit. */
  verify(
    ctx: ResourceContext,
    record: { id: string; tenantId: string; updatedAt: Date },
    config: ResourceConfig,
  ): Promise<Record<string, unknown> | undefined>;
  /** Computed fields read from delivery state (health). */
  describe(db: Database, row: { id: string; tenantId: string; enabled: boolean }, config: ResourceConfig): Promise<Record<string, unknown>>;
}

export const s3LogDestinationKind: ResourceKind = {
  spec: s3LogDestination,
  computed: ({ tenantId }) => ({ external_id: externalIdOf(tenantId) }),
  generatedSecrets: () => ({}),
  check: () => [],
  verifiedFields: [
    'bucket_name',
    'key_prefix',
    'region',
    'role_arn',
    'access_key_id',
    'secret_access_key',
    'server_side_encryption',
    'kms_key_id',
    'object_acl',
    'endpoint_url',
    'force_path_style',
  ],
  verify: async (ctx, record, config) =>
    ctx.verification ? verifyS3Destination(ctx.verification.settings, ctx.verification.writer, record, config) : undefined,
  describe: async (db, row, config) => ({ health: await healthOf(db, row, config) }),
};

/** `whsec_` and base64 of 32 random bytes, the Standard Webhooks secret format. */
export function newSigningSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64');
}

export const webhookIntegrationKind: ResourceKind = {
  spec: webhookIntegration,
  computed: () => ({}),
  generatedSecrets: () => ({ signing_secret: newSigningSecret() }),
  check: (config, policy) => {
    const url = new URL(String(config.url));
    if (url.protocol !== 'https:' && !policy.allowPrivateNetwork) {
      return [{ path: 'url', message: 'must use https' }];
    }
    if (url.username || url.password) {
      return [{ path: 'url', message: 'must not carry credentials; send them in a header instead' }];
    }
    return [];
  },
  verifiedFields: ['url'],
  // Not a test delivery (that is `POST …/test`): the SSRF guard, which needs DNS and so cannot be a sync check.
  // The sender checks again when it connects, against names re-pointed after this.
  verify: async (ctx, _record, config) => {
    if (ctx.policy.allowPrivateNetwork) return undefined;
    const verdict = await checkUrlHost(new URL(String(config.url)), ctx.policy.resolver ?? systemResolver);
    if (!verdict.allowed) throw ApiError.validation([{ path: 'url', message: `must not point into a private network: ${verdict.reason}` }]);
    return undefined;
  },
  describe: async (db, row, config) => ({
    health: await healthOf(db, row, config, await db.client.webhookDelivery.count({ where: { destinationId: row.id, status: 'pending' } })),
  }),
};

export const RESOURCE_KINDS = [s3LogDestinationKind, webhookIntegrationKind] as const;
