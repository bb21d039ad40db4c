import { ApiError } from '../../errors';
import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import type { ResourceKind } from './resource-kind';
import { configOf } from './stored-resource';

/** Runs the destination's test delivery now, with its saved configuration, and says what the remote answered. */
export async function testResource(ctx: ResourceContext, kind: ResourceKind, tenantId: string, id: string): Promise<Record<string, unknown>> {
  const row = await findResource(ctx.db.client, kind, tenantId, id);
  if (!ctx.verification) throw new ApiError('unavailable', 'test deliveries are turned off on this server (AUDITDRAIN_VERIFY_DESTINATIONS=false)');
  const result = await kind.verify(ctx, row, configOf(row, ctx.box));
  return { ok: true, ...result };
}
