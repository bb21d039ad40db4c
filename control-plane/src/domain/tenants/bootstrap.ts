/**
 * First start: an empty database gets one tenant and an admin key, so the service is usable at once. With
 * several processes starting together on PostgreSQL, a transaction-scoped advisory lock lets exactly one do it.
 */
import type { Database } from '../../store/database';
import type { CreatedApiKey } from '../api-keys/create-api-key';
import { createApiKey } from '../api-keys/create-api-key';
import type { TenantOut } from './create-tenant';
import { createTenant } from './create-tenant';

const PG_BOOTSTRAP_LOCK = 4_172_023_512;

export async function bootstrapIfEmpty(db: Database, tenantName: string): Promise<{ tenant: TenantOut; key: CreatedApiKey } | null> {
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgresql') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PG_BOOTSTRAP_LOCK})`);
    if ((await tx.tenant.count()) > 0) return null;
    const tenant = await createTenant(tx, tenantName);
    const key = await createApiKey(tx, { tenantId: tenant.id, role: 'admin', name: 'bootstrap admin key' });
    return { tenant, key };
  });
}
