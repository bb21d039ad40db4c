/**
 * Where the time of one ingest request goes: each stage of POST /v1/events timed on its own, in this process, for
 * one batch of events; what the same database work costs through Prisma's query API (which the service's append
 * bypasses); and the raw limit's own writer (ingest/raw.ts). A diagnostic for the ingest benchmark, not part of
 * `npm run bench`:
 *
 *   npm run build && node bench/dist/tools/ingest-stages.js            (BENCH_DIALECTS, BENCH_BATCH, BENCH_EVENT_BYTES apply)
 *
 * Each stage runs STAGE_ROUNDS times (default 20, after 3 unmeasured) on fresh event ids; the median is shown.
 */
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { createTenant, migrate, openDatabase } from '@auditdrain/control-plane';
import type { Config, Database } from '@auditdrain/control-plane';
import { ingestEvents } from '@auditdrain/control-plane/dist/domain/events/ingest-events';
import { validateEventBatch } from '@auditdrain/schema';
import type { ValidEvent } from '@auditdrain/schema';
import { EventFactory, rowOf } from '../ingest/events';
import type { BenchEvent } from '../ingest/events';
import { openSqliteWriter, postgresWriter } from '../ingest/raw';
import { eachDialect } from '../lib/dialects';
import { readOptions } from '../lib/options';
import { markdownTable, now, quantile } from '../lib/stats';

const ROUNDS = Number(process.env.STAGE_ROUNDS ?? '20');
const WARMUP = 3;

interface Batch {
  events: BenchEvent[];
  body: string;
  ids: string[];
}

interface Stage {
  name: string;
  /** Runs the stage once on a fresh batch; only the part inside `time` is measured. */
  run(batch: Batch, time: <T>(fn: () => T) => T): Promise<void> | void;
}

async function measure(stage: Stage, makeBatch: () => Batch): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const batch = makeBatch();
    let elapsed = 0;
    const time = <T>(fn: () => T): T => {
      const started = now();
      const out = fn();
      if (out instanceof Promise) {
        return out.finally(() => (elapsed += now() - started)) as T;
      }
      elapsed += now() - started;
      return out;
    };
    await stage.run(batch, time);
    if (i >= WARMUP) samples.push(elapsed * 1000);
  }
  return quantile(samples, 0.5);
}

