/**
 * What the service adds to a resource's schema description: values it computes, secrets it generates, and the
 * checks that depend on how the service is configured.
 */
import { randomBytes } from 'node:crypto';
import type { FieldIssue, ResourceConfig, ResourceSpec } from '@auditdrain/schema';
import { s3LogDestination, webhookIntegration } from '@auditdrain/schema';
import { externalIdOf } from '../tenants/create-tenant';

export interface Policy {
  /** Plain http and private-network webhook URLs are allowed (tests, local demos). */
  allowPrivateNetwork: boolean;
}

export interface ResourceKind {
  spec: ResourceSpec;
  /** Computed fields beyond id and timestamps. */
  computed(record: { tenantId: string; id: string }): Record<string, unknown>;
  /** Secret values the service generates when the resource is created. */
  generatedSecrets(): Record<string, unknown>;
  /** Checks that depend on the service's policy, run on the complete configuration. */
  check(config: ResourceConfig, policy: Policy): FieldIssue[];
}

export const s3LogDestinationKind: ResourceKind = {
  spec: s3LogDestination,
  computed: ({ tenantId }) => ({ external_id: externalIdOf(tenantId) }),
  generatedSecrets: () => ({}),
  check: () => [],
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
};

export const RESOURCE_KINDS = [s3LogDestinationKind, webhookIntegrationKind] as const;
