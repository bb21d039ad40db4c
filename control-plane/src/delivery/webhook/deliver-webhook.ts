/**
 * One delivery step of a webhook integration:
 *
 * 1. **Dispatch**: the events after its cursor that pass its filters become delivery rows (pending, due now), and
 *    the cursor moves past them, in one transaction.
 * 2. **Send**: due deliveries are POSTed, up to the integration's concurrency at a time, each signed with every
 *    live secret and carrying the event id as `webhook-id` on every attempt.
 * 3. **Record**: every attempt, the deliveries' new state (retry-schedule.ts decides) and the integration's health,
 *    in one transaction. A crash before it leaves the deliveries pending, so they are sent again: at least once,
 *    and a duplicate carries the same `webhook-id`.
 *
 * `410 Gone`, or failing without a success for DISABLE_AFTER_MS, disables the integration (`enabled = false`).
 */
import type { ResourceConfig } from '@auditdrain/schema';
import type { SecretBox } from '../../crypto/secret-box';
import { webhookIntegrationKind } from '../../domain/resources/resource-kind';
import { liveSigningSecrets } from '../../domain/resources/signing-secrets';
import { columnsOf, configOf } from '../../domain/resources/stored-resource';
import { ID_PREFIXES, newId } from '../../ids';
import type { Database, Tx } from '../../store/database';
import type { Lease } from '../../store/leases';
import { updateHeldState } from '../../store/leases';
import { eventIdsAfter, logHorizon, payloadsOf } from '../../store/read-events';
import type { DueDelivery } from '../../store/webhook-deliveries';
import { addDeliveries, dueDeliveries, nextDueAt, recordAttempts } from '../../store/webhook-deliveries';
import { eachConcurrently } from '../each-concurrently';
import type { EventFilter } from '../event-filter';
import type { StepResult } from '../step-result';
import type { WebhookTarget } from './integration';
import { deliveryHeaders } from './integration';
import type { Outcome } from './retry-schedule';
import { outcomeOf } from './retry-schedule';
import type { AttemptResult, WebhookSender } from './webhook-sender';

/** Events turned into deliveries per step. */
const DISPATCH_LIMIT = 1000;
/** Due deliveries taken per step. */
const SEND_LIMIT = 256;
/** An integration that has not succeeded for this long while failing is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 60 * 60_000;

export interface WebhookStepContext {
  db: Database;
  box: SecretBox;
  sender: WebhookSender;
  now: () => Date;
  /** The integration's lease: every write of progress is fenced by it (store/leases.ts). */
  lease: Lease;
  /** Requests in flight to this integration at a time. */
  concurrency: number;
  /** Delays between attempts (retry-schedule.ts). */
  retryDelaysMs: readonly number[];
}

interface IntegrationView {
  id: string;
  tenantId: string;
  createdAt: Date;
}

interface StateView {
  cursor: bigint;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
}

type Due = DueDelivery;

interface Sent {
  delivery: Due;
  result: AttemptResult;
  attemptedAt: Date;
  /** When the answer (or its absence) was known: retries are scheduled from here, health follows this order. */
  finishedAt: Date;
  outcome: Outcome;
  bytes: number;
}

/** Turns new events into pending deliveries and moves the cursor past them; returns how many. */
async function dispatch(ctx: WebhookStepContext, integration: IntegrationView, cursor: bigint, filter: EventFilter): Promise<number> {
  const range = { after: cursor, through: await logHorizon(ctx.db) };
  const fresh = await eventIdsAfter(ctx.db, { tenantId: integration.tenantId, ...filter }, range, DISPATCH_LIMIT);
  if (fresh.length === 0) return 0;
  const now = ctx.now();
  const deliveries = fresh.map((e) => ({ id: newId(ID_PREFIXES.webhookDelivery, now.getTime()), ...e }));
  await addDeliveries(ctx.db, integration.id, deliveries, now, { cursor: fresh[fresh.length - 1]!.sequence, lease: ctx.lease });
  return fresh.length;
}

/** POSTs each due delivery; one whose event is no longer in the log (pruned) fails without a request. */
async function send(ctx: WebhookStepContext, integration: IntegrationView, target: WebhookTarget, config: ResourceConfig, due: Due[]): Promise<Sent[]> {
  const payloads = await payloadsOf(ctx.db, integration.tenantId, due.map((d) => d.sequence));
  const secrets = await liveSigningSecrets(ctx.db, ctx.box, integration.id, config, ctx.now());
  const sent: Sent[] = [];
  await eachConcurrently(due, ctx.concurrency, async (delivery) => {
    const attemptedAt = ctx.now();
    const payload = payloads.get(delivery.sequence);
    if (payload === undefined) {
      const result: AttemptResult = { status: null, latencyMs: 0, error: 'the event is no longer in the log', code: 'EVENT_GONE', retryAfter: undefined, excerpt: null };
      sent.push({ delivery, result, attemptedAt, finishedAt: attemptedAt, outcome: { kind: 'failed' }, bytes: 0 });
      return;
    }
    const body = Buffer.from(payload, 'utf8');
    const result = await ctx.sender.post(target, deliveryHeaders(target, secrets, delivery.eventId, attemptedAt, body), body);
    const finishedAt = ctx.now();
    const outcome = outcomeOf(result.status, result.retryAfter, delivery.attempts + 1, finishedAt, Math.random, ctx.retryDelaysMs);
    sent.push({ delivery, result, attemptedAt, finishedAt, outcome, bytes: body.length });
  });
  return sent.sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
}

