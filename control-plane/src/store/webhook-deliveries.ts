/**
 * The webhook hot path through the driver: adding deliveries (handing events to an integration moves its cursor
 * in the same transaction; manual retries and replays add them without), taking due deliveries, and recording
 * attempts with their outcome and the integration's health. Through Prisma these cost more CPU than the HTTP
 * requests they serve: each `createMany` and `updateMany` of a different size is compiled afresh
 * (bench/RESULTS.md, "webhook"). Disabling an integration, which is rare, stays on Prisma.
 *
 * Times are written as Prisma writes them, so both read each other's rows: SQLite text `YYYY-MM-DDTHH:MM:SS.mmm+00:00`,
 * PostgreSQL `timestamp(3)` in UTC.
 */
import type Sqlite from 'better-sqlite3';
import type { Database } from './database';
import type { Lease } from './leases';
import { assertHeld } from './leases';
import { sqliteTime } from './sqlite-time';
import { addMinutesPostgres, addMinutesSqlite, tallyByMinute } from './delivery-minutes';

type Query = (text: string, params: unknown[]) => Promise<{ rowCount: number | null }>;

/** Runs `sqlite` on the writer connection inside a transaction, or `postgres` inside BEGIN … COMMIT. */
async function transaction(
  db: Database,
  sqlite: (connection: Sqlite.Database) => void,
  postgres: (query: Query) => Promise<void>,
): Promise<void> {
  const driver = db.driver;
  if (driver.dialect === 'sqlite') {
    await driver.exclusive((connection) => connection.transaction(() => sqlite(connection))());
    return;
  }
  const client = await driver.pool.connect();
  try {
    await client.query('BEGIN');
    await postgres((text, params) => client.query(text, params));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export interface NewDelivery {
  id: string;
  sequence: bigint;
  eventId: string;
}

/**
 * Inserts pending deliveries, due `now`; with `handOff`, also moves the integration's cursor there in the same
 * transaction (handing events off), provided the delivery engine still holds the lease it claimed (LeaseLost).
 */
export async function addDeliveries(
  db: Database,
  integrationId: string,
  deliveries: readonly NewDelivery[],
  now: Date,
  handOff?: { cursor: bigint; lease: Lease },
): Promise<void> {
  await transaction(
    db,
    (connection) => {
      if (handOff) {
        const moved = connection
          .prepare(`UPDATE "delivery_states" SET "cursor" = ? WHERE "destination_id" = ? AND "lease_token" = ?`)
          .run(handOff.cursor, integrationId, handOff.lease.token);
        assertHeld(handOff.lease, moved.changes);
      }
      const insert = connection.prepare(
        `INSERT INTO "webhook_deliveries" ("id", "destination_id", "sequence", "event_id", "status", "attempts", "next_attempt_at", "created_at", "updated_at")
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      );
      const at = sqliteTime(now);
      for (const d of deliveries) insert.run(d.id, integrationId, d.sequence, d.eventId, at, at, at);
    },
    async (query) => {
      if (handOff) {
        const moved = await query(`UPDATE "delivery_states" SET "cursor" = $1 WHERE "destination_id" = $2 AND "lease_token" = $3`, [
          handOff.cursor.toString(),
          integrationId,
          handOff.lease.token.toString(),
        ]);
        assertHeld(handOff.lease, moved.rowCount ?? 0);
      }
      await query(
        `INSERT INTO "webhook_deliveries" ("id", "destination_id", "sequence", "event_id", "status", "attempts", "next_attempt_at", "created_at", "updated_at")
         SELECT r.id, $2, r.sequence::bigint, r.event_id, 'pending', 0, $3::timestamp, $3::timestamp, $3::timestamp
         FROM json_to_recordset($1::json) AS r(id text, sequence text, event_id text)`,
        [JSON.stringify(deliveries.map((d) => ({ id: d.id, sequence: d.sequence.toString(), event_id: d.eventId }))), integrationId, now.toISOString()],
      );
    },
  );
}

export interface DueDelivery {
  id: string;
  sequence: bigint;
  eventId: string;
  attempts: number;
}

/** Pending deliveries due at `now`, the longest-waiting first. */
export async function dueDeliveries(db: Database, integrationId: string, now: Date, limit: number): Promise<DueDelivery[]> {
  const driver = db.driver;
  const select = `SELECT "id", "sequence", "event_id", "attempts" FROM "webhook_deliveries"`;
  const order = `ORDER BY "next_attempt_at" LIMIT ${Math.floor(limit)}`;
  type Row = { id: string; sequence: bigint | string; event_id: string; attempts: number | bigint };
  const rows: Row[] =
    driver.dialect === 'sqlite'
      ? driver.read((c) =>
          c
            .prepare(`${select} WHERE "destination_id" = ? AND "status" = 'pending' AND "next_attempt_at" <= ? ${order}`)
            .safeIntegers(true)
            .all(integrationId, sqliteTime(now)) as Row[],
        )
      : (await driver.pool.query<Row>(`${select} WHERE "destination_id" = $1 AND "status" = 'pending' AND "next_attempt_at" <= $2::timestamp ${order}`, [integrationId, now.toISOString()])).rows;
  return rows.map((r) => ({ id: r.id, sequence: BigInt(r.sequence), eventId: r.event_id, attempts: Number(r.attempts) }));
}

/** When the next pending delivery falls due; null when none is pending. */
export async function nextDueAt(db: Database, integrationId: string): Promise<Date | null> {
  const driver = db.driver;
  if (driver.dialect === 'sqlite') {
    const row = driver.read(
      (c) =>
        c.prepare(`SELECT MIN("next_attempt_at") AS "at" FROM "webhook_deliveries" WHERE "destination_id" = ? AND "status" = 'pending'`).get(integrationId) as {
          at: string | null;
        },
    );
    return row.at === null ? null : new Date(row.at);
  }
  const { rows } = await driver.pool.query<{ at: string | null }>(
    `SELECT to_char(MIN("next_attempt_at"), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at" FROM "webhook_deliveries" WHERE "destination_id" = $1 AND "status" = 'pending'`,
    [integrationId],
  );
  return rows[0]?.at ? new Date(rows[0].at) : null;
}

/** One attempt and what it made of its delivery. */
export interface AttemptRecord {
  deliveryId: string;
  /** The attempt's number (1 for the first). */
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  /** The delivery's status after it. */
  status: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
  lastError: string | null;
}

export interface HealthUpdate {
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  /** Set when the step had a failure: the last one, as health shows it. */
  lastError?: { json: string; at: Date };
}

/**
 * Writes the attempts, their deliveries' new state and the integration's health in one transaction, provided the
 * engine still holds the lease it claimed (LeaseLost otherwise, and nothing is written).
 */
export async function recordAttempts(
  db: Database,
  integrationId: string,
  lease: Lease,
  records: readonly AttemptRecord[],
  health: HealthUpdate,
  now: Date,
): Promise<void> {
  // Each attempt counts once in its minute: delivered when the endpoint accepted it, failed otherwise.
  const minutes = tallyByMinute(records.map((r) => ({ at: r.attemptedAt, delivered: r.status === 'succeeded' ? 1 : 0, failed: r.status === 'succeeded' ? 0 : 1 })));
  await transaction(
    db,
    (connection) => {
      const state = health.lastError
        ? connection.prepare(
            `UPDATE "delivery_states" SET "last_success_at" = ?, "consecutive_failures" = ?, "last_error" = ?, "last_error_at" = ? WHERE "destination_id" = ? AND "lease_token" = ?`,
          )
        : connection.prepare(`UPDATE "delivery_states" SET "last_success_at" = ?, "consecutive_failures" = ? WHERE "destination_id" = ? AND "lease_token" = ?`);
      const success = health.lastSuccessAt ? sqliteTime(health.lastSuccessAt) : null;
      const updated = health.lastError
        ? state.run(success, health.consecutiveFailures, health.lastError.json, sqliteTime(health.lastError.at), integrationId, lease.token)
        : state.run(success, health.consecutiveFailures, integrationId, lease.token);
      assertHeld(lease, updated.changes);
      const attempt = connection.prepare(
        `INSERT INTO "webhook_attempts" ("delivery_id", "attempt", "attempted_at", "status_code", "latency_ms", "error", "response_excerpt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const delivery = connection.prepare(
        `UPDATE "webhook_deliveries" SET "status" = ?, "attempts" = ?, "next_attempt_at" = ?, "last_status_code" = ?, "last_error" = ?, "updated_at" = ? WHERE "id" = ?`,
      );
      const at = sqliteTime(now);
      for (const r of records) {
        attempt.run(r.deliveryId, r.attempt, sqliteTime(r.attemptedAt), r.statusCode, r.latencyMs, r.error, r.responseExcerpt);
        delivery.run(r.status, r.attempt, r.nextAttemptAt ? sqliteTime(r.nextAttemptAt) : null, r.statusCode, r.lastError, at, r.deliveryId);
      }
      addMinutesSqlite(connection, integrationId, minutes);
    },
    async (query) => {
      // First, so that a lost lease writes nothing; the row stays locked until commit, so no claim takes it meanwhile.
      const updated = await query(
        `UPDATE "delivery_states" SET "last_success_at" = $1::timestamp, "consecutive_failures" = $2,
                "last_error" = COALESCE($3, "last_error"), "last_error_at" = COALESCE($4::timestamp, "last_error_at")
         WHERE "destination_id" = $5 AND "lease_token" = $6`,
        [
          health.lastSuccessAt?.toISOString() ?? null,
          health.consecutiveFailures,
          health.lastError?.json ?? null,
          health.lastError?.at.toISOString() ?? null,
          integrationId,
          lease.token.toString(),
        ],
      );
      assertHeld(lease, updated.rowCount ?? 0);
      const rows = JSON.stringify(
        records.map((r) => ({
          delivery_id: r.deliveryId,
          attempt: r.attempt,
          attempted_at: r.attemptedAt.toISOString(),
          status_code: r.statusCode,
          latency_ms: r.latencyMs,
          error: r.error,
          response_excerpt: r.responseExcerpt,
          status: r.status,
          next_attempt_at: r.nextAttemptAt?.toISOString() ?? null,
          last_error: r.lastError,
        })),
      );
      const recordset = `json_to_recordset($1::json) AS r(delivery_id text, attempt int, attempted_at text, status_code int, latency_ms int, error text,
                         response_excerpt text, status text, next_attempt_at text, last_error text)`;
      await query(
        `INSERT INTO "webhook_attempts" ("delivery_id", "attempt", "attempted_at", "status_code", "latency_ms", "error", "response_excerpt")
         SELECT r.delivery_id, r.attempt, r.attempted_at::timestamp, r.status_code, r.latency_ms, r.error, r.response_excerpt FROM ${recordset}`,
        [rows],
      );
      await query(
        `UPDATE "webhook_deliveries" AS d SET "status" = r.status, "attempts" = r.attempt, "next_attempt_at" = r.next_attempt_at::timestamp,
                "last_status_code" = r.status_code, "last_error" = r.last_error, "updated_at" = $2::timestamp
         FROM ${recordset} WHERE d."id" = r.delivery_id`,
        [rows, now.toISOString()],
      );
      await addMinutesPostgres(query, integrationId, minutes);
    },
  );
}
