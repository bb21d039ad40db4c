/**
 * The delivery loop: every poll interval, or at once when woken (after ingest), every enabled destination (S3 log
 * destinations and webhook integrations) whose retry time has come takes delivery steps until it has nothing due.
 * Destinations run concurrently up to a limit, each at most once at a time, so a slow or failing destination never
 * holds up another. A step that throws is recorded on the destination (its health) and retried with backoff
 * (retry-policy.ts); a webhook's failed requests are retried per delivery (webhook/retry-schedule.ts).
 */
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { SecretBox } from '../crypto/secret-box';
import { s3LogDestinationKind, webhookIntegrationKind } from '../domain/resources/resource-kind';
import type { DestinationRow } from '../domain/resources/stored-resource';
import { configOf } from '../domain/resources/stored-resource';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Database } from '../store/database';
import type { Lease } from '../store/leases';
import { isDatabaseUnavailable } from '../store/database-unavailable';
import { announceWork } from '../store/event-notifications';
import { claimDue, LeaseLost, releaseLease, renewLease, updateHeldState } from '../store/leases';
import { VERSION } from '../version';
import { eventFilterOf } from './event-filter';
import { retryDelayMs } from './retry-policy';
import type { DeliverySettings } from './settings';
import { RemoteFailure } from './s3/aws-error';
import { addToMinute } from '../store/delivery-minutes';
import type { RemoteError } from './s3/aws-error';
import { CredentialSource } from './s3/credentials';
import { deliverS3Step } from './s3/deliver-s3';
import { batchRulesOf, layoutOf, s3TargetOf } from './s3/destination';
import { S3Writer } from './s3/s3-writer';
import { Gate } from './gate';
import type { StepResult } from './step-result';
import { deliverWebhookStep } from './webhook/deliver-webhook';
import { webhookTargetOf } from './webhook/integration';
import type { Resolver } from './webhook/network-policy';
import { WebhookSender } from './webhook/webhook-sender';

/** Steps one destination may take in a row before yielding to the others, and for how long at most. */
const STEPS_PER_TURN = 20;
const TURN_MS = 2_000;
/**
 * S3 steps of a process that may read and encode event payloads at once, whatever the number of destinations in
 * flight: a step holds at most BATCHES_PER_STEP batches and MAX_BATCH_BYTES of payloads. Writing the encoded objects
 * is outside the gate, so a hanging endpoint delays no other destination. One keeps a process draining a large
 * backlog for several destinations under 512 MiB (bench/RESULTS.md, scale).
 */
const S3_STEPS_WITH_PAYLOADS = 1;
/**
 * How long a busy process leaves a destination it gave up with work left, so that another process (woken by a
 * notification) can take it over: otherwise the one that already holds the most would claim it again at once.
 */
const HANDOVER_MS = 200;
const DATABASE_UNAVAILABLE = 'database unavailable; delivery resumes when it is back';

export interface EngineDeps {
  db: Database;
  box: SecretBox;
  log: Logger;
  metrics: Metrics;
  settings: DeliverySettings;
  now?: () => Date;
  /** How webhook hosts are resolved (tests inject names that resolve to private addresses); default: the system's. */
  resolver?: Resolver;
}

const DESTINATION_TYPES = [s3LogDestinationKind.spec.name, webhookIntegrationKind.spec.name];

export class DeliveryEngine {
  readonly writer: S3Writer;
  readonly webhooks: WebhookSender;
  readonly #deps: EngineDeps;
  readonly #now: () => Date;
  /** This process, as the leases it takes record it. */
  readonly #owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Turns in progress, by destination: a destination never has two. */
  readonly #running = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** A tick left due destinations waiting for a slot: the next finished turn wakes the loop for them. */
  #slotsWanted = false;
  /**
   * Destinations that had nothing to deliver, and until when they are not looked at again: without this, a loop
   * woken by every finished turn would keep re-reading idle destinations. New events (`wake`) clear it.
   */
  readonly #resting = new Map<string, number>();
  readonly #payloads = new Gate(S3_STEPS_WITH_PAYLOADS);
  /** Destinations given up with work left while others were in flight, and until when they are left to others. */
  readonly #handedOver = new Map<string, number>();

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.writer = new S3Writer(deps.settings, new CredentialSource(deps.settings));
    this.webhooks = new WebhookSender({
      timeoutMs: deps.settings.webhookTimeoutMs,
      allowPrivateNetwork: deps.settings.allowPrivateNetwork,
      maxSockets: deps.settings.webhookConcurrency,
      userAgent: `auditdrain/${VERSION}`,
      ...(deps.resolver ? { resolver: deps.resolver } : {}),
    });
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** New events arrived: every destination may have work, look now rather than at the next poll. */
  wake(): void {
    this.#resting.clear();
    this.#loop();
  }

