/**
 * Wake-ups across processes on PostgreSQL: every transaction that adds events notifies `auditdrain_events` on commit
 * (migration 0006), and each delivery process listens on a connection of its own, so a new event does not wait for
 * the poll interval of a process other than the one that took it. The connection is re-opened after any error
 * (a database restart, a network cut), with a growing pause; while it is down, polling still finds everything.
 */
import pg from 'pg';
import type { Logger } from '../log';

export const EVENTS_CHANNEL = 'auditdrain_events';

export interface EventListener {
  close(): Promise<void>;
}

const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];

export interface EventHandlers {
  /** A transaction that added events committed (or the connection was re-opened, and some may have). */
  onEvents(): void;
  /** Another process gave up this destination with work left (announceWork). */
  onHandOver(destinationId: string): void;
}

/** Calls the handlers for every notification on `auditdrain_events` of the database at `url`. */
export function listenForEvents(url: string, handlers: EventHandlers, log: Logger): EventListener {
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const lost = (err: unknown) => {
      if (closed || client !== c) return;
      client = undefined;
      c.end().catch(() => undefined);
      const pause = RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]!;
      log.warn({ err, retry_in_ms: pause }, 'event notifications: connection lost; delivery polls until it is back');
      retry = setTimeout(() => void connect(), pause);
    };
    c.on('error', lost);
    c.on('end', () => lost(new Error('connection ended')));
    c.on('notification', (message) => {
      if (message.channel !== EVENTS_CHANNEL) return;
      // The trigger's notifications carry nothing; a hand-over's carry the destination's id.
      const handedOver = message.payload?.startsWith(HANDOVER) ? message.payload.slice(HANDOVER.length) : '';
      if (handedOver) handlers.onHandOver(handedOver);
      else handlers.onEvents();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${EVENTS_CHANNEL}"`);
      if (failures > 0) log.info('event notifications: listening again');
      failures = 0;
      // Events may have arrived while nobody listened.
      handlers.onEvents();
    } catch (err) {
      lost(err);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

const HANDOVER = 'handover:';

/**
 * Tells every listening process that a destination was given up with work left, so that one with free slots takes it
 * over now. Only that destination is looked at again: nothing else changed.
 */
export async function announceWork(pool: pg.Pool, destinationId: string): Promise<void> {
  await pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', $1)`, [`${HANDOVER}${destinationId}`]);
}
