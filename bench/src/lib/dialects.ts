/**
 * The databases a benchmark runs against, one round per dialect in the order asked for: SQLite files go in a
 * scratch directory; PostgreSQL is one throwaway server (startPostgres() from @auditdrain/test-services), started
 * before the first PostgreSQL round. Both are removed when the rounds are over, also when one fails.
 */
import pg from 'pg';
import type { Dialect } from '@auditdrain/control-plane';
import { startPostgres } from '@auditdrain/test-services';
import type { PostgresServer } from '@auditdrain/test-services';
import { makeTempDir, removeDir } from '@auditdrain/test-services';

/** Where one round runs: `dir` is its scratch directory (shared by all rounds). */
export type DialectTarget = { dialect: 'sqlite'; dir: string } | { dialect: 'postgresql'; dir: string; server: PostgresServer };

export async function eachDialect<T>(
  dialects: readonly Dialect[],
  progress: (line: string) => void,
  round: (target: DialectTarget) => Promise<T>,
): Promise<T[]> {
  const dir = makeTempDir('auditdrain-bench-');
  let server: PostgresServer | undefined;
  const results: T[] = [];
  try {
    for (const dialect of dialects) {
      if (dialect === 'sqlite') results.push(await round({ dialect, dir }));
      else results.push(await round({ dialect, dir, server: (server ??= await startPostgres()) }));
    }
  } finally {
    if (server) await server.stop().catch((err: unknown) => progress(`could not stop PostgreSQL: ${String(err)}`));
    removeDir(dir);
  }
  return results;
}

/** Creates databases named `names` on the server and returns their URLs, in the same order. */
export async function createDatabases(server: PostgresServer, names: readonly string[]): Promise<string[]> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return names.map((name) => {
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  });
}
