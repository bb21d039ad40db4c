import type { Tx } from '../../store/database';
import type { TenantOut } from './create-tenant';

export async function listTenants(db: Tx): Promise<TenantOut[]> {
  const rows = await db.tenant.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) => ({ id: r.id, name: r.name, created_at: r.createdAt.toISOString() }));
}