function lastErrorOf(result: AttemptResult): string {
  return JSON.stringify({
    operation: 'POST',
    code: result.code,
    message: result.error ?? `the endpoint answered ${result.status}`,
    http_status: result.status,
    request_id: null,
    response_excerpt: result.excerpt,
  });
}

/** Sets `enabled = false` (configuration and column, as an update would); the reason becomes the last error. */
async function disable(tx: Tx, box: SecretBox, lease: Lease, reason: string, now: Date): Promise<void> {
  const integrationId = lease.destinationId;
  await updateHeldState(tx, lease, {
    lastError: JSON.stringify({ operation: 'POST', code: 'Disabled', message: reason, http_status: null, request_id: null }),
    lastErrorAt: now,
  });
  const row = await tx.destination.findUniqueOrThrow({ where: { id: integrationId } });
  const config = { ...configOf(row, box), enabled: false };
  await tx.destination.update({ where: { id: integrationId }, data: { updatedAt: now, ...columnsOf(webhookIntegrationKind, integrationId, config, box) } });
}

/**
 * Writes the attempts (in the order they finished), the deliveries' new state and the integration's health in one
 * transaction; disabling the integration, when an answer calls for it, follows.
 */
async function record(ctx: WebhookStepContext, integration: IntegrationView, state: StateView, sent: readonly Sent[]): Promise<void> {
  const now = ctx.now();
  let lastSuccessAt = state.lastSuccessAt;
  let failures = state.consecutiveFailures;
  let lastFailure: Sent | undefined;
  for (const s of sent) {
    if (s.outcome.kind === 'succeeded') {
      lastSuccessAt = s.finishedAt;
      failures = 0;
    } else {
      failures += 1;
      lastFailure = s;
    }
  }
  const gone = sent.some((s) => s.outcome.kind === 'gone');
  const stale = failures > 0 && now.getTime() - (lastSuccessAt ?? integration.createdAt).getTime() > DISABLE_AFTER_MS;

  await recordAttempts(
    ctx.db,
    integration.id,
    ctx.lease,
    sent.map((d) => ({
      deliveryId: d.delivery.id,
      attempt: d.delivery.attempts + 1,
      attemptedAt: d.attemptedAt,
      statusCode: d.result.status,
      latencyMs: d.result.latencyMs,
      error: d.result.error,
      responseExcerpt: d.result.excerpt,
      status: d.outcome.kind === 'succeeded' ? 'succeeded' : d.outcome.kind === 'retry' ? 'pending' : 'failed',
      nextAttemptAt: d.outcome.kind === 'retry' ? new Date(d.finishedAt.getTime() + d.outcome.afterMs) : null,
      lastError: d.outcome.kind === 'succeeded' ? null : (d.result.error ?? `the endpoint answered ${d.result.status}`),
    })),
    { lastSuccessAt, consecutiveFailures: failures, ...(lastFailure ? { lastError: { json: lastErrorOf(lastFailure.result), at: now } } : {}) },
    now,
  );
  if (gone || stale) {
    const reason = gone
      ? 'the endpoint answered 410 Gone; the integration was disabled'
      : `no successful delivery for ${DISABLE_AFTER_MS / 86_400_000} days; the integration was disabled`;
    await ctx.db.transaction((tx) => disable(tx, ctx.box, ctx.lease, reason, now));
  }
}

export async function deliverWebhookStep(
  ctx: WebhookStepContext,
  integration: IntegrationView,
  state: StateView,
  target: WebhookTarget,
  filter: EventFilter,
  config: ResourceConfig,
): Promise<StepResult> {
  const dispatched = await dispatch(ctx, integration, state.cursor, filter);
  const due = await dueDeliveries(ctx.db, integration.id, ctx.now(), SEND_LIMIT);
  if (due.length === 0) {
    if (dispatched > 0) return { kind: 'delivered', events: 0, objects: 0, bytes: 0 };
    const next = await nextDueAt(ctx.db, integration.id);
    return next ? { kind: 'waiting', until: next } : { kind: 'idle' };
  }
  const sent = await send(ctx, integration, target, config, due);
  await record(ctx, integration, state, sent);
  const ok = sent.filter((s) => s.outcome.kind === 'succeeded');
  return {
    kind: 'delivered',
    events: ok.length,
    objects: ok.length,
    bytes: ok.reduce((n, s) => n + s.bytes, 0),
    failures: sent.filter((s) => s.outcome.kind !== 'succeeded').map((s) => s.result.code),
  };
}
