import { resolveCreate } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import type { ResourceContext } from './context';
import type { ResourceKind } from './resource-kind';
import { columnsOf, outputOf } from './stored-resource';

/** Validates and stores a new resource; nothing is written unless every field is valid. */
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
  const row = await ctx.db.client.destination.create({
    data: { id, tenantId, type: kind.spec.name, createdAt: now, updatedAt: now, ...columnsOf(kind, id, config, ctx.box) },
  });
  return outputOf(kind, row, config);
}
