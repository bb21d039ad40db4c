// One empty PostgreSQL database per test file (or per test), on the server named by AUDITDRAIN_TEST_POSTGRES_URL
// (set by test/global-setup.ts, or by whoever runs the tests against a server of their own).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { redact } from '@auditdrain/test-services';

export interface PostgresDatabase {
  /** The URL of the new database: AUDITDRAIN_TEST_POSTGRES_URL with its path replaced by the database name. */
  url: string;
  /** Terminates every connection to the database and drops it. Safe to call more than once. */
  drop(): Promise<void>;
}

/** A new database on `serverUrl` (by default the test server of AUDITDRAIN_TEST_POSTGRES_URL). */
export async function createPostgresDatabase(serverUrl = process.env.AUDITDRAIN_TEST_POSTGRES_URL): Promise<PostgresDatabase> {
  if (!serverUrl) {
    throw new Error(
      'AUDITDRAIN_TEST_POSTGRES_URL is not set. Run the tests through jest from the repository root ' +
        '(test/global-setup.ts starts a throwaway PostgreSQL and sets it), or set it to the URL of a PostgreSQL ' +
        'server on which this user may create databases, e.g. postgresql://postgres@127.0.0.1:5432/postgres.',
    );
  }
  const name = `adt_${randomBytes(8).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    drop(): Promise<void> {
      dropped ??= withClient(serverUrl, async (client) => {
        // A pool may reconnect between the terminate and the drop: retry a few times on "is being accessed".
        for (let attempt = 1; ; attempt++) {
          await client.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [name],
          );
          try {
            await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
            return;
          } catch (error) {
            if ((error as { code?: unknown }).code !== '55006' || attempt >= 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          }
        }
      });
      return dropped;
    },
  };
}

async function withClient<T>(serverUrl: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  client.on('error', () => undefined); // a server-side disconnect must not become an uncaught exception
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `could not connect to the test PostgreSQL server (AUDITDRAIN_TEST_POSTGRES_URL=${redact(serverUrl)}): ` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
