/**
 * Per destination and minute, how many events were delivered and how many failed (`delivery_minutes`): the delivery
 * log's chart. The engine adds to them in the transaction that records an outcome, so they agree with the log; one
 * process at a time delivers a destination (its lease), so the rows of a destination have one writer.
 */
import type Sqlite from 'better-sqlite3';
import type { Db, Tx } from './database';
import { sqliteTime } from './sqlite-time';

export interface MinuteTally {
  /** The start of the minute (UTC). */
  minute: Date;
  delivered: number;
  failed: number;
}

export const MINUTE_MS = 60_000;
/** How long minutes are kept (and what the delivery log's chart spans). */
export const MINUTES_KEPT_MS = 24 * 60 * MINUTE_MS;

/** The start of the minute `at` falls in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** Outcomes summed per minute, in time order (a webhook step records many attempts at once). */
export function tallyByMinute(outcomes: Iterable<{ at: Date; delivered: number; failed: number }>): MinuteTally[] {
  const byMinute = new Map<number, MinuteTally>();
  for (const { at, delivered, failed } of outcomes) {
    const minute = minuteOf(at);
    const tally = byMinute.get(minute.getTime()) ?? { minute, delivered: 0, failed: 0 };
    tally.delivered += delivered;
    tally.failed += failed;
    byMinute.set(minute.getTime(), tally);
  }
  return [...byMinute.values()].sort((a, b) => a.minute.getTime() - b.minute.getTime());
}

/** Adds one outcome at `at` through Prisma (either dialect), inside the caller's transaction. */
export async function addToMinute(client: Db | Tx, destinationId: string, at: Date, { delivered, failed }: { delivered: number; failed: number }): Promise<void> {
  if (delivered === 0 && failed === 0) return;
  const minute = minuteOf(at);
  await client.deliveryMinute.upsert({
    where: { destinationId_minute: { destinationId, minute } },
    create: { destinationId, minute, delivered, failed },
    update: { delivered: { increment: delivered }, failed: { increment: failed } },
  });
}

const UPSERT_TAIL = `ON CONFLICT ("destination_id", "minute") DO UPDATE
  SET "delivered" = "delivery_minutes"."delivered" + excluded."delivered", "failed" = "delivery_minutes"."failed" + excluded."failed"`;

/** Adds the tallies on a SQLite connection, inside the caller's transaction. */
export function addMinutesSqlite(connection: Sqlite.Database, destinationId: string, tallies: readonly MinuteTally[]): void {
  const upsert = connection.prepare(`INSERT INTO "delivery_minutes" ("destination_id", "minute", "delivered", "failed") VALUES (?, ?, ?, ?) ${UPSERT_TAIL}`);
  for (const t of tallies) upsert.run(destinationId, sqliteTime(t.minute), t.delivered, t.failed);
}

/** Adds the tallies on a PostgreSQL connection, inside the caller's transaction, in one statement. */
export async function addMinutesPostgres(
  query: (text: string, params: unknown[]) => Promise<unknown>,
  destinationId: string,
  tallies: readonly MinuteTally[],
): Promise<void> {
  if (tallies.length === 0) return;
  const rows = JSON.stringify(tallies.map((t) => ({ minute: t.minute.toISOString(), delivered: t.delivered, failed: t.failed })));
  await query(
    `INSERT INTO "delivery_minutes" ("destination_id", "minute", "delivered", "failed")
     SELECT $1, r.minute::timestamp, r.delivered, r.failed FROM json_to_recordset($2::json) AS r(minute text, delivered int, failed int)
     ${UPSERT_TAIL}`,
    [destinationId, rows],
  );
}

/** The minutes of a destination that start in [since, until), in time order. */
export async function readMinutes(client: Db, destinationId: string, since: Date, until: Date): Promise<MinuteTally[]> {
  const rows = await client.deliveryMinute.findMany({ where: { destinationId, minute: { gte: since, lt: until } }, orderBy: { minute: 'asc' } });
  return rows.map((r) => ({ minute: r.minute, delivered: r.delivered, failed: r.failed }));
}

/** Deletes every destination's minutes that started before `before`; returns how many rows. */
export async function pruneMinutes(client: Db, before: Date): Promise<number> {
  return (await client.deliveryMinute.deleteMany({ where: { minute: { lt: before } } })).count;
}
