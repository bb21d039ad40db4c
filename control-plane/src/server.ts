/**
 * Running the service: settings → master key → migrations → store → first-start bootstrap → HTTP server, and a
 * graceful stop on SIGTERM/SIGINT (stop accepting, let requests in flight finish, close the store).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { resolveMasterKey } from './crypto/master-key';
import { SecretBox } from './crypto/secret-box';
import { DeliveryEngine } from './delivery/engine';
import { Retention } from './delivery/retention';
import { workerPreparer } from './domain/events/event-preparer';
import { bootstrapIfEmpty } from './domain/tenants/bootstrap';
import { createApp } from './http/app';
import { createMetrics } from './metrics';
import type { Lifecycle } from './http/routes/operations';
import type { Logger } from './log';
import type { Database } from './store/database';
import { openDatabase } from './store/database';
import { listenForEvents } from './store/event-notifications';
import { migrate } from './store/migrate';
import { VERSION } from './version';

export interface RunningService {
  url: string;
  db: Database;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the first-start admin key is printed. */
  announce?: (text: string) => void;
}

export async function startService(config: Config, log: Logger, options: StartOptions = {}): Promise<RunningService> {
  const box = new SecretBox(resolveMasterKey(config.masterKey, config.dataDir, log));
  const applied = await migrate(config.database);
  if (applied.length > 0) log.info({ migrations: applied }, 'applied database migrations');
  const db = openDatabase(config.database);

  const boot = await bootstrapIfEmpty(db, config.bootstrapTenantName);
  if (boot) {
    log.info({ tenant_id: boot.tenant.id, key_id: boot.key.id }, 'empty database: created a tenant and an admin API key');
    (options.announce ?? ((t) => process.stderr.write(t)))(
      [
        '',
        `  auditdrain: created tenant "${boot.tenant.name}" (${boot.tenant.id}) and an admin API key.`,
        '  It is shown this once; store it now:',
        '',
        `    ${boot.key.secret}`,
        '',
        '',
      ].join('\n'),
    );
  }

  const lifecycle: Lifecycle = { accepting: true };
  const preparer = workerPreparer(config.ingestWorkers);
  const metrics = createMetrics();
  const engine = new DeliveryEngine({ db, box, log, metrics, settings: config.deliverySettings });
  const app = createApp({
    db,
    box,
    log,
    metrics,
    lifecycle,
    allowPrivateNetwork: config.allowPrivateNetwork,
    awsPrincipalArn: config.awsPrincipalArn,
    maxBodyBytes: config.maxBodyBytes,
    preparer,
    verification: config.deliverySettings.verify ? { settings: config.deliverySettings, writer: engine.writer } : null,
    onIngest: () => engine.wake(),
    webhookSender: engine.webhooks,
    serveApi: config.role !== 'delivery',
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`;
  const delivers = config.role !== 'api';
  const retention = delivers ? new Retention({ db, log, metrics, retentionMs: config.retentionMs }) : null;
  if (delivers) engine.start();
  retention?.start();
  // Other processes' ingest wakes this one's delivery at once (PostgreSQL; on SQLite there is one process).
  const listener = delivers && config.database.dialect === 'postgresql' ? listenForEvents(config.database.url, { onEvents: () => engine.wake(), onHandOver: (id) => engine.takeOver(id) }, log) : null;
  log.info(
    { url, version: VERSION, database: config.database.dialect, ingest_workers: config.ingestWorkers, role: config.role },
    'auditdrain is listening',
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      lifecycle.accepting = false;
      log.info('shutting down: finishing requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
      await Promise.race([closed, grace]);
      server.closeAllConnections();
      await listener?.close();
      await retention?.stop();
      await engine.stop();
      await preparer.close();
      await db.close();
      log.info('stopped');
    })());
  return { url, db, stop };
}
