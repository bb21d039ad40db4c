/**
 * A webhook integration's stored configuration, read as what the sender needs: where to POST, with which extra
 * headers (its events are chosen by event-filter.ts).
 */
import type { ResourceConfig } from '@auditdrain/schema';
import { standardWebhookHeaders } from './signature';

export interface WebhookTarget {
  integrationId: string;
  /** Changes whenever the configuration does; cached connections are keyed by it. */
  version: string;
  url: URL;
  headers: readonly { key: string; value: string }[];
}

export function webhookTargetOf(record: { id: string; updatedAt: Date }, config: ResourceConfig): WebhookTarget {
  return {
    integrationId: record.id,
    version: record.updatedAt.toISOString(),
    url: new URL(String(config.url)),
    headers: Array.isArray(config.headers) ? (config.headers as { key: string; value: string }[]) : [],
  };
}

/** The headers of one request: the configured ones, then the Standard Webhooks ones (which they cannot replace). */
export function deliveryHeaders(target: WebhookTarget, secrets: readonly string[], eventId: string, at: Date, body: Buffer): Record<string, string> {
  return {
    ...Object.fromEntries(target.headers.map((h) => [h.key, h.value])),
    ...standardWebhookHeaders(secrets, eventId, Math.floor(at.getTime() / 1000), body),
  };
}
