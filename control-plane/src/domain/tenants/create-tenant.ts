import type { Tx } from '../../store/database';
import { ID_PREFIXES, newId } from '../../ids';

export interface TenantOut {
  id: string;
  name: string;
  created_at: string;
}

export async function createTenant(db: Tx, name: string, now = new Date()): Promise<TenantOut> {
  const row = await db.tenant.create({ data: { id: newId(ID_PREFIXES.tenant), name, createdAt: now } });
  return { id: row.id, name: row.name, created_at: row.createdAt.toISOString() };
}

/** The external id AssumeRole carries for a tenant: fixed by the service, never chosen by a user. */
export function externalIdOf(tenantId: string): string {
  return `auditdrain:${tenantId}`;
}
