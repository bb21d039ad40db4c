/** The resource types and data sources the provider serves, one file each where they need more than the model. */
import { s3LogDestination, webhookIntegration } from '@auditdrain/schema';
import type { ApiClient } from '../api-client';
import { ManagedResource } from './managed-resource';

export const s3LogDestinationResource = new ManagedResource(s3LogDestination);

/** A webhook integration's signing secret is read from its own endpoint (the resource's read never carries it). */
export const webhookIntegrationResource = new ManagedResource(webhookIntegration, async (client: ApiClient, id: string) => {
  const path = `${webhookIntegration.collectionPath}/${encodeURIComponent(id)}/signing-secret`;
  const answer = await client.get<{ signing_secret: string }>(path, `read the signing secret of ${id}`);
  return { signing_secret: answer?.signing_secret ?? null };
});

export const MANAGED_RESOURCES: readonly ManagedResource[] = [s3LogDestinationResource, webhookIntegrationResource];
