import { resolveCreate } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import type { ResourceContext } from './context';
import type { ResourceKind } from './resource-kind';
import { logHorizon } from '../../store/read-events';
import { columnsOf, describedOutputOf } from './stored-resource';

/**
 * Validates, verifies and stores a new resource. Nothing is written unless every field is valid and the
 * destination answered the test delivery. Delivery starts at the end of the tenant's log as it is now (at the log's
 * horizon, when a transaction still open may yet commit an event below that end).
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
  // Not past an event an open transaction may still commit below the end of the log (read-events.ts, logHorizon).
  const horizon = await logHorizon(ctx.db);
  const row = await ctx.db.transaction(async (tx) => {
    const created = await tx.destination.create({
      data: { id, tenantId, type: kind.spec.name, createdAt: now, updatedAt: now, ...columnsOf(kind, id, config, ctx.box) },
    });
    const end = (await tx.event.aggregate({ where: { tenantId }, _max: { sequence: true } }))._max.sequence ?? 0n;
    const cursor = horizon !== null && horizon < end ? horizon : end;
    await tx.deliveryState.create({ data: { destinationId: id, cursor, consecutiveFailures: 0, nextAttemptAt: now } });
    return created;
  });
  return describedOutputOf(ctx.db, kind, row, config);
}
