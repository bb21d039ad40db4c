/**
 * The delivery engine's reads of the event log, through the driver. Delivery reads thousands of rows per batch,
 * and Prisma maps every row into an object through its query engine; by hand these are plain statements (see
 * bench/RESULTS.md, "s3"). SQLite reads on a read-only connection of its own (database.ts), which sees exactly the
 * committed rows and so never waits behind ingest at the gate that serialises writers.
 *
 * The selection is exact in SQL: tenant, kinds, and the action patterns (action-patterns.ts, `actionsSql`). Webhook
 * dispatch reads ids the same way, and the sender the payloads of the deliveries it is about to send.
 *
 * Reads that may move a cursor take a range `{ after, through }`: `through` is the log's horizon (`logHorizon`),
 * below which no transaction still open can add an event, so a cursor never passes an event committed later.
 */
import type { ActionPatterns } from '../domain/events/action-patterns';
import { actionsSql } from '../domain/events/action-patterns';
import type { Database } from './database';

export interface EventSelection {
  tenantId: string;
  kinds: readonly string[];
  actions: ActionPatterns;
}

/**
 * What deciding a batch needs: the first `limit` selected events after the cursor, summed up (the engine asks on
 * every poll and after every ingest, so no row leaves the database).
 */
export interface NextEvents {
  /** How many there are, up to the limit. */
  count: number;
  first: bigint;
  last: bigint;
  /** When the first one arrived. */
  firstReceivedAt: Date;
}

/** What writing a batch needs. */
export interface EventBody {
  sequence: bigint;
  occurredAt: Date;
  payload: string;
}

type Row = Record<string, unknown>;

/** Collects a query's parameters: `param` returns the placeholder, `?` (SQLite) or `$n` (PostgreSQL). */
function parameters(db: Database) {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return db.dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  // SQLite binds BigInt as INTEGER; PostgreSQL takes the decimal text.
  const seq = (n: bigint) => param(db.dialect === 'sqlite' ? n : n.toString());
  return { params, param, seq };
}

/**
 * Events after a cursor, up to the log's horizon: `through` null means no bound (SQLite, whose single writer commits
 * sequence numbers in order).
 */
export interface AfterCursor {
  after: bigint;
  through: bigint | null;
}

/**
 * The highest sequence number below which every event is committed or never will be; null when there is no such
 * limit (SQLite). PostgreSQL takes sequence numbers at insert and commits in any order, so the last event visible
 * may have gaps below it that an open transaction fills later; migration 0004 keeps track of those transactions.
 * Call it before, not in, the statements that read the events: their snapshots must be taken after it.
 */
export async function logHorizon(db: Database): Promise<bigint | null> {
  const driver = db.driver;
  if (driver.dialect === 'sqlite') return null;
  const { rows } = await driver.pool.query<{ horizon: string }>('SELECT "auditdrain_event_horizon"()::text AS "horizon"');
  return BigInt(rows[0]!.horizon);
}

/** The WHERE text of a selection and range, and its parameters. */
function where(db: Database, selection: EventSelection, range: { after?: bigint; through?: bigint | null; first?: bigint; last?: bigint }) {
  const { params, param, seq } = parameters(db);
  const terms = [`"tenant_id" = ${param(selection.tenantId)}`, `"kind" IN (${selection.kinds.map((k) => param(k)).join(', ')})`];
  if (range.after !== undefined) terms.push(`"sequence" > ${seq(range.after)}`);
  if (range.through !== undefined && range.through !== null) terms.push(`"sequence" <= ${seq(range.through)}`);
  if (range.first !== undefined) terms.push(`"sequence" >= ${seq(range.first)}`);
  if (range.last !== undefined) terms.push(`"sequence" <= ${seq(range.last)}`);
  const actions = actionsSql(selection.actions, param);
  if (actions) terms.push(actions);
  return { text: terms.join(' AND '), params };
}

/** Times as epoch milliseconds, whatever the column's text form (SQLite) or the session's time zone (PostgreSQL). */
function timeColumn(db: Database, column: string, alias: string): string {
  return db.dialect === 'sqlite'
    ? `CAST(ROUND((julianday("${column}") - 2440587.5) * 86400000) AS INTEGER) AS "${alias}"`
    : `(EXTRACT(EPOCH FROM "${column}") * 1000)::float8 AS "${alias}"`;
}

