/**
 * The raw limit: the rows the service would write for the same events, inserted straight through the database
 * driver in transactions of `batch` rows, into a freshly migrated database holding one tenant.
 * - SQLite: one better-sqlite3 connection (WAL, synchronous=NORMAL, foreign_keys=ON, as the service sets them), a
 *   prepared single-row INSERT run `batch` times inside one transaction.
 * - PostgreSQL: `writers` concurrent connections from a pg Pool, each running BEGIN; one prepared multi-row
 *   INSERT of `batch` rows; COMMIT.
 * No duplicate check, no validation, no HTTP: what is left is the database's own cost plus the driver's.
 */
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { createTenant, migrate, openDatabase } from '@auditdrain/control-plane';
import type { Config } from '@auditdrain/control-plane';
import type { BenchEvent, EventRow } from './events';
import { EventFactory, postgresTimestamp, rowOf, sqliteTimestamp } from './events';
import { now } from '../lib/stats';

export interface RawOptions {
  runId: string;
  batch: number;
  eventBytes: number;
  warmupSeconds: number;
  seconds: number;
}

export interface RawResult {
  rows: number;
  transactions: number;
  seconds: number;
  /** Per-transaction latencies (ms) in the measured window. */
  latenciesMs: number[];
}

const COLUMNS = ['tenant_id', 'event_id', 'kind', 'action', 'actor_id', 'occurred_at', 'received_at', 'payload'] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(', ');

/** Migrates the database with the control plane's own migrations and creates the tenant the rows belong to. */
export async function prepareDatabase(database: Config['database']): Promise<string> {
  await migrate(database);
  const db = openDatabase(database, { poolSize: 1 });
  try {
    return (await createTenant(db.client, 'bench')).id;
  } finally {
    await db.close();
  }
}

/** The measured window (in `now()` seconds) of a phase that starts now. */
function measuredWindow(options: RawOptions): { start: number; end: number } {
  const start = now() + options.warmupSeconds;
  return { start, end: start + options.seconds };
}

/**
 * Writes batches of `batch` fresh events (received now) with `write`, one transaction each, until `window.end`,
 * and counts in `result` the transactions that finished inside the measured window (`now()` seconds).
 */
async function writeBatches(
  factory: EventFactory,
  batch: number,
  window: { start: number; end: number },
  result: RawResult,
  write: (events: BenchEvent[], receivedAt: Date) => void | Promise<void>,
): Promise<void> {
  let next = 0;
  while (now() < window.end) {
    const started = now();
    const receivedAt = new Date();
    const { events } = factory.batch(next, batch, receivedAt.toISOString());
    next += batch;
    const pending = write(events, receivedAt);
    if (pending) await pending; // a synchronous writer (SQLite) is timed without an extra turn of the event loop
    const done = now();
    if (done >= window.start && done <= window.end) {
      result.rows += events.length;
      result.transactions += 1;
      result.latenciesMs.push((done - started) * 1000);
    }
  }
}

/**
 * The SQLite raw writer: one better-sqlite3 connection with the pragmas the service sets (WAL, synchronous=NORMAL,
 * foreign_keys=ON) and `write`, which inserts a batch with a prepared single-row INSERT in one transaction.
 */
