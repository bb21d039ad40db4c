/**
 * The audit events the ingest benchmark sends, and the `events` rows they become.
 *
 * One event serialises to about `eventBytes` bytes (the `metadata.note` filler makes up the size). Its JSON is
 * written with the keys in the order the event schema lists them and the id first, which is exactly the payload
 * the service stores (prepare-events.ts: `JSON.stringify` of the validated event), so the raw writer can insert
 * the very string the API was sent, and the row columns are derived the way prepare-events.ts derives them.
 */

const ACTIONS = ['grant.requested', 'grant.approved', 'grant.activated', 'grant.revoked', 'access.viewed', 'policy.updated'];

export interface BenchEvent {
  id: string;
  action: string;
  actorId: string;
  /** RFC 3339 UTC with milliseconds, as sent. */
  occurredAt: string;
  /** The serialised event: the request's array element and the stored payload. */
  json: string;
}

/**
 * How the `metadata.note` filler is written: `repeated` is one character over and over (compresses to almost
 * nothing; fine where only bytes through the API count), `text` is words drawn from a small vocabulary by a
 * generator seeded with the event's number, so gzip gets about as much out of it as out of real audit logs.
 */
export type Filler = 'repeated' | 'text';

const WORDS = (
  'access grant request approved denied revoked role policy user group account bucket object key session token ' +
  'admin reader writer audit log event action actor target resource tenant region service network console login ' +
  'logout password mfa device browser client server deploy release build pipeline secret rotate expire renew ' +
  'permission entitlement review ticket incident alert monitor export import backup restore delete update create'
).split(' ');

/** `length` characters of words, the same for the same seed. */
function textFiller(seed: number, length: number): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += WORDS[x % WORDS.length] + ' ';
  }
  return out.slice(0, length);
}

export class EventFactory {
  readonly #tail: string;
  readonly #fillerLength: number;

  /** `prefix` makes ids unique across runs and writers: ids are `<prefix>-<n>`. */
  constructor(
    readonly prefix: string,
    eventBytes: number,
    readonly filler: Filler = 'repeated',
  ) {
    // Size the filler on a representative event, so the serialised event is eventBytes long (± a few digits of n).
    const probe = this.#render(`${prefix}-1000000`, ACTIONS[0] as string, 'user-00', new Date(0).toISOString(), this.#tailWith(''));
    this.#fillerLength = Math.max(0, eventBytes - Buffer.byteLength(probe));
    this.#tail = this.#tailWith('x'.repeat(this.#fillerLength));
  }

  #tailWith(note: string): string {
    // Everything after `actor`, in schema order: targets, message, context, index, metadata.
    return (
      ',' +
      JSON.stringify({
        targets: [
          { type: 'grant', id: 'gra_2x9yQk4bP1' },
          { type: 'entitlement', id: 'aws::account::123456789012::AdministratorAccess' },
        ],
        message: 'An access grant changed state in the benchmark.',
        context: { request: { client_addr: '203.0.113.7', user_agent: 'auditdrain-bench/1.0' } },
        index: 'bench',
        metadata: { source: 'auditdrain-bench', note },
      }).slice(1)
    );
  }

  #render(id: string, action: string, actorId: string, occurredAt: string, tail: string): string {
    return (
      `{"id":${JSON.stringify(id)},"action":${JSON.stringify(action)},"occurred_at":"${occurredAt}",` +
      `"actor":{"type":"user","id":"${actorId}","name":"Bench User ${actorId.slice(5)}","email":"${actorId}@example.com"}` +
      tail
    );
  }

  /** The n-th event of this factory, stamped `occurredAt` (RFC 3339 UTC). */
  event(n: number, occurredAt: string): BenchEvent {
    const id = `${this.prefix}-${n}`;
    const action = ACTIONS[n % ACTIONS.length] as string;
    const actorId = `user-${String(n % 100).padStart(2, '0')}`;
    const tail = this.filler === 'text' ? this.#tailWith(textFiller(n, this.#fillerLength)) : this.#tail;
    return { id, action, actorId, occurredAt, json: this.#render(id, action, actorId, occurredAt, tail) };
  }

  /** `count` events from number `first` on, as a JSON array (a request body). */
  batch(first: number, count: number, occurredAt: string): { events: BenchEvent[]; body: string } {
    const events: BenchEvent[] = [];
    for (let i = 0; i < count; i++) events.push(this.event(first + i, occurredAt));
    return { events, body: '[' + events.map((e) => e.json).join(',') + ']' };
  }
}

/** The columns of one `events` row, as the service fills them (`sequence` is the database's). */
export interface EventRow {
  tenantId: string;
  eventId: string;
  kind: 'audit';
  action: string;
  actorId: string;
  occurredAt: Date;
  receivedAt: Date;
  payload: string;
}

export function rowOf(event: BenchEvent, tenantId: string, receivedAt: Date): EventRow {
  return {
    tenantId,
    eventId: event.id,
    kind: 'audit',
    action: event.action,
    actorId: event.actorId,
    occurredAt: new Date(event.occurredAt),
    receivedAt,
    payload: event.json,
  };
}

/** DateTime as Prisma's better-sqlite3 adapter writes it (timestampFormat "iso8601"). */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** DateTime as Prisma's pg adapter writes it into TIMESTAMP(3): UTC, `YYYY-MM-DD HH:MM:SS.mmm`. */
export function postgresTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
