import { ApiError } from '../../errors';
import type { Tx } from '../../store/database';
import type { ApiKeyOut } from './create-api-key';
import { apiKeyOut } from './create-api-key';

/** Revokes a key; it stops working at once. Revoking a revoked key keeps its first revocation time. */
export async function revokeApiKey(db: Tx, keyId: string, now = new Date()): Promise<ApiKeyOut> {
  const row = await db.apiKey.findUnique({ where: { id: keyId } });
  if (!row) throw ApiError.notFound('API key', keyId);
  if (row.revokedAt) return apiKeyOut(row);
  return apiKeyOut(await db.apiKey.update({ where: { id: keyId }, data: { revokedAt: now } }));
}