export function openSqliteWriter(
  file: string,
  tenantId: string,
): { connection: Sqlite.Database; write(events: BenchEvent[], receivedAt: Date): void } {
  const connection = new Sqlite(file, { timeout: 10_000 });
  try {
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('foreign_keys = ON');
    const insert = connection.prepare(`INSERT INTO "events" (${COLUMN_LIST}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const insertRows = connection.transaction((rows: EventRow[]) => {
      for (const r of rows) {
        insert.run(r.tenantId, r.eventId, r.kind, r.action, r.actorId, sqliteTimestamp(r.occurredAt), sqliteTimestamp(r.receivedAt), r.payload);
      }
    });
    return { connection, write: (events, receivedAt) => insertRows(events.map((e) => rowOf(e, tenantId, receivedAt))) };
  } catch (err) {
    connection.close();
    throw err;
  }
}

/**
 * The PostgreSQL raw writer's transaction for batches of `batch` rows, on a connection of the caller's: BEGIN; one
 * prepared multi-row INSERT of the batch; COMMIT (ROLLBACK when the INSERT fails).
 */
export function postgresWriter(
  tenantId: string,
  batch: number,
): (client: pg.ClientBase, events: BenchEvent[], receivedAt: Date) => Promise<void> {
  const placeholders = Array.from({ length: batch }, (_, r) =>
    '(' + COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ') + ')',
  ).join(', ');
  const text = `INSERT INTO "events" (${COLUMN_LIST}) VALUES ${placeholders}`;
  return async (client, events, receivedAt) => {
    const values: unknown[] = [];
    for (const e of events) {
      const r = rowOf(e, tenantId, receivedAt);
      values.push(r.tenantId, r.eventId, r.kind, r.action, r.actorId, postgresTimestamp(r.occurredAt), postgresTimestamp(r.receivedAt), r.payload);
    }
    await client.query('BEGIN');
    try {
      await client.query({ name: `bench_insert_${batch}`, text, values });
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
}

export async function runSqliteRaw(file: string, tenantId: string, options: RawOptions): Promise<RawResult> {
  const { connection, write } = openSqliteWriter(file, tenantId);
  try {
    const factory = new EventFactory(`bench-${options.runId}-raw`, options.eventBytes);
    const result: RawResult = { rows: 0, transactions: 0, seconds: options.seconds, latenciesMs: [] };
    await writeBatches(factory, options.batch, measuredWindow(options), result, write);
    return result;
  } finally {
    connection.close();
  }
}

export async function runPostgresRaw(url: string, tenantId: string, writers: number, options: RawOptions): Promise<RawResult> {
  const pool = new pg.Pool({ connectionString: url, max: writers });
  const write = postgresWriter(tenantId, options.batch);
  const result: RawResult = { rows: 0, transactions: 0, seconds: options.seconds, latenciesMs: [] };
  const window = measuredWindow(options);
  const writer = async (index: number) => {
    const client = await pool.connect();
    try {
      const factory = new EventFactory(`bench-${options.runId}-raw${index}`, options.eventBytes);
      await writeBatches(factory, options.batch, window, result, (events, receivedAt) => write(client, events, receivedAt));
    } finally {
      client.release();
    }
  };
  try {
    await Promise.all(Array.from({ length: writers }, (_, i) => writer(i)));
  } finally {
    await pool.end();
  }
  return result;
}

interface StoredRow {
  kind: string;
  action: string;
  actor_id: string;
  occurred_at: string;
  payload: string;
}

/**
 * Whether the row the service stored for `sample` holds, in the columns derived from the event (kind, action,
 * actor_id, occurred_at, payload), the values the raw writer inserts for it: the list of columns that differ
 * (empty = identical), or a reason the check could not be made.
 */
export async function compareStoredRow(database: Config['database'], sample: BenchEvent | undefined): Promise<string[]> {
  if (!sample) return ['no sample event was sent in the measured window'];
  let stored: StoredRow | undefined;
  let expectedOccurredAt: string;
  if (database.dialect === 'sqlite') {
    const db = new Sqlite(database.file, { readonly: true, fileMustExist: true });
    try {
      stored = db
        .prepare('SELECT "kind", "action", "actor_id", "occurred_at", "payload" FROM "events" WHERE "event_id" = ?')
        .get(sample.id) as StoredRow | undefined;
    } finally {
      db.close();
    }
    expectedOccurredAt = sqliteTimestamp(new Date(sample.occurredAt));
  } else {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<StoredRow>(
        `SELECT "kind", "action", "actor_id", to_char("occurred_at", 'YYYY-MM-DD HH24:MI:SS.MS') AS "occurred_at", "payload"
           FROM "events" WHERE "event_id" = $1`,
        [sample.id],
      );
      stored = rows[0];
    } finally {
      await client.end();
    }
    expectedOccurredAt = postgresTimestamp(new Date(sample.occurredAt));
  }
  if (!stored) return [`the service has no row for event ${sample.id}`];
  const expected = rowOf(sample, '', new Date());
  const differ: string[] = [];
  if (stored.kind !== expected.kind) differ.push('kind');
  if (stored.action !== expected.action) differ.push('action');
  if (stored.actor_id !== expected.actorId) differ.push('actor_id');
  if (stored.occurred_at !== expectedOccurredAt) differ.push(`occurred_at (${stored.occurred_at} vs ${expectedOccurredAt})`);
  if (stored.payload !== expected.payload) differ.push('payload');
  return differ;
}
