/**
 * One delivery step of an S3 log destination: pick the next batch, write its objects, then move the cursor.
 *
 * The batch (its sequence range, object layout and filter) is saved before the first PutObject. Until the cursor
 * commit, a retry, after a failure or a crash, re-reads exactly that range and writes exactly the same keys with
 * exactly the same bytes (batch ids derive from destination and range), so S3 never holds two objects for one
 * batch. The cursor and the record of the objects move in one transaction, after every object is written.
 */
import type { Database } from '../../store/database';
import type { StepResult } from '../step-result';
import type { EventFilter } from '../event-filter';
import { eventBodies, logHorizon, nextEvents, nthEventAfter } from '../../store/read-events';
import type { Lease } from '../../store/leases';
import { updateHeldState } from '../../store/leases';
import { addToMinute } from '../../store/delivery-minutes';
import { RemoteFailure } from './aws-error';
import type { LoggedEvent, PlannedObject, S3ObjectLayout } from './object-plan';
import { planObjects } from './object-plan';
import { eachConcurrently } from '../each-concurrently';
import type { Gate } from '../gate';
import type { BatchRules } from './destination';
import type { S3Target, S3Writer } from './s3-writer';

/** A step never holds more than this many bytes of events (S3 allows 5 GiB; memory is the real limit). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** Full batches one step may take from a backlog; their objects are compressed and written concurrently. */
export const BATCHES_PER_STEP = 4;

export interface PendingBatch {
  first: string;
  last: string;
  layout: S3ObjectLayout;
  filter: EventFilter;
}


export interface StepContext {
  db: Database;
  writer: S3Writer;
  now: () => Date;
  /** The destination's lease: every write of progress is fenced by it (leases.ts). */
  lease: Lease;
  /** Called after every object is written and before the cursor moves (tests crash the process here). */
  afterPut?: () => void;
  /** Held while a batch's payloads are read and encoded into objects: bounds the process's memory. */
  payloads: Gate;
}

interface StateView {
  cursor: bigint;
  pendingBatch: string | null;
}

/**
 * The range of the next step, or why there is none yet. Reads no payloads: it runs on every poll. A backlog of
 * several full batches is taken up to BATCHES_PER_STEP at a time, whole batches only, so their objects are
 * compressed and written side by side; a batch that is not full waits for its window to end.
 */
async function nextRange(
  ctx: StepContext,
  tenantId: string,
  state: StateView,
  rules: BatchRules,
): Promise<{ first: bigint; last: bigint } | StepResult> {
  const selection = { tenantId, ...rules.filter };
  const range = { after: state.cursor, through: await logHorizon(ctx.db) };
  const next = await nextEvents(ctx.db, selection, range, rules.maxEvents * BATCHES_PER_STEP);
  if (!next) return { kind: 'idle' };
  if (next.count < rules.maxEvents) {
    const due = next.firstReceivedAt.getTime() + rules.windowMs;
    if (due > ctx.now().getTime()) return { kind: 'waiting', until: new Date(due) };
    return { first: next.first, last: next.last };
  }
  const whole = Math.floor(next.count / rules.maxEvents) * rules.maxEvents;
  const last = whole === next.count ? next.last : await nthEventAfter(ctx.db, selection, range, whole);
  // The log only grows after the cursor, so the whole-th event is still there.
  return { first: next.first, last: last! };
}

/** The longest head of `events` whose payloads fit in MAX_BATCH_BYTES (at least one event always fits). */
export function withinByteCap(events: readonly LoggedEvent[]): LoggedEvent[] {
  let total = 0;
  for (const [i, e] of events.entries()) {
    total += Buffer.byteLength(e.payload);
    if (total > MAX_BATCH_BYTES && i > 0) return events.slice(0, i);
  }
  return [...events];
}

/** A batch's objects, encoded (and compressed), and how many events they hold. */
interface EncodedBatch {
  objects: PlannedObject[];
  events: number;
}

async function encode(layout: S3ObjectLayout, events: readonly LoggedEvent[]): Promise<EncodedBatch> {
  return { objects: await planObjects(layout, events), events: events.length };
}

/** Writes the batch's objects, then moves the cursor and records them in one transaction. */
async function writeBatch(ctx: StepContext, destinationId: string, target: S3Target, batch: PendingBatch, encoded: EncodedBatch): Promise<StepResult> {
  const { objects } = encoded;
  try {
    await eachConcurrently(objects, BATCHES_PER_STEP, (object) =>
      ctx.writer.put(target, { key: object.key, body: object.body, contentType: object.contentType, contentEncoding: object.contentEncoding }),
    );
  } catch (err) {
    throw err instanceof RemoteFailure ? new RemoteFailure(err.remote, encoded.events) : err;
  }
  ctx.afterPut?.();
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await updateHeldState(tx, ctx.lease, { cursor: BigInt(batch.last), pendingBatch: null, lastSuccessAt: now, consecutiveFailures: 0, nextAttemptAt: now });
    if (objects.length > 0) {
      await tx.s3Delivery.createMany({
        data: objects.map((o) => ({
          destinationId,
          key: o.key,
          batchId: o.batchId,
          firstSequence: o.firstSequence,
          lastSequence: o.lastSequence,
          eventCount: o.eventCount,
          byteSize: o.byteSize,
          deliveredAt: now,
        })),
      });
    }
    await addToMinute(tx, destinationId, now, { delivered: encoded.events, failed: 0 });
  });
  return { kind: 'delivered', events: encoded.events, objects: objects.length, bytes: objects.reduce((sum, o) => sum + o.byteSize, 0) };
}

export async function deliverS3Step(
  ctx: StepContext,
  destination: { id: string; tenantId: string },
  state: StateView,
  target: S3Target,
  rules: BatchRules,
  layout: S3ObjectLayout,
): Promise<StepResult> {
  if (state.pendingBatch) {
    // A batch saved by an earlier attempt: replay exactly its range, layout and filter.
    const batch = JSON.parse(state.pendingBatch) as PendingBatch;
    const selection = { tenantId: destination.tenantId, ...batch.filter };
    // Reading and encoding hold the process's payload gate, so one step at a time has payloads in memory; writing
    // the objects does not, so a destination whose endpoint hangs never holds up another.
    const encoded = await ctx.payloads.run(async () => encode(batch.layout, await eventBodies(ctx.db, selection, BigInt(batch.first), BigInt(batch.last))));
    return writeBatch(ctx, destination.id, target, batch, encoded);
  }
  const range = await nextRange(ctx, destination.tenantId, state, rules);
  if ('kind' in range) return range;
  const { batch, encoded } = await ctx.payloads.run(async () => {
    const all = await eventBodies(ctx.db, { tenantId: destination.tenantId, ...rules.filter }, range.first, range.last);
    const events = withinByteCap(all);
    // Cut short by the byte cap, the batch ends at its last event; the rest starts the next one.
    const last = events.length < all.length ? events[events.length - 1]!.sequence : range.last;
    const planned: PendingBatch = { first: range.first.toString(), last: last.toString(), layout, filter: rules.filter };
    return { batch: planned, encoded: await encode(layout, events) };
  });
  await updateHeldState(ctx.db.client, ctx.lease, { pendingBatch: JSON.stringify(batch) });
  return writeBatch(ctx, destination.id, target, batch, encoded);
}

