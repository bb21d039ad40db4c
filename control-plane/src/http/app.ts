/**
 * The HTTP application: operational endpoints, then the authenticated `/v1` API, then the error renderer.
 */
import express from 'express';
import { consoleRouter } from './console';
import type { SecretBox } from '../crypto/secret-box';
import type { EventPreparer } from '../domain/events/event-preparer';
import { inlinePreparer } from '../domain/events/event-preparer';
import type { ResourceContext } from '../domain/resources/context';
import type { Resolver } from '../delivery/webhook/network-policy';
import type { WebhookSender } from '../delivery/webhook/webhook-sender';
import type { Logger } from '../log';
import type { Database } from '../store/database';
import { authenticate } from './access';
import { errorRenderer, notFound } from './errors';
import { ApiError } from '../errors';
import type { Metrics } from '../metrics';
import { requestContext } from './request-context';
import { registerEventRoutes } from './routes/events';
import { registerIdentityRoutes } from './routes/identity';
import type { Lifecycle } from './routes/operations';
import { registerOperationRoutes } from './routes/operations';
import { registerS3LogDestinationRoutes } from './routes/s3-log-destinations';
import { registerWebhookIntegrationRoutes } from './routes/webhook-integrations';
import './types';

export interface AppDeps {
  db: Database;
  box: SecretBox;
  log: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  allowPrivateNetwork: boolean;
  awsPrincipalArn: string | null;
  maxBodyBytes: number;
  /** Where ingest parses and validates batches (inline when left out). */
  preparer?: EventPreparer;
  /** Destination verification on create, update and `…/test`; null or left out: no verification. */
  verification?: ResourceContext['verification'];
  /** Called after events are appended (wakes the delivery engine). */
  onIngest?: () => void;
  /** How webhook hosts are resolved for the SSRF check; default: the system's resolver. */
  resolver?: Resolver;
  /** Sends webhook test probes (the delivery engine's sender); left out: `…/test` answers 503. */
  webhookSender?: WebhookSender;
  /** false: a delivery-only process, whose `/v1` answers 503 (AUDITDRAIN_ROLE=delivery); default true. */
  serveApi?: boolean;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestContext(deps.log, deps.metrics));
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    next();
  });

  const operations = express.Router();
  registerOperationRoutes(operations, deps);
  app.use(operations);

  if (deps.serveApi === false) {
    app.use('/v1', (_req, _res, next) =>
      next(new ApiError('unavailable', 'this process only delivers (AUDITDRAIN_ROLE=delivery): send API requests to a process whose role is all or api')),
    );
    app.use(notFound);
    app.use(errorRenderer(deps.log));
    return app;
  }

  const api = express.Router();
  const routeDeps = {
    ctx: {
      db: deps.db,
      box: deps.box,
      policy: { allowPrivateNetwork: deps.allowPrivateNetwork, ...(deps.resolver ? { resolver: deps.resolver } : {}) },
      verification: deps.verification ?? null,
      webhookSender: deps.webhookSender ?? null,
    },
    maxBodyBytes: deps.maxBodyBytes,
  };
  registerS3LogDestinationRoutes(api, routeDeps);
  registerWebhookIntegrationRoutes(api, routeDeps);
  registerEventRoutes(api, {
    ...routeDeps,
    metrics: deps.metrics,
    preparer: deps.preparer ?? inlinePreparer,
    onIngest: deps.onIngest ?? (() => undefined),
  });
  registerIdentityRoutes(api, { ...routeDeps, awsPrincipalArn: deps.awsPrincipalArn });
  app.use('/v1', authenticate(deps.db));
  app.use(api);
  app.use(consoleRouter());

  app.use(notFound);
  app.use(errorRenderer(deps.log));
  return app;
}