function validated(body: string): ValidEvent[] {
  const result = validateEventBatch(JSON.parse(body));
  if (!result.ok) throw new Error(`the benchmark's events do not validate: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function prismaStages(db: Database, tenantId: string): Stage[] {
  return [
    { name: 'JSON.parse of the request body', run: (b, time) => void time(() => JSON.parse(b.body)) },
    { name: 'validateEventBatch (zod)', run: (b, time) => { const parsed: unknown = JSON.parse(b.body); time(() => validateEventBatch(parsed)); } },
    {
      name: 'Prisma: transaction + duplicate check (findMany, id IN batch)',
      run: async (b, time) => {
        await time(() => db.transaction((tx) => tx.event.findMany({ where: { tenantId, eventId: { in: b.ids } }, select: { eventId: true } })));
      },
    },
    {
      name: 'Prisma: transaction + createMany of the batch',
      run: async (b, time) => {
        const receivedAt = new Date();
        const data = b.events.map((e) => {
          const r = rowOf(e, tenantId, receivedAt);
          return { tenantId, eventId: r.eventId, kind: r.kind, action: r.action, actorId: r.actorId, occurredAt: r.occurredAt, receivedAt, payload: r.payload };
        });
        await time(() => db.transaction((tx) => tx.event.createMany({ data })));
      },
    },
    {
      name: 'Prisma: transaction + $executeRawUnsafe multi-row INSERT',
      run: async (b, time) => {
        const receivedAt = new Date();
        const values: unknown[] = [];
        const rows = b.events.map((e, i) => {
          const r = rowOf(e, tenantId, receivedAt);
          values.push(r.tenantId, r.eventId, r.kind, r.action, r.actorId, r.occurredAt, r.receivedAt, r.payload);
          return `(${Array.from({ length: 8 }, (_, c) => (db.dialect === 'sqlite' ? '?' : `$${i * 8 + c + 1}`)).join(', ')})`;
        });
        const sql = `INSERT INTO "events" ("tenant_id", "event_id", "kind", "action", "actor_id", "occurred_at", "received_at", "payload") VALUES ${rows.join(', ')}`;
        await time(() => db.transaction((tx) => tx.$executeRawUnsafe(sql, ...values)));
      },
    },
    {
      name: 'ingestEvents (prepare + appendEvents: INSERT … ON CONFLICT DO NOTHING)',
      run: async (b, time) => {
        const events = validated(b.body);
        await time(() => ingestEvents(db, tenantId, events));
      },
    },
    {
      name: 'ingestEvents of 1 authorization event (done once per request)',
      run: async (b, time) => {
        const event: ValidEvent = {
          kind: 'authorization',
          event: {
            id: `eval-${b.ids[0] ?? ''}`,
            request: {
              principal: { type: 'Auditdrain::ApiKey', id: 'key_bench' },
              action: { type: 'Auditdrain::Action', id: 'event.ingest' },
              resource: { type: 'Auditdrain::Tenant', id: tenantId },
              context: { role: 'admin', request_id: 'req_bench', method: 'POST', path: '/v1/events', client_addr: '127.0.0.1', user_agent: 'bench' },
            },
            decision: 'allow',
            allowed: true,
            diagnostics: { reason: 'role "admin" grants the "ingest" permission' },
            evaluated_at: new Date().toISOString(),
            evaluation_duration: 1000,
          },
        };
        await time(() => ingestEvents(db, tenantId, [event]));
      },
    },
  ];
}

/** The raw limit's own writer (ingest/raw.ts), and a duplicate check through the same connection. */
function sqliteRawStages(file: string, tenantId: string): { stages: Stage[]; close(): void } {
  const { connection, write } = openSqliteWriter(file, tenantId);
  const selects = new Map<number, Sqlite.Statement>();
  const select = (n: number) => {
    let s = selects.get(n);
    if (!s) selects.set(n, (s = connection.prepare(`SELECT "event_id" FROM "events" WHERE "tenant_id" = ? AND "event_id" IN (${Array(n).fill('?').join(', ')})`)));
    return s;
  };
  return {
    stages: [
      { name: 'raw better-sqlite3: duplicate check (SELECT … IN)', run: (b, time) => void time(() => select(b.ids.length).all(tenantId, ...b.ids)) },
      { name: 'raw better-sqlite3: INSERT of the batch in a transaction', run: (b, time) => void time(() => write(b.events, new Date())) },
    ],
    close: () => connection.close(),
  };
}

/** The raw limit's own transaction (ingest/raw.ts), and a duplicate check through the same connection. */
async function postgresRawStages(url: string, tenantId: string, batchSize: number): Promise<{ stages: Stage[]; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const write = postgresWriter(tenantId, batchSize);
  return {
    stages: [
      {
        name: 'raw pg: duplicate check (SELECT … = ANY($2))',
        run: async (b, time) => {
          await time(() => client.query('SELECT "event_id" FROM "events" WHERE "tenant_id" = $1 AND "event_id" = ANY($2)', [tenantId, b.ids]));
        },
      },
      { name: 'raw pg: BEGIN; INSERT of the batch; COMMIT', run: async (b, time) => void (await time(() => write(client, b.events, new Date()))) },
    ],
    close: () => client.end(),
  };
}

async function stagesFor(database: Config['database'], label: string, batchSize: number, eventBytes: number): Promise<string> {
  process.stdout.write(`${label}\n`);
  await migrate(database);
  const db = openDatabase(database);
  const tenantId = (await createTenant(db.client, 'stages')).id;
  const raw = database.dialect === 'sqlite' ? sqliteRawStages(database.file, tenantId) : await postgresRawStages(database.url, tenantId, batchSize);
  const factory = new EventFactory(`stages-${Date.now().toString(36)}`, eventBytes);
  let next = 0;
  const makeBatch = (): Batch => {
    const { events, body } = factory.batch(next, batchSize, new Date().toISOString());
    next += batchSize;
    return { events, body, ids: events.map((e) => e.id) };
  };
  const rows: string[][] = [];
  try {
    for (const stage of [...prismaStages(db, tenantId), ...raw.stages]) {
      const ms = await measure(stage, makeBatch);
      rows.push([stage.name, ms.toFixed(2), ((ms * 1000) / batchSize).toFixed(1)]);
      process.stdout.write(`  ${stage.name}: ${ms.toFixed(2)} ms\n`);
    }
  } finally {
    await raw.close();
    await db.close();
  }
  return `${label}, batches of ${batchSize} events of ≈ ${eventBytes} bytes, median of ${ROUNDS}:\n\n` +
    markdownTable(['stage', 'ms / batch', 'µs / event'], rows, [false, true, true]);
}

async function main(): Promise<void> {
  const options = readOptions();
  const out = await eachDialect(options.dialects, (line) => process.stdout.write(`${line}\n`), (target) =>
    target.dialect === 'sqlite'
      ? stagesFor({ dialect: 'sqlite', file: path.join(target.dir, 'stages.db') }, 'SQLite', options.batch, options.eventBytes)
      : stagesFor({ dialect: 'postgresql', url: target.server.url }, `PostgreSQL ${target.server.version}`, options.batch, options.eventBytes),
  );
  process.stdout.write('\n' + out.join('\n\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest-stages: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
