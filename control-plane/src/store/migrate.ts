/**
 * Schema migrations: the SQL files in migrations/<dialect>/, applied in name order, each in its own transaction,
 * and recorded with a checksum in `_auditdrain_migrations`. A file changed after it was applied stops start-up.
 * On PostgreSQL an advisory lock lets several processes start at once: one migrates, the others wait.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { Config, Dialect } from '../config';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'migrations');
const TABLE = '_auditdrain_migrations';
/** An arbitrary constant naming auditdrain's advisory lock. */
const PG_LOCK_KEY = 4_172_023_511;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function listMigrations(dialect: Dialect): Migration[] {
  const dir = path.join(MIGRATIONS_DIR, dialect);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

function pending(all: Migration[], applied: Map<string, string>): Migration[] {
  for (const [version, checksum] of applied) {
    const known = all.find((m) => m.version === version);
    if (!known) throw new MigrationError(`the database has migration ${version}, which this version does not know: is it older than the database?`);
    if (known.checksum !== checksum) throw new MigrationError(`migration ${known.name} was changed after it was applied`);
  }
  return all.filter((m) => !applied.has(m.version));
}

function migrateSqlite(file: string): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Sqlite(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" ("version" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`);
    const done: string[] = [];
    // IMMEDIATE takes the write lock up front, so two processes cannot both decide a migration is pending.
    const step = db.transaction(() => {
      const rows = db.prepare(`SELECT "version", "checksum" FROM "${TABLE}"`).all() as { version: string; checksum: string }[];
      const next = pending(listMigrations('sqlite'), new Map(rows.map((r) => [r.version, r.checksum])))[0];
      if (!next) return false;
      db.exec(next.sql);
      db.prepare(`INSERT INTO "${TABLE}" VALUES (?, ?, ?, ?)`).run(next.version, next.name, next.checksum, new Date().toISOString());
      done.push(next.name);
      return true;
    });
    while (step.immediate()) {
      /* one migration per transaction */
    }
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  // A connection broken between statements (the server restarting) fails the next one; it must not end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${TABLE}" ("version" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ version: string; checksum: string }>(`SELECT "version", "checksum" FROM "${TABLE}"`);
    const done: string[] = [];
    for (const migration of pending(listMigrations('postgresql'), new Map(rows.map((r) => [r.version, r.checksum])))) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${TABLE}" VALUES ($1, $2, $3, now())`, [migration.version, migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${migration.name} failed: ${(err as Error).message}`);
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Brings the database up to date; returns the names of the migrations it applied. */
export async function migrate(database: Config['database']): Promise<string[]> {
  return database.dialect === 'sqlite' ? migrateSqlite(database.file) : migratePostgres(database.url);
}
