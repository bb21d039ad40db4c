/**
 * The store: a Prisma client over a driver adapter, SQLite (better-sqlite3) or PostgreSQL (pg).
 *
 * Both dialects' clients are generated from the same models (prisma/models.prisma) and expose the same API, so the
 * rest of the service is written against one type, `Db`: domain code uses only what both dialects support, and the
 * test suite runs against both to keep it that way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { Config, Dialect } from '../config';
import { PrismaClient as PostgresClient, Prisma } from './generated/postgresql/client';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';

export type Db = PostgresClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

export interface Database {
  readonly dialect: Dialect;
  readonly client: Db;
  /** Runs `fn` in one transaction: all of its writes land, or none do. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The driver underneath, for the few hot paths where Prisma's per-query cost dominates (appending a batch of
   * events). Everything else goes through `client`.
   */
  readonly driver: SqliteDriver | PostgresDriver;
  close(): Promise<void>;
}

export interface SqliteDriver {
  dialect: 'sqlite';
  /** Runs `fn` on a connection of its own while no Prisma statement or transaction runs. */
  exclusive<T>(fn: (connection: Sqlite.Database) => T): Promise<T>;
  /**
   * Runs `fn` at once on a read-only connection of its own. In WAL mode it sees exactly the committed rows, never
   * another connection's open transaction, so it needs no turn at the gate.
   */
  read<T>(fn: (connection: Sqlite.Database) => T): T;
}

export interface PostgresDriver {
  dialect: 'postgresql';
  /** The pool Prisma's adapter draws from. */
  pool: pg.Pool;
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter['startTransaction']>>;

/** A FIFO lock: `lock()` resolves with the function that releases it. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => once(release));
    this.#tail = this.#tail.then(() => held);
    return acquired;
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

/**
 * The better-sqlite3 adapter shares one connection between transactions and plain queries, and only transactions
 * wait for each other: a plain query issued while another request's transaction is open runs inside that
 * transaction, and is rolled back with it. This wrapper makes every statement outside a transaction wait for the
 * open transaction to end, which is what SQLite's single writer does anyway.
 */
const SQLITE_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON;';

async function exclusively<T>(gate: Mutex, fn: () => T | Promise<T>): Promise<T> {
  const release = await gate.lock();
  try {
    return await fn();
  } finally {
    release();
  }
}

function serialisedSqlite(factory: PrismaBetterSqlite3, gate: Mutex): PrismaBetterSqlite3 {
  const connect = async (): Promise<SqliteAdapter> => {
    const adapter = await factory.connect();
    await adapter.executeScript(SQLITE_PRAGMAS);
    const exclusive = <T>(fn: () => Promise<T>): Promise<T> => exclusively(gate, fn);
    const wrapTransaction = (tx: SqliteTransaction, release: () => void): SqliteTransaction =>
      new Proxy(tx, {
        get(target, prop) {
          if (prop === 'commit' || prop === 'rollback') {
            return async () => {
              try {
                await target[prop]();
              } finally {
                release();
              }
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    return new Proxy(adapter, {
      get(target, prop) {
        if (prop === 'queryRaw' || prop === 'executeRaw' || prop === 'executeScript') {
          const method = target[prop].bind(target) as (arg: never) => Promise<unknown>;
          return (arg: never) => exclusive(() => method(arg));
        }
        if (prop === 'startTransaction') {
          return async (isolation?: Parameters<SqliteAdapter['startTransaction']>[0]) => {
            const release = await gate.lock();
            try {
              return wrapTransaction(await target.startTransaction(isolation), release);
            } catch (err) {
              release();
              throw err;
            }
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return new Proxy(factory, {
    get(target, prop) {
      if (prop === 'connect') return connect;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface OpenOptions {
  /** PostgreSQL connection pool size per process. */
  poolSize?: number;
}

/** Opens the database the configuration names. Migrations are applied separately (see migrate.ts). */
export function openDatabase(database: Config['database'], options: OpenOptions = {}): Database {
  if (database.dialect === 'sqlite') {
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    const gate = new Mutex();
    const adapter = serialisedSqlite(new PrismaBetterSqlite3({ url: database.file, timeout: 10_000 }), gate);
    const client = new SqliteClient({ adapter }) as unknown as Db;
    let connection: Sqlite.Database | undefined;
    let reader: Sqlite.Database | undefined;
    const driver: SqliteDriver = {
      dialect: 'sqlite',
      exclusive: (fn) =>
        exclusively(gate, () => {
          if (!connection) {
            connection = new Sqlite(database.file, { timeout: 10_000 });
            connection.exec(SQLITE_PRAGMAS);
          }
          return fn(connection);
        }),
      read: (fn) => {
        if (!reader) {
          // The journal mode (WAL) is the file's, set by the writers; LIKE must match case as it does for them.
          reader = new Sqlite(database.file, { readonly: true, timeout: 10_000 });
          reader.exec('PRAGMA case_sensitive_like = ON;');
        }
        return fn(reader);
      },
    };
    return wrap('sqlite', client, driver, async () => {
      connection?.close();
      reader?.close();
    });
  }
  const pool = new pg.Pool({ connectionString: database.url, max: options.poolSize ?? 10 });
  // An idle connection that breaks (the server restarts) is dropped by the pool; the next query reconnects.
  pool.on('error', () => undefined);
  // The pool listens for errors only on idle connections. One that breaks while checked out (inside a transaction,
  // between two of its statements) would otherwise raise an unhandled 'error' and end the process; its statement
  // fails anyway, and the pool discards it when it comes back.
  pool.on('connect', (connection) => connection.on('error', () => undefined));
  const client = new PostgresClient({ adapter: new PrismaPg(pool) });
  return wrap('postgresql', client, { dialect: 'postgresql', pool }, () => pool.end());
}

function wrap(dialect: Dialect, client: Db, driver: Database['driver'], closeDriver: () => Promise<void>): Database {
  return {
    dialect,
    client,
    driver,
    transaction: (fn) => client.$transaction(fn, { maxWait: 10_000, timeout: 30_000 }),
    close: async () => {
      await client.$disconnect();
      await closeDriver();
    },
  };
}
