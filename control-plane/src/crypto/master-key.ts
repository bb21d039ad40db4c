/**
 * Where the master key comes from: the environment, or for a single-machine SQLite install a key generated once
 * into the data directory (readable only by the service's user).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';

export function resolveMasterKey(configured: Buffer | null, dataDir: string, log: Logger): Buffer {
  if (configured) return configured;
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte hex key`);
    log.warn({ file }, 'using the master key stored in the data directory; set AUDITDRAIN_MASTER_KEY in production');
    return key;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  log.warn(
    { file },
    'generated a master key into the data directory; back it up with the database, or set AUDITDRAIN_MASTER_KEY',
  );
  return key;
}
