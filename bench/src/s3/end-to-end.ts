/**
 * One database's round of the S3 benchmark, against the real service (a child process) delivering to the gateway:
 *
 * - **Throughput.** One destination (gzip JSON Lines, batches of OBJECT_EVENTS events or 1 s, the role assumed
 *   with the tenant's external id). The API load of the ingest benchmark runs for the warm-up, the service drains
 *   it, then the load runs for the measured seconds: end to end = the events accepted in that burst / the time from
 *   its first request until `auditdrain_delivered_events_total` (read from /metrics) says all of them are in
 *   committed objects. Afterwards the bucket must hold every accepted event exactly once.
 * - **Lag.** A second destination that closes batches only by size: one client sends exactly OBJECT_EVENTS events
 *   (requests of `batch` events, one after the other); the batch closes when the last request commits, and the
 *   lag runs from its 202 to the moment the object shows up in a listing (polled every LAG_POLL_MS).
 */
import path from 'node:path';
import type { Config } from '@auditdrain/control-plane';
import { runApiLoad } from '../ingest/api';
import type { ApiLoadResult } from '../ingest/api';
import { EventFactory } from '../ingest/events';
import type { BenchOptions } from '../lib/options';
import { startChildService } from '../lib/service';
import { now } from '../lib/stats';
import { waitFor } from '../lib/wait';
import type { BenchGateway, LandedEvents } from './gateway';
import { benchDestination, listDelivered, readLanded } from './gateway';
import { createDestination, deleteDestination, deliveredEvents, sendEvents } from '../lib/service-api';

/** Events per object, from the issue. */
export const OBJECT_EVENTS = 5000;
export const LAG_ROUNDS = 10;
const LAG_POLL_MS = 5;
const DRAIN_TIMEOUT_MS = 300_000;

export interface EndToEndResult {
  /** The measured load; its `acceptedTotal` events are the measured burst. */
  api: ApiLoadResult;
  /** Every event accepted in the round (warm-up and measured), all of which the bucket must hold. */
  accepted: number;
  /** From the first request of the measured load to the end of its last. */
  ingestSeconds: number;
  /** Of the measured events, how many were in committed objects when the load ended. */
  deliveredDuringLoad: number;
  /** From the first request of the measured load until all of its events were in committed objects. */
  endToEndSeconds: number;
  /** Service CPU over endToEndSeconds, in fractions of one core. */
  cpu: number;
  landed: LandedEvents;
  /** Lag (ms) from a batch closing to its object being listed, one per round. */
  lagsMs: number[];
}

export async function endToEndRound(
  gateway: BenchGateway,
  database: Config['database'],
  dataDir: string,
  options: BenchOptions & { runId: string },
  progress: (line: string) => void,
): Promise<EndToEndResult> {
  const service = await startChildService({
    dataDir,
    ...(database.dialect === 'postgresql' && { databaseUrl: database.url }),
    ...(options.profileDir && { profileDir: path.resolve(options.profileDir, `s3-${database.dialect}-${options.runId}`) }),
    env: {
      AUDITDRAIN_STS_ENDPOINT: gateway.gw.endpoint,
      AUDITDRAIN_AWS_REGION: gateway.gw.region,
      AWS_ACCESS_KEY_ID: gateway.service.accessKeyId,
      AWS_SECRET_ACCESS_KEY: gateway.service.secretAccessKey,
    },
  });
  try {
    const bucket = await gateway.newBucket(`bench-${options.runId}-${database.dialect}`);
    const destination = (extra: Record<string, unknown>) => benchDestination(gateway, bucket, OBJECT_EVENTS, extra);

    // Throughput.
    const throughputId = await createDestination(service, destination({ name: 'throughput', key_prefix: 'e2e', batch_duration_in_seconds: 1 }));
    progress(`  end to end: service pid ${service.pid}; ${options.clients} clients × ${options.batch} events/request, ${options.warmupSeconds} s warm-up + ${options.seconds} s`);
    const load = (seconds: number) =>
      runApiLoad({ ...options, seconds, warmupSeconds: 0, url: service.url, apiKey: service.adminKey, filler: 'text' });
    const drained = async (target: number) => {
      await waitFor(`all ${target} events delivered after the load`, async () => (await deliveredEvents(service)) >= target, DRAIN_TIMEOUT_MS, 50);
      return now();
    };
    let accepted = 0;
    if (options.warmupSeconds > 0) {
      accepted += (await load(options.warmupSeconds)).acceptedTotal;
      await drained(accepted);
    }
    const started = now();
    const cpuStart = service.cpuSeconds();
    const api = await load(options.seconds);
    const loadEnded = now();
    const deliveredDuringLoad = (await deliveredEvents(service)) - accepted;
    accepted += api.acceptedTotal;
    const finished = await drained(accepted);
    const cpu = (service.cpuSeconds() - cpuStart) / (finished - started);
    const landed = await readLanded(gateway.ownerS3, bucket, 'e2e/');
    await deleteDestination(service, throughputId);

    // Lag.
    await createDestination(service, destination({ name: 'lag', key_prefix: 'lag', batch_duration_in_minutes: 60 }));
    const factory = new EventFactory(`lag-${options.runId}`, options.eventBytes, 'text');
    const lagsMs: number[] = [];
    for (let round = 0; round < LAG_ROUNDS; round++) {
      for (let sent = 0; sent < OBJECT_EVENTS; sent += options.batch) {
        const count = Math.min(options.batch, OBJECT_EVENTS - sent);
        await sendEvents(service, factory.batch(round * OBJECT_EVENTS + sent, count, new Date().toISOString()).body);
      }
      const closed = now();
      await waitFor(`lag round ${round}: its object`, async () => (await listDelivered(gateway.ownerS3, bucket, 'lag/')).length > round, 60_000, LAG_POLL_MS);
      lagsMs.push((now() - closed) * 1000);
    }

    return {
      api,
      accepted,
      ingestSeconds: loadEnded - started,
      deliveredDuringLoad,
      endToEndSeconds: finished - started,
      cpu,
      landed,
      lagsMs,
    };
  } finally {
    await service.stop();
  }
}
