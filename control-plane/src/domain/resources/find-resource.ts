import { ApiError } from '../../errors';
import { isIdOf } from '../../ids';
import type { Tx } from '../../store/database';
import type { ResourceKind } from './resource-kind';
import type { DestinationRow } from './stored-resource';

/** The tenant's resource of this kind with this id; another tenant's, or another kind's, is "does not exist". */
export async function findResource(db: Tx, kind: ResourceKind, tenantId: string, id: string): Promise<DestinationRow> {
  // Not an id of this kind (e.g. holding a NUL, which PostgreSQL refuses to compare): nothing to look up.
  if (!isIdOf(kind.spec.idPrefix, id)) throw ApiError.notFound(kind.spec.title, id);
  const row = await db.destination.findFirst({ where: { id, tenantId, type: kind.spec.name } });
  if (!row) throw ApiError.notFound(kind.spec.title, id);
  return row;
}
