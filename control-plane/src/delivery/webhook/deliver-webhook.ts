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
import { liveSigningSecrets } from '../../domain/resources/signing-secrets';
import { ID_PREFIXES, newId } from '../../ids';
import type { Database, Tx } from '../../store/database';
import { eventIdsAfter, payloadsOf } from '../../store/read-events';
import type { DueDelivery } from '../../store/webhook-deliveries';
import { dueDeliveries, handOff, nextDueAt, recordAttempts } from '../../store/webhook-deliveries';
import { eachConcurrently } from '../each-concurrently';
import type { EventFilter } from '../event-filter';
import type { StepResult } from '../step-result';
import type { WebhookTarget } from './integration';
import { deliveryHeaders } from './integration';
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
  bytes: number;
}

/** Turns new events into pending deliveries and moves the cursor past them; returns how many. */
async function dispatch(ctx: WebhookStepContext, integration: IntegrationView, cursor: bigint, filter: EventFilter): Promise<number> {
  const fresh = await eventIdsAfter(ctx.db, { tenantId: integration.tenantId, ...filter }, cursor, DISPATCH_LIMIT);
  if (fresh.length === 0) return 0;
  const now = ctx.now();
  const deliveries = fresh.map((e) => ({ id: newId(ID_PREFIXES.webhookDelivery, now.getTime()), ...e }));
  await handOff(ctx.db, integration.id, deliveries, fresh[fresh.length - 1]!.sequence, now);
  return fresh.length;
}

/** POSTs each due delivery; an event no longer in the log (pruned) is answered without a request. */
async function send(ctx: WebhookStepContext, integration: IntegrationView, target: WebhookTarget, config: ResourceConfig, due: Due[]): Promise<Sent[]> {
  const payloads = await payloadsOf(ctx.db, integration.tenantId, due.map((d) => d.sequence));
  const secrets = await liveSigningSecrets(ctx.db, ctx.box, integration.id, config, ctx.now());
  const sent: Sent[] = [];
  await eachConcurrently(due, ctx.concurrency, async (delivery) => {
    const attemptedAt = ctx.now();
    const payload = payloads.get(delivery.sequence);
    if (payload === undefined) {
      const result: AttemptResult = { status: null, latencyMs: 0, error: 'the event is no longer in the log', code: 'EVENT_GONE', retryAfter: undefined, excerpt: null };
      sent.push({ delivery, result, attemptedAt, bytes: 0 });
      return;
    }
    const body = Buffer.from(payload, 'utf8');
    const headers = deliveryHeaders(target, secrets, delivery.eventId, attemptedAt, body);
    sent.push({ delivery, result: await ctx.sender.post(target, headers, body), attemptedAt, bytes: body.length });
  });
  return sent;
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

/** Sets `enabled = false` in the configuration and its column; the reason becomes the last error. */
async function disable(tx: Tx, integrationId: string, reason: string, now: Date): Promise<void> {
  const row = await tx.destination.findUniqueOrThrow({ where: { id: integrationId } });
  const config = { ...(JSON.parse(row.config) as ResourceConfig), enabled: false };
  await tx.destination.update({ where: { id: integrationId }, data: { enabled: false, config: JSON.stringify(config), updatedAt: now } });
  await tx.deliveryState.update({
    where: { destinationId: integrationId },
    data: { lastError: JSON.stringify({ operation: 'POST', code: 'Disabled', message: reason, http_status: null, request_id: null }), lastErrorAt: now },
  });
}

/** Writes the attempts, the deliveries' new state and the integration's health in one transaction; disabling follows. */
async function record(ctx: WebhookStepContext, integration: IntegrationView, state: StateView, sent: Sent[]): Promise<Sent[]> {
  const now = ctx.now();
  const decided = sent
    .map((s) => ({ ...s, outcome: outcomeOf(s.result.code === 'EVENT_GONE' ? 404 : s.result.status, s.result.retryAfter, s.delivery.attempts + 1, now, Math.random, ctx.retryDelaysMs) }))
    .sort((a, b) => a.attemptedAt.getTime() + a.result.latencyMs - (b.attemptedAt.getTime() + b.result.latencyMs));
  // Health follows the attempts in the order they finished.
  let lastSuccessAt = state.lastSuccessAt;
  let failures = state.consecutiveFailures;
  let lastFailure: Sent | undefined;
  for (const d of decided) {
    if (d.outcome.kind === 'succeeded') {
      lastSuccessAt = now;
      failures = 0;
    } else {
      failures += 1;
      lastFailure = d;
    }
  }
  const gone = decided.find((d) => d.outcome.kind === 'gone');
  const stale = failures > 0 && now.getTime() - (lastSuccessAt ?? integration.createdAt).getTime() > DISABLE_AFTER_MS;

  await recordAttempts(
    ctx.db,
    integration.id,
    decided.map((d) => ({
      deliveryId: d.delivery.id,
      attempt: d.delivery.attempts + 1,
      attemptedAt: d.attemptedAt,
      statusCode: d.result.status,
      latencyMs: d.result.latencyMs,
      error: d.result.error,
      responseExcerpt: d.result.excerpt,
      status: d.outcome.kind === 'succeeded' ? 'succeeded' : d.outcome.kind === 'retry' ? 'pending' : 'failed',
      nextAttemptAt: d.outcome.kind === 'retry' ? new Date(now.getTime() + d.outcome.afterMs) : null,
      lastError: d.outcome.kind === 'succeeded' ? null : (d.result.error ?? `the endpoint answered ${d.result.status}`),
    })),
    { lastSuccessAt, consecutiveFailures: failures, ...(lastFailure ? { lastError: { json: lastErrorOf(lastFailure.result), at: now } } : {}) },
    now,
  );
  if (gone || stale) {
    const reason = gone
      ? 'the endpoint answered 410 Gone; the integration was disabled'
      : `no successful delivery for ${DISABLE_AFTER_MS / 86_400_000} days; the integration was disabled`;
    await ctx.db.transaction((tx) => disable(tx, integration.id, reason, now));
  }
  return decided.filter((d) => d.outcome.kind === 'succeeded');
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
  const ok = await record(ctx, integration, state, sent);
  return {
    kind: 'delivered',
    events: ok.length,
    objects: ok.length,
    bytes: ok.reduce((n, s) => n + s.bytes, 0),
    failures: sent.filter((s) => !ok.some((o) => o.delivery === s.delivery)).map((s) => s.result.code),
  };
}
