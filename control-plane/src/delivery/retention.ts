/**
 * Runs retention (store/prune-events.ts, and the day of delivery minutes) in a process that delivers: shortly after start, then every interval.
 * Several processes may run it at once: they delete disjoint or already-deleted rows, so nothing is done twice.
 */
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Database } from '../store/database';
import { pruneEvents } from '../store/prune-events';
import { MINUTES_KEPT_MS, pruneMinutes } from '../store/delivery-minutes';

export const RETENTION_INTERVAL_MS = 10 * 60_000;

export interface RetentionDeps {
  db: Database;
  log: Logger;
  metrics: Metrics;
  retentionMs: number;
  intervalMs?: number;
  now?: () => Date;
}

export class Retention {
  readonly #deps: RetentionDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = true;

  constructor(deps: RetentionDeps) {
    this.#deps = deps;
  }

  start(firstInMs = 5_000): void {
    this.#stopped = false;
    this.#schedule(firstInMs);
  }

  /** Deletes what retention allows now; returns how many events. */
  async runOnce(): Promise<number> {
    const { db, log, metrics, retentionMs } = this.#deps;
    const now = (this.#deps.now ?? (() => new Date()))();
    this.#running = (async () => {
      // The delivery log's chart shows one day; older minutes go with every run, whatever becomes of the events.
      await pruneMinutes(db.client, new Date(now.getTime() - MINUTES_KEPT_MS)).catch((err: unknown) => log.warn({ err }, 'retention: could not drop old delivery minutes'));
      return pruneEvents(db, new Date(now.getTime() - retentionMs));
    })();
    try {
      const deleted = await this.#running;
      metrics.eventsPruned.inc(deleted);
      if (deleted > 0) log.info({ deleted }, 'retention: deleted events every destination had passed');
      return deleted;
    } finally {
      this.#running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce()
        .catch((err: unknown) => this.#deps.log.error({ err }, 'retention failed; retrying at the next interval'))
        .finally(() => this.#schedule(this.#deps.intervalMs ?? RETENTION_INTERVAL_MS));
    }, ms);
    this.#timer.unref();
  }
}
