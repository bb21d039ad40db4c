import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import type { ResourceKind } from './resource-kind';
import { configOf, describedOutputOf } from './stored-resource';

export async function getResource(
  ctx: ResourceContext,
  kind: ResourceKind,
  tenantId: string,
  id: string,
): Promise<Record<string, unknown>> {
  const row = await findResource(ctx.db.client, kind, tenantId, id);
  return describedOutputOf(ctx.db, kind, row, configOf(row, ctx.box));
}
