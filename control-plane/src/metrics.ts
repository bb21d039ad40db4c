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
  deliveredEvents: client.Counter<'destination_type'>;
  deliveredObjects: client.Counter<'destination_type'>;
  deliveredBytes: client.Counter<'destination_type'>;
  deliveryFailures: client.Counter<'destination_type' | 'code'>;
  leaseWritesRefused: client.Counter;
  eventsPruned: client.Counter;
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
    deliveredEvents: new client.Counter({
      name: 'auditdrain_delivered_events_total',
      help: 'Events written to destinations (counted when the cursor moves past them), by destination type.',
      labelNames: ['destination_type'],
      registers: [registry],
    }),
    deliveredObjects: new client.Counter({
      name: 'auditdrain_delivered_objects_total',
      help: 'Objects (S3) or requests (webhooks) delivered, by destination type.',
      labelNames: ['destination_type'],
      registers: [registry],
    }),
    deliveredBytes: new client.Counter({
      name: 'auditdrain_delivered_bytes_total',
      help: 'Bytes delivered as sent (after compression), by destination type.',
      labelNames: ['destination_type'],
      registers: [registry],
    }),
    deliveryFailures: new client.Counter({
      name: 'auditdrain_delivery_failures_total',
      help: 'Failed delivery attempts (each is retried), by destination type and error code.',
      labelNames: ['destination_type', 'code'],
      registers: [registry],
    }),
    leaseWritesRefused: new client.Counter({
      name: 'auditdrain_delivery_lease_writes_refused_total',
      help:
        "Writes of delivery progress refused because this process's lease on the destination had passed to another " +
        'process (it was paused or cut off past the lease); the new holder redoes the work.',
      registers: [registry],
    }),
    eventsPruned: new client.Counter({
      name: 'auditdrain_events_pruned_total',
      help: 'Events deleted by retention: older than AUDITDRAIN_RETENTION_DAYS and passed by every destination.',
      registers: [registry],
    }),
  };
}
