import { hashApiKeySecret, looksLikeApiKey } from '../../crypto/api-key-secret';
import type { Tx } from '../../store/database';
import type { Role } from '../access/roles';
import { isRole } from '../access/roles';

/** Who is calling, once a key checks out. */
export interface Caller {
  tenantId: string;
  keyId: string;
  role: Role;
}

/** The caller a key belongs to, or null for a malformed, unknown or revoked key. */
export async function authenticateApiKey(db: Tx, secret: string): Promise<Caller | null> {
  if (!looksLikeApiKey(secret)) return null;
  const row = await db.apiKey.findUnique({ where: { secretHash: hashApiKeySecret(secret) } });
  if (!row || row.revokedAt !== null || !isRole(row.role)) return null;
  return { tenantId: row.tenantId, keyId: row.id, role: row.role };
}
