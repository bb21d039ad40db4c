import { resolveCreate } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import type { ResourceContext } from './context';
import type { ResourceKind } from './resource-kind';
import { columnsOf, describedOutputOf } from './stored-resource';

/**
 * Validates, verifies and stores a new resource. Nothing is written unless every field is valid and the
 * destination answered the test delivery. Delivery starts at the end of the tenant's log as it is now.
 */
export async function createResource(
  ctx: ResourceContext,
  kind: ResourceKind,
  tenantId: string,
  body: unknown,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const resolved = resolveCreate(kind.spec, body);
  if (!resolved.ok) throw ApiError.validation(resolved.issues);
  const issues = kind.check(resolved.value, ctx.policy);
  if (issues.length > 0) throw ApiError.validation(issues);
  const id = newId(kind.spec.idPrefix, now.getTime());
  const config = { ...resolved.value, ...kind.generatedSecrets() };
  await kind.verify(ctx, { id, tenantId, updatedAt: now }, config);
  const row = await ctx.db.transaction(async (tx) => {
    const created = await tx.destination.create({
      data: { id, tenantId, type: kind.spec.name, createdAt: now, updatedAt: now, ...columnsOf(kind, id, config, ctx.box) },
    });
    const end = await tx.event.aggregate({ where: { tenantId }, _max: { sequence: true } });
    await tx.deliveryState.create({
      data: { destinationId: id, cursor: end._max.sequence ?? 0n, consecutiveFailures: 0, nextAttemptAt: now },
    });
    return created;
  });
  return describedOutputOf(ctx.db, kind, row, config);
}