  /** Logs what stopped the loop or a turn: an unreachable database is expected now and then (a warning), not a bug. */
  #failed(err: unknown, what: string, destinationId?: string): void {
    const fields = { err, ...(destinationId ? { destination_id: destinationId } : {}) };
    if (isDatabaseUnavailable(err)) this.#deps.log.warn(fields, DATABASE_UNAVAILABLE);
    else this.#deps.log.error(fields, what);
  }

  /** Another process gave up this destination with work left: look at it now, and only at it. */
  takeOver(destinationId: string): void {
    this.#resting.delete(destinationId);
    this.#loop();
  }

  #loop(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#ticking = this.tick()
      .catch((err: unknown) => this.#failed(err, 'delivery loop failed; retrying at the next poll'))
      .finally(() => {
        this.#ticking = undefined;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.#loop();
        } else {
          this.#timer = setTimeout(() => this.#loop(), this.#deps.settings.pollMs);
        }
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    await Promise.all(this.#running.values());
    this.webhooks.close();
  }

  /**
   * Claims due destinations (store/leases.ts), up to the free slots, and starts a turn for each without waiting for
   * them: a destination whose endpoint hangs holds one slot until its request times out, never the loop. Other
   * processes delivering from the same database claim the rest. A finished turn wakes the loop when every slot was
   * taken (more may be due), or when it stopped with work left, so they go next rather than at the next poll.
   */
  async tick(): Promise<void> {
    const { db, settings } = this.#deps;
    const slots = settings.concurrency - this.#running.size;
    if (slots <= 0) {
      this.#slotsWanted = true;
      return;
    }
    const now = this.#now();
    const resting = [...this.#resting].filter(([, until]) => until > now.getTime()).map(([id]) => id);
    // Hand-overs are a moment of real time (a timer ends them), not of the engine's clock.
    for (const [id, until] of this.#handedOver) {
      if (until > Date.now()) resting.push(id);
      else this.#handedOver.delete(id);
    }
    const leases = await claimDue(db, {
      owner: this.#owner,
      now,
      leaseMs: settings.leaseMs,
      limit: slots,
      types: DESTINATION_TYPES,
      skip: [...this.#running.keys(), ...resting],
    });
    if (leases.length === slots) this.#slotsWanted = true;
    for (const lease of leases) {
      const destinationId = lease.destinationId;
      const turn = this.#turn(lease)
        .catch((err: unknown) => {
          this.#failed(err, 'delivery turn failed', destinationId);
          return false;
        })
        .then((workLeft) => {
          this.#running.delete(destinationId);
          if (workLeft || this.#slotsWanted) {
            this.#slotsWanted = false;
            this.#loop();
          }
        });
      this.#running.set(destinationId, turn);
    }
  }

  /**
   * Steps one destination until it has nothing due, and gives the lease up at the end; true when it yielded with
   * work left. While the turn runs, the lease is renewed every third of its length, however long one step takes
   * (a slow endpoint, a long S3 request); a renewal that finds the lease lost ends the turn after the current step,
   * and that step's writes are refused anyway (fencing).
   */
  async #turn(lease: Lease): Promise<boolean> {
    const { db, log, settings } = this.#deps;
    let lost = false;
    let workLeft = false;
    const heartbeat = setInterval(() => {
      renewLease(db, lease, this.#now(), settings.leaseMs)
        .then((held) => (lost ||= !held))
        .catch((err: unknown) => log.warn({ err, destination_id: lease.destinationId }, 'could not renew a delivery lease'));
    }, Math.max(1, Math.floor(settings.leaseMs / 3)));
    try {
      const started = Date.now();
      for (let step = 0; step < STEPS_PER_TURN && Date.now() - started < TURN_MS && !this.#stopped && !lost; step++) {
        if ((await this.#step(lease)) !== 'more') return false;
      }
      workLeft = !this.#stopped && !lost;
      return workLeft;
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      this.#deps.metrics.leaseWritesRefused.inc();
      lost = true;
      return false;
    } finally {
      clearInterval(heartbeat);
      if (lost) log.warn({ destination_id: lease.destinationId }, 'delivery lease lost to another process; nothing more of this turn was written');
      else {
        await releaseLease(db, lease).catch((err: unknown) => log.warn({ err, destination_id: lease.destinationId }, 'could not release a delivery lease; it expires'));
        // Only PostgreSQL has other processes to take it; a single SQLite process keeps going.
        if (workLeft && this.#running.size > 1 && db.driver.dialect === 'postgresql') this.#handOver(db.driver.pool, lease.destinationId);
      }
    }
  }

  /** Leaves the destination to other processes for a moment and tells them (PostgreSQL). */
  #handOver(pool: pg.Pool, destinationId: string): void {
    this.#handedOver.set(destinationId, Date.now() + HANDOVER_MS);
    // If nobody took it, look again once the moment is over.
    setTimeout(() => this.#loop(), HANDOVER_MS + 1).unref();
    announceWork(pool, destinationId).catch((err: unknown) => this.#deps.log.warn({ err, destination_id: destinationId }, 'could not announce a handed-over destination'));
  }

  async #step(lease: Lease): Promise<'more' | 'done'> {
    const { db, log, metrics, settings } = this.#deps;
    const row = await db.client.destination.findUnique({ where: { id: lease.destinationId }, include: { state: true } });
    if (!row?.state || !row.enabled) return 'done';
    const type = row.type;
    try {
      const result = await this.#deliver(row, row.state, lease);
      if (result.kind === 'delivered') {
        if (result.objects > 0) log.info({ destination_id: row.id, type, events: result.events, objects: result.objects }, 'delivered');
        metrics.deliveredEvents.inc({ destination_type: type }, result.events);
        metrics.deliveredObjects.inc({ destination_type: type }, result.objects);
        metrics.deliveredBytes.inc({ destination_type: type }, result.bytes);
        for (const code of result.failures ?? []) metrics.deliveryFailures.inc({ destination_type: type, code });
        return 'more';
      }
      // Idle, or something not yet due: look again at the next poll (or when it falls due, if sooner).
      const next = this.#now().getTime() + settings.pollMs;
      this.#resting.set(row.id, result.kind === 'waiting' ? Math.min(next, result.until.getTime()) : next);
      return 'done';
    } catch (err) {
      if (err instanceof LeaseLost) throw err;
      // The database, not the destination, failed: nothing is held against the destination; try again next poll.
      if (isDatabaseUnavailable(err)) {
        log.warn({ err, destination_id: row.id }, DATABASE_UNAVAILABLE);
        this.#resting.set(row.id, this.#now().getTime() + settings.pollMs);
        return 'done';
      }
      const remote: RemoteError =
        err instanceof RemoteFailure
          ? err.remote
          : { operation: 'Internal', code: 'InternalError', message: (err as Error).message, http_status: null, request_id: null };
      if (!(err instanceof RemoteFailure)) log.error({ err, destination_id: row.id }, 'delivery step failed');
      metrics.deliveryFailures.inc({ destination_type: type, code: remote.code });
      const failures = row.state.consecutiveFailures + 1;
      const now = this.#now();
      const failedEvents = err instanceof RemoteFailure ? (err.events ?? 0) : 0;
      await db.transaction(async (tx) => {
        await updateHeldState(tx, lease, {
          lastError: JSON.stringify(remote),
          lastErrorAt: now,
          consecutiveFailures: failures,
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(failures)),
        });
        await addToMinute(tx, row.id, now, { delivered: 0, failed: failedEvents });
      });
      log.warn({ destination_id: row.id, type, error_code: remote.code, request_id: remote.request_id, failures }, 'delivery failed; will retry');
      return 'done';
    }
  }

  /** One step of the destination's own kind. */
  #deliver(
    row: DestinationRow,
    state: { cursor: bigint; pendingBatch: string | null; lastSuccessAt: Date | null; consecutiveFailures: number },
    lease: Lease,
  ): Promise<StepResult> {
    const { db, box, settings } = this.#deps;
    const config = configOf(row, box);
    if (row.type === webhookIntegrationKind.spec.name) {
      return deliverWebhookStep(
        { db, box, lease, sender: this.webhooks, now: this.#now, concurrency: settings.webhookConcurrency, retryDelaysMs: settings.webhookRetryDelaysMs },
        row,
        state,
        webhookTargetOf(row, config),
        eventFilterOf(config),
        config,
      );
    }
    return deliverS3Step(
      {
        db,
        lease,
        writer: this.writer,
        now: this.#now,
        payloads: this.#payloads,
        ...(settings.faultInjection === 'exit-after-put' ? { afterPut: () => process.kill(process.pid, 'SIGKILL') } : {}),
      },
      row,
      state,
      s3TargetOf(row, config),
      batchRulesOf(config),
      layoutOf(row, config),
    );
  }
}
