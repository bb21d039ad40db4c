import { resolveUpdate } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import type { ResourceContext } from './context';
import { findResource } from './find-resource';
import type { ResourceKind } from './resource-kind';
import { columnsOf, configOf, outputOf } from './stored-resource';

/** Applies a partial update in one transaction; an invalid request changes nothing. */
export async function updateResource(
  ctx: ResourceContext,
  kind: ResourceKind,
  tenantId: string,
  id: string,
  body: unknown,
  now = new Date(),
): Promise<Record<string, unknown>> {
  return ctx.db.transaction(async (tx) => {
    const row = await findResource(tx, kind, tenantId, id);
    const current = configOf(row, ctx.box);
    const resolved = resolveUpdate(kind.spec, current, body);
    if (!resolved.ok) throw ApiError.validation(resolved.issues);
    const { config, changed } = resolved.value;
    if (changed.length === 0) return outputOf(kind, row, current);
    const issues = kind.check(config, ctx.policy);
    if (issues.length > 0) throw ApiError.validation(issues);
    const updated = await tx.destination.update({
      where: { id: row.id },
      data: { updatedAt: now, ...columnsOf(kind, row.id, config, ctx.box) },
    });
    return outputOf(kind, updated, config);
  });
}
