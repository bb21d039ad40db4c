import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import { webhookIntegrationKind } from './resource-kind';
import { configOf } from './stored-resource';

/** A webhook integration's signing secret: the one read that returns a secret, and only to admins. */
export async function getSigningSecret(ctx: ResourceContext, tenantId: string, id: string): Promise<{ signing_secret: string }> {
  const row = await findResource(ctx.db.client, webhookIntegrationKind, tenantId, id);
  return { signing_secret: String(configOf(row, ctx.box).signing_secret) };
}
