/**
 * One delivery step of an S3 log destination: pick the next batch, write its objects, then move the cursor.
 *
 * The batch (its sequence range, object layout and filter) is saved before the first PutObject. Until the cursor
 * commit, a retry, after a failure or a crash, re-reads exactly that range and writes exactly the same keys with
 * exactly the same bytes (batch ids derive from destination and range), so S3 never holds two objects for one
 * batch. The cursor and the record of the objects move in one transaction, after every object is written.
 */
import type { Database } from '../../store/database';
import type { EventFilter } from '../event-filter';
import { eventWhere, matchesAction } from '../event-filter';
import type { S3ObjectLayout } from './object-plan';
import { planObjects } from './object-plan';
import type { BatchRules } from './destination';
import type { S3Target, S3Writer } from './s3-writer';

/** An object never holds more than this many bytes of events (S3 allows 5 GiB; memory is the real limit). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export interface PendingBatch {
  first: string;
  last: string;
  layout: S3ObjectLayout;
  filter: EventFilter;
}

export type StepResult =
  | { kind: 'idle' }
  | { kind: 'waiting'; until: Date }
  | { kind: 'delivered'; events: number; objects: number };

export interface StepContext {
  db: Database;
  writer: S3Writer;
  now: () => Date;
  /** Called after every object is written and before the cursor moves (tests crash the process here). */
  afterPut?: () => void;
}

interface StateView {
  cursor: bigint;
  pendingBatch: string | null;
}

/** Chooses the next batch, or says why there is none yet. */
async function nextBatch(
  ctx: StepContext,
  destination: { id: string; tenantId: string },
  state: StateView,
  rules: BatchRules,
  layout: S3ObjectLayout,
): Promise<PendingBatch | StepResult> {
  const candidates = await ctx.db.client.event.findMany({
    where: { tenantId: destination.tenantId, sequence: { gt: state.cursor }, ...eventWhere(rules.filter) },
    orderBy: { sequence: 'asc' },
    take: rules.maxEvents,
    select: { sequence: true, receivedAt: true, action: true, payload: false },
  });
  const matching = candidates.filter((e) => matchesAction(rules.filter, e.action));
  if (matching.length === 0) return { kind: 'idle' };
  const full = candidates.length >= rules.maxEvents;
  const due = matching[0]!.receivedAt.getTime() + rules.windowMs;
  if (!full && due > ctx.now().getTime()) return { kind: 'waiting', until: new Date(due) };
  return {
    first: matching[0]!.sequence.toString(),
    last: (full ? candidates[candidates.length - 1]! : matching[matching.length - 1]!).sequence.toString(),
    layout,
    filter: rules.filter,
  };
}

/** Reads the batch's events (within the byte cap), writes its objects and commits. */
async function writeBatch(ctx: StepContext, destination: { id: string; tenantId: string }, target: S3Target, batch: PendingBatch): Promise<StepResult> {
  const rows = await ctx.db.client.event.findMany({
    where: {
      tenantId: destination.tenantId,
      sequence: { gte: BigInt(batch.first), lte: BigInt(batch.last) },
      ...eventWhere(batch.filter),
    },
    orderBy: { sequence: 'asc' },
    select: { sequence: true, occurredAt: true, payload: true, action: true },
  });
  const events = rows.filter((e) => matchesAction(batch.filter, e.action));
  const objects = planObjects(batch.layout, events);
  for (const object of objects) {
    await ctx.writer.put(target, { key: object.key, body: object.body, contentType: object.contentType, contentEncoding: object.contentEncoding });
  }
  ctx.afterPut?.();
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.deliveryState.update({
      where: { destinationId: destination.id },
      data: { cursor: BigInt(batch.last), pendingBatch: null, lastSuccessAt: now, consecutiveFailures: 0, nextAttemptAt: now },
    });
    if (objects.length > 0) {
      await tx.s3Delivery.createMany({
        data: objects.map((o) => ({
          destinationId: destination.id,
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
  });
  return { kind: 'delivered', events: events.length, objects: objects.length };
}

/** Caps a batch's range so its payloads stay under MAX_BATCH_BYTES (at least one event always fits). */
async function capBytes(ctx: StepContext, tenantId: string, batch: PendingBatch): Promise<PendingBatch> {
  const sizes = await ctx.db.client.event.findMany({
    where: { tenantId, sequence: { gte: BigInt(batch.first), lte: BigInt(batch.last) }, ...eventWhere(batch.filter) },
    orderBy: { sequence: 'asc' },
    select: { sequence: true, payload: true },
  });
  let total = 0;
  for (const [i, e] of sizes.entries()) {
    total += Buffer.byteLength(e.payload);
    if (total > MAX_BATCH_BYTES && i > 0) return { ...batch, last: sizes[i - 1]!.sequence.toString() };
  }
  return batch;
}

export async function deliverS3Step(
  ctx: StepContext,
  destination: { id: string; tenantId: string },
  state: StateView,
  target: S3Target,
  rules: BatchRules,
  layout: S3ObjectLayout,
): Promise<StepResult> {
  let batch: PendingBatch;
  if (state.pendingBatch) {
    batch = JSON.parse(state.pendingBatch) as PendingBatch;
  } else {
    const next = await nextBatch(ctx, destination, state, rules, layout);
    if ('kind' in next) return next;
    batch = await capBytes(ctx, destination.tenantId, next);
    await ctx.db.client.deliveryState.update({ where: { destinationId: destination.id }, data: { pendingBatch: JSON.stringify(batch) } });
  }
  return writeBatch(ctx, destination, target, batch);
}
