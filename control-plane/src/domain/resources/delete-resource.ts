import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import type { ResourceKind } from './resource-kind';

export async function deleteResource(ctx: ResourceContext, kind: ResourceKind, tenantId: string, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await findResource(tx, kind, tenantId, id);
    await tx.destination.delete({ where: { id: row.id } });
  });
}
