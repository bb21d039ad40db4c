import { isIdOf } from '../../ids';
import type { Page, PageRequest } from '../pagination';
import { decodeCursor, encodeCursor } from '../pagination';
import type { ResourceContext } from './context';
import type { ResourceKind } from './resource-kind';
import { configOf, describedOutputOf } from './stored-resource';

/** One page of the tenant's resources of this kind, oldest first. */
export async function listResources(
  ctx: ResourceContext,
  kind: ResourceKind,
  tenantId: string,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, (position) => isIdOf(kind.spec.idPrefix, position));
  const rows = await ctx.db.client.destination.findMany({
    where: { tenantId, type: kind.spec.name, ...(after === undefined ? {} : { id: { gt: after } }) },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return {
    data: await Promise.all(shown.map((row) => describedOutputOf(ctx.db, kind, row, configOf(row, ctx.box)))),
    next_cursor: more ? encodeCursor(shown[shown.length - 1]!.id) : null,
  };
}
