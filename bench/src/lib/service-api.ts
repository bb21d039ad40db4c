/**
 * The few calls the delivery benchmarks make to the running service besides the load: create and delete
 * destinations, read the delivery counter from /metrics, and send one batch of events.
 */
import type { ChildService } from './service';

async function call(service: ChildService, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${service.adminKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 2000)}`);
  return text === '' ? null : JSON.parse(text);
}

export async function createDestination(service: ChildService, config: Record<string, unknown>, collection = '/v1/s3-log-destinations'): Promise<string> {
  const created = (await call(service, 'POST', collection, config)) as { id: string };
  return created.id;
}

export async function deleteDestination(service: ChildService, id: string): Promise<void> {
  await call(service, 'DELETE', `/v1/s3-log-destinations/${id}`);
}

/** POSTs a JSON array of events (as text) and returns how many the service accepted. */
export async function sendEvents(service: ChildService, body: string): Promise<number> {
  const out = (await call(service, 'POST', '/v1/events', body)) as { accepted: number };
  return out.accepted;
}

/** `auditdrain_delivered_events_total` for one destination type: events the service has delivered. */
export async function deliveredEvents(service: ChildService, type = 's3_log_destination'): Promise<number> {
  const res = await fetch(`${service.url}/metrics`);
  const text = await res.text();
  const match = new RegExp(`^auditdrain_delivered_events_total\\{destination_type="${type}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}
