/**
 * Unauthenticated operational endpoints: liveness, readiness (the database answers and the service is not
 * shutting down), Prometheus metrics, and the OpenAPI document.
 */
import type { Router } from 'express';
import { openApiDocument } from '@auditdrain/schema';
import type { Database } from '../../store/database';
import { VERSION } from '../../version';
import type { Metrics } from '../../metrics';

export interface Lifecycle {
  /** False once shutdown has begun: load balancers should stop sending traffic. */
  accepting: boolean;
}

export function registerOperationRoutes(router: Router, deps: { db: Database; metrics: Metrics; lifecycle: Lifecycle }): void {
  const openapi = JSON.stringify(openApiDocument(VERSION));

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: VERSION });
  });

  router.get('/readyz', async (_req, res) => {
    if (!deps.lifecycle.accepting) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await deps.db.client.$queryRawUnsafe('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database_unavailable' });
    }
  });

  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  router.get('/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(openapi);
  });
}
