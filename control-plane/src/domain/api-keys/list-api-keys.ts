import type { Tx } from '../../store/database';
import type { ApiKeyOut } from './create-api-key';
import { apiKeyOut } from './create-api-key';

export async function listApiKeys(db: Tx, tenantId: string): Promise<ApiKeyOut[]> {
  const rows = await db.apiKey.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
  return rows.map(apiKeyOut);
}
