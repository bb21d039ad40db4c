/**
 * A real control plane for one test file: a fresh database of the dialect under test (a temporary SQLite file,
 * or a new PostgreSQL database on the suite's server), migrated, with the real HTTP application in front of it
 * and every log line kept for inspection.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { Config, Dialect } from '../../src/config';
import { SecretBox } from '../../src/crypto/secret-box';
import type { Role } from '../../src/domain/access/roles';
import { createApiKey } from '../../src/domain/api-keys/create-api-key';
import type { EventPreparer } from '../../src/domain/events/event-preparer';
import { createTenant } from '../../src/domain/tenants/create-tenant';
import { DeliveryEngine } from '../../src/delivery/engine';
import type { Resolver } from '../../src/delivery/webhook/network-policy';
import type { DeliverySettings } from '../../src/delivery/settings';
import { createApp } from '../../src/http/app';
import { createMetrics } from '../../src/metrics';
import { createLogger } from '../../src/log';
import type { Database } from '../../src/store/database';
import { openDatabase } from '../../src/store/database';
import { migrate } from '../../src/store/migrate';
import { createPostgresDatabase } from './postgres-database';

export function dialectUnderTest(): Dialect {
  const dialect = process.env.AUDITDRAIN_TEST_DIALECT;
  if (dialect !== 'sqlite' && dialect !== 'postgresql') throw new Error('AUDITDRAIN_TEST_DIALECT must be sqlite or postgresql');
  return dialect;
}

/** A database of the dialect under test, empty and not yet migrated. */
export async function freshDatabase(): Promise<{ database: Config['database']; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditdrain-test-'));
  if (dialectUnderTest() === 'sqlite') {
    return {
      database: { dialect: 'sqlite', file: path.join(dataDir, 'auditdrain.db') },
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const pg = await createPostgresDatabase();
  return {
    database: { dialect: 'postgresql', url: pg.url },
    dataDir,
    drop: async () => {
      await pg.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TenantWithKeys {
  id: string;
  keys: Record<Role, { id: string; secret: string }>;
}

export interface TestService {
  http: ReturnType<typeof request>;
  /** Present when started with `delivery`. */
  engine: DeliveryEngine | null;
  db: Database;
  database: Config['database'];
  masterKey: Buffer;
  /** Every log line written so far, raw. */
  logs: string[];
  /** A new tenant with one key of each role. */
  tenant(name?: string): Promise<TenantWithKeys>;
  /** Serves the API on a free loopback port (for clients that need a real URL) and returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  /** Runs a delivery engine (not started: call `engine.start()`) and verifies destinations. */
  delivery?: DeliverySettings;
  /** Where ingest prepares batches; inline when left out. */
  preparer?: EventPreparer;
  allowPrivateNetwork?: boolean;
  awsPrincipalArn?: string | null;
  maxBodyBytes?: number;
  /** Name resolution for webhook hosts; default: `hostsResolver({})`, where no name resolves. */
  resolver?: Resolver;
  /** false: a delivery-only process (AUDITDRAIN_ROLE=delivery), whose API answers 503. */
  serveApi?: boolean;
}

/**
 * A resolver that answers from a fixed table, standing in for DNS (which tests cannot point at private addresses,
 * and which this machine may not reach): a name not in the table does not resolve (ENOTFOUND).
 */
export function hostsResolver(hosts: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = hosts[hostname.toLowerCase()];
    if (addresses) return addresses;
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  };
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const fresh = await freshDatabase();
  await migrate(fresh.database);
  const db = openDatabase(fresh.database, { poolSize: 4 });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('trace', sink);
  const masterKey = randomBytes(32);
  const box = new SecretBox(masterKey);
  const metrics = createMetrics();
  const resolver = options.resolver ?? hostsResolver({});
  const engine = options.delivery ? new DeliveryEngine({ db, box, log, metrics, settings: options.delivery, resolver }) : null;
  const app = createApp({
    db,
    box,
    log,
    metrics,
    lifecycle: { accepting: true },
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    awsPrincipalArn: options.awsPrincipalArn === undefined ? 'arn:aws:iam::123456789012:role/auditdrain-service' : options.awsPrincipalArn,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    ...(options.preparer ? { preparer: options.preparer } : {}),
    ...(engine && options.delivery?.verify ? { verification: { settings: options.delivery, writer: engine.writer } } : {}),
    ...(engine ? { onIngest: () => engine.wake(), webhookSender: engine.webhooks } : {}),
    ...(options.serveApi === false ? { serveApi: false } : {}),
    resolver,
  });
  let tenants = 0;
  let server: http.Server | undefined;
  return {
    http: request(app),
    engine,
    db,
    database: fresh.database,
    masterKey,
    logs,
    async tenant(name = `tenant-${++tenants}`) {
      const tenant = await createTenant(db.client, name);
      const keys = {} as TenantWithKeys['keys'];
      for (const role of ['admin', 'writer', 'reader'] as const) {
        const key = await createApiKey(db.client, { tenantId: tenant.id, role, name: `${role} key` });
        keys[role] = { id: key.id, secret: key.secret };
      }
      return { id: tenant.id, keys };
    },
    async listen() {
      server ??= await new Promise<http.Server>((resolve, reject) => {
        const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await engine?.stop();
      await options.preparer?.close();
      await db.close();
      await fresh.drop();
    },
  };
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Minimal valid bodies, for tests that need "some resource". */
export const validBodies = {
  s3_log_destination: () => ({ name: 'audit archive', bucket_name: 'customer-audit-logs', role_arn: 'arn:aws:iam::123456789012:role/auditdrain-writer' }),
  webhook_integration: () => ({ name: 'siem', url: 'https://siem.example.com/hooks/auditdrain' }),
} as const;

/** A valid audit event with a fresh id unless one is given. */
export function auditEventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `evt-${randomBytes(8).toString('hex')}`,
    action: 'grant.approved',
    occurred_at: '2026-03-01T12:00:00Z',
    actor: { type: 'user', id: 'usr_alice', name: 'Alice', email: 'alice@example.com' },
    targets: [{ type: 'grant', id: 'gra_1' }],
    message: 'Alice approved a grant',
    ...overrides,
  };
}

/** An event as GET /v1/events lists it. */
export interface ListedEvent {
  id: string;
  kind: 'audit' | 'authorization';
  sequence: string;
  received_at: string;
  event: Record<string, any>;
}

/**
 * GET /v1/events with `query` and `limit`, page by page following next_cursor to the end; every page is checked to
 * answer 200 with exactly `data` and `next_cursor`.
 */
export async function eventPages(
  service: TestService,
  auth: Record<string, string>,
  query: Record<string, string> = {},
  limit = 200,
): Promise<ListedEvent[][]> {
  const pages: ListedEvent[][] = [];
  let cursor: string | null = null;
  do {
    if (pages.length >= 10_000) throw new Error('pagination did not end');
    const res = await service.http
      .get('/v1/events')
      .query({ ...query, limit: String(limit), ...(cursor === null ? {} : { cursor }) })
      .set(auth);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'next_cursor']);
    pages.push(res.body.data as ListedEvent[]);
    cursor = res.body.next_cursor as string | null;
  } while (cursor !== null);
  return pages;
}
