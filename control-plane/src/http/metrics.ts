/**
 * Prometheus metrics, one registry per service instance.
 */
import client from 'prom-client';

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'method' | 'route' | 'status'>;
  httpDuration: client.Histogram<'method' | 'route'>;
  eventsIngested: client.Counter<'kind'>;
  eventsDuplicate: client.Counter;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'auditdrain_' });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'auditdrain_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'auditdrain_http_request_duration_seconds',
      help: 'Time to answer HTTP requests.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsIngested: new client.Counter({
      name: 'auditdrain_events_ingested_total',
      help: 'Events appended to the log, by kind.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    eventsDuplicate: new client.Counter({
      name: 'auditdrain_events_duplicate_total',
      help: 'Events received whose id was already in the log.',
      registers: [registry],
    }),
  };
}
