/**
 * The throwaway PostgreSQL server restarts as an operator's restart does: sessions open at the time are ended,
 * committed data is kept, and the server answers again on the same port.
 */
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../src/postgres';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: server.url });
  client.on('error', () => undefined); // the restart ends this session from the server's side
  await client.connect();
  return client;
}

test('restart ends open sessions, keeps committed rows and serves on the same port', async () => {
  const before = await connect();
  await before.query('CREATE TABLE kept (n int)');
  await before.query('INSERT INTO kept VALUES (1), (2)');
  const port = server.port;

  await server.restart(300);

  await expect(before.query('SELECT 1')).rejects.toThrow();
  await before.end().catch(() => undefined);
  const after = await connect();
  try {
    expect(server.port).toBe(port);
    expect((await after.query('SELECT sum(n)::int AS total FROM kept')).rows).toEqual([{ total: 3 }]);
  } finally {
    await after.end();
  }
}, 120_000);
