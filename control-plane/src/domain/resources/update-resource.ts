import { resolveUpdate } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import type { ResourceKind } from './resource-kind';
import { columnsOf, configOf, describedOutputOf } from './stored-resource';

/**
 * Applies a partial update; an invalid request, or one whose destination fails verification, changes nothing.
 * Verification runs outside the transaction (it may wait for a new IAM role); the write then commits only if
 * nobody changed the resource meanwhile.
 */
export async function updateResource(
  ctx: ResourceContext,
  kind: ResourceKind,
  tenantId: string,
  id: string,
  body: unknown,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const row = await findResource(ctx.db.client, kind, tenantId, id);
  const current = configOf(row, ctx.box);
  const resolved = resolveUpdate(kind.spec, current, body);
  if (!resolved.ok) throw ApiError.validation(resolved.issues);
  const { config, changed } = resolved.value;
  if (changed.length === 0) return describedOutputOf(ctx.db, kind, row, current);
  const issues = kind.check(config, ctx.policy);
  if (issues.length > 0) throw ApiError.validation(issues);
  if (changed.some((f) => kind.verifiedFields.includes(f))) await kind.verify(ctx, { id: row.id, tenantId, updatedAt: now }, config);
  const updated = await ctx.db.transaction(async (tx) => {
    const fresh = await findResource(tx, kind, tenantId, id);
    if (fresh.updatedAt.getTime() !== row.updatedAt.getTime()) {
      throw new ApiError('conflict', `${kind.spec.title} ${id} was changed by another request meanwhile; read it and retry`);
    }
    return tx.destination.update({ where: { id: row.id }, data: { updatedAt: now, ...columnsOf(kind, row.id, config, ctx.box) } });
  });
  return describedOutputOf(ctx.db, kind, updated, config);
}
