/**
 * Leases: which process delivers a destination. Any number of processes run delivery against one database and
 * coordinate only through it. A process claims due destinations whose lease is free or expired (on PostgreSQL with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claims never wait on each other or take the same row), renews a lease at
 * every step, and releases it when its turn ends. A process that dies holds its leases until they expire.
 *
 * Every claim raises the destination's `lease_token`. Each write of delivery progress (cursor, pending batch,
 * attempts, health) is made on condition that the token is still the one it was claimed with (`updateHeldState`,
 * `assertHeld`, `LeaseLost`): a process paused past its lease's expiry, whose destination another process has claimed since,
 * cannot commit when it wakes.
 *
 * Times are the processes' clocks, as every other time delivery keeps; machines running delivery must keep their
 * clocks in step (NTP) to well within the lease's length.
 */
import type { Database, Db, Prisma, Tx } from './database';
import { sqliteTime } from './sqlite-time';

export interface Lease {
  destinationId: string;
  /** The claim's fencing token. */
  token: bigint;
}

/** The lease was taken over (it expired and another process claimed it): nothing of this step may be committed. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor(readonly destinationId: string) {
    super(`the lease on ${destinationId} was lost to another process`);
  }
}

export interface ClaimRequest {
  /** This process, as the lease records it. */
  owner: string;
  now: Date;
  leaseMs: number;
  /** The most destinations to claim. */
  limit: number;
  /** Destination types the engine delivers. */
  types: readonly string[];
  /** Destinations not to claim (running here already, or resting after an idle step). */
  skip: readonly string[];
}

type Row = { destination_id: string; lease_token: bigint | string | number };

/** Claims up to `limit` enabled destinations that are due and not leased, the longest-waiting first. */
export async function claimDue(db: Database, request: ClaimRequest): Promise<Lease[]> {
  const limit = Math.floor(request.limit);
  if (limit <= 0 || request.types.length === 0) return [];
  const driver = db.driver;
  const expires = new Date(request.now.getTime() + request.leaseMs);
  let rows: Row[];
  if (driver.dialect === 'sqlite') {
    const now = sqliteTime(request.now);
    const types = request.types.map(() => '?').join(', ');
    const skip = request.skip.length > 0 ? `AND ds."destination_id" NOT IN (${request.skip.map(() => '?').join(', ')})` : '';
    rows = await driver.exclusive((c) =>
      c
        .prepare(
          `UPDATE "delivery_states" SET "lease_owner" = ?, "lease_expires_at" = ?, "lease_token" = "lease_token" + 1
           WHERE "destination_id" IN (
             SELECT ds."destination_id" FROM "delivery_states" ds JOIN "destinations" d ON d."id" = ds."destination_id"
             WHERE ds."next_attempt_at" <= ? AND d."enabled" = 1 AND d."type" IN (${types})
               AND (ds."lease_expires_at" IS NULL OR ds."lease_expires_at" <= ?) ${skip}
             ORDER BY ds."next_attempt_at" LIMIT ${limit})
           RETURNING "destination_id", "lease_token"`,
        )
        .safeIntegers(true)
        .all(request.owner, sqliteTime(expires), now, ...request.types, now, ...request.skip) as Row[],
    );
  } else {
    rows = (
      await driver.pool.query<Row>(
        `UPDATE "delivery_states" AS s SET "lease_owner" = $1, "lease_expires_at" = $2::timestamp, "lease_token" = s."lease_token" + 1
         FROM (SELECT ds."destination_id" FROM "delivery_states" ds JOIN "destinations" d ON d."id" = ds."destination_id"
               WHERE ds."next_attempt_at" <= $3::timestamp AND d."enabled" AND d."type" = ANY($4::text[])
                 AND (ds."lease_expires_at" IS NULL OR ds."lease_expires_at" <= $3::timestamp)
                 AND NOT (ds."destination_id" = ANY($5::text[]))
               ORDER BY ds."next_attempt_at" LIMIT ${limit}
               FOR UPDATE OF ds SKIP LOCKED) AS due
         WHERE s."destination_id" = due."destination_id"
         RETURNING s."destination_id", s."lease_token"::text AS "lease_token"`,
        [request.owner, expires.toISOString(), request.now.toISOString(), [...request.types], [...request.skip]],
      )
    ).rows;
  }
  return rows.map((r) => ({ destinationId: r.destination_id, token: BigInt(r.lease_token) }));
}

/** Extends the lease by `leaseMs` from `now`; false when it is no longer this claim's. */
export async function renewLease(db: Database, lease: Lease, now: Date, leaseMs: number): Promise<boolean> {
  const expires = new Date(now.getTime() + leaseMs);
  const driver = db.driver;
  if (driver.dialect === 'sqlite') {
    const result = await driver.exclusive((c) =>
      c
        .prepare(`UPDATE "delivery_states" SET "lease_expires_at" = ? WHERE "destination_id" = ? AND "lease_token" = ?`)
        .run(sqliteTime(expires), lease.destinationId, lease.token),
    );
    return result.changes === 1;
  }
  const result = await driver.pool.query(
    `UPDATE "delivery_states" SET "lease_expires_at" = $1::timestamp WHERE "destination_id" = $2 AND "lease_token" = $3`,
    [expires.toISOString(), lease.destinationId, lease.token.toString()],
  );
  return result.rowCount === 1;
}

/** Gives the lease up, so any process may claim the destination at once; a lease already lost is left alone. */
export async function releaseLease(db: Database, lease: Lease): Promise<void> {
  const driver = db.driver;
  const sql = (p: (n: number) => string) =>
    `UPDATE "delivery_states" SET "lease_owner" = NULL, "lease_expires_at" = NULL WHERE "destination_id" = ${p(1)} AND "lease_token" = ${p(2)}`;
  if (driver.dialect === 'sqlite') {
    await driver.exclusive((c) => c.prepare(sql(() => '?')).run(lease.destinationId, lease.token));
    return;
  }
  await driver.pool.query(sql((n) => `$${n}`), [lease.destinationId, lease.token.toString()]);
}

/** Writes `data` to the destination's delivery state while `lease` is still this claim's; LeaseLost otherwise. */
export async function updateHeldState(client: Db | Tx, lease: Lease, data: Prisma.DeliveryStateUpdateManyMutationInput): Promise<void> {
  const { count } = await client.deliveryState.updateMany({ where: { destinationId: lease.destinationId, leaseToken: lease.token }, data });
  assertHeld(lease, count);
}

/** Throws LeaseLost unless a fenced write changed exactly the lease's row. */
export function assertHeld(lease: Lease, changed: number): void {
  if (changed !== 1) throw new LeaseLost(lease.destinationId);
}