async function query(db: Database, sql: string, params: unknown[]): Promise<Row[]> {
  const driver = db.driver;
  if (driver.dialect === 'sqlite') return driver.read((connection) => connection.prepare(sql).safeIntegers(true).all(...params) as Row[]);
  return (await driver.pool.query<Row>(sql, params)).rows;
}

/** The first `limit` selected events in `range`, summed up; null when there are none. */
export async function nextEvents(db: Database, selection: EventSelection, range: AfterCursor, limit: number): Promise<NextEvents | null> {
  if (selection.kinds.length === 0) return null;
  const w = where(db, selection, range);
  const [summary] = await query(
    db,
    `SELECT COUNT(*) AS "n", MIN("sequence") AS "first", MAX("sequence") AS "last"
     FROM (SELECT "sequence" FROM "events" WHERE ${w.text} ORDER BY "sequence" LIMIT ${Math.floor(limit)}) AS "next"`,
    w.params,
  );
  const count = Number(summary!.n);
  if (count === 0) return null;
  const first = BigInt(summary!.first as bigint | string);
  const p = parameters(db);
  const [head] = await query(db, `SELECT ${timeColumn(db, 'received_at', 'received_ms')} FROM "events" WHERE "sequence" = ${p.seq(first)}`, p.params);
  return { count, first, last: BigInt(summary!.last as bigint | string), firstReceivedAt: new Date(Number(head!.received_ms)) };
}

/** The sequence of the `n`-th selected event in `range` (n ≥ 1); null when there are fewer. */
export async function nthEventAfter(db: Database, selection: EventSelection, range: AfterCursor, n: number): Promise<bigint | null> {
  if (selection.kinds.length === 0) return null;
  const w = where(db, selection, range);
  const [row] = await query(db, `SELECT "sequence" FROM "events" WHERE ${w.text} ORDER BY "sequence" LIMIT 1 OFFSET ${Math.floor(n) - 1}`, w.params);
  return row ? BigInt(row.sequence as bigint | string) : null;
}

/** The selected events from `first` through `last`, in log order, with their payloads. */
export async function eventBodies(db: Database, selection: EventSelection, first: bigint, last: bigint): Promise<EventBody[]> {
  if (selection.kinds.length === 0) return [];
  const w = where(db, selection, { first, last });
  const rows = await query(
    db,
    `SELECT "sequence", ${timeColumn(db, 'occurred_at', 'occurred_ms')}, "payload" FROM "events" WHERE ${w.text} ORDER BY "sequence"`,
    w.params,
  );
  return rows.map((r) => ({ sequence: BigInt(r.sequence as bigint | string), occurredAt: new Date(Number(r.occurred_ms)), payload: r.payload as string }));
}

/** How many selected events there are after `after` (a destination's backlog). */
export async function countEvents(db: Database, selection: EventSelection, after: bigint): Promise<number> {
  if (selection.kinds.length === 0) return 0;
  const w = where(db, selection, { after });
  const [row] = await query(db, `SELECT COUNT(*) AS "n" FROM "events" WHERE ${w.text}`, w.params);
  return Number(row!.n);
}

/** The first `limit` selected events in `range`, in log order: their sequence and id (webhook dispatch). */
export async function eventIdsAfter(
  db: Database,
  selection: EventSelection,
  range: AfterCursor,
  limit: number,
): Promise<{ sequence: bigint; eventId: string }[]> {
  if (selection.kinds.length === 0) return [];
  const w = where(db, selection, range);
  const rows = await query(db, `SELECT "sequence", "event_id" FROM "events" WHERE ${w.text} ORDER BY "sequence" LIMIT ${Math.floor(limit)}`, w.params);
  return rows.map((r) => ({ sequence: BigInt(r.sequence as bigint | string), eventId: r.event_id as string }));
}

/** The payloads of a tenant's events, by sequence (missing ones are left out). */
export async function payloadsOf(db: Database, tenantId: string, sequences: readonly bigint[]): Promise<Map<bigint, string>> {
  const out = new Map<bigint, string>();
  if (sequences.length === 0) return out;
  const p = parameters(db);
  const rows = await query(db, `SELECT "sequence", "payload" FROM "events" WHERE "tenant_id" = ${p.param(tenantId)} AND "sequence" IN (${sequences.map(p.seq).join(', ')})`, p.params);
  for (const r of rows) out.set(BigInt(r.sequence as bigint | string), r.payload as string);
  return out;
}
