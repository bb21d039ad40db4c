/**
 * `POST /v1/webhook-integrations/{id}/test`: sends a sample event to the endpoint now, signed and with the
 * configured headers like any delivery, and says how the endpoint answered. Nothing is recorded and nothing is
 * retried: it is a probe for whoever is setting the receiver up.
 */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../crypto/secret-box';
import { deliveryHeaders, webhookTargetOf } from '../../delivery/webhook/integration';
import type { WebhookSender } from '../../delivery/webhook/webhook-sender';
import type { Database } from '../../store/database';
import { findResource } from '../resources/find-resource';
import { webhookIntegrationKind } from '../resources/resource-kind';
import { liveSigningSecrets } from '../resources/signing-secrets';
import { configOf } from '../resources/stored-resource';

export interface WebhookTestResult {
  ok: boolean;
  webhook_id: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export async function testWebhook(db: Database, box: SecretBox, sender: WebhookSender, tenantId: string, id: string, now = new Date()): Promise<WebhookTestResult> {
  const row = await findResource(db.client, webhookIntegrationKind, tenantId, id);
  const config = configOf(row, box);
  const event = {
    id: `evt_test_${randomBytes(8).toString('hex')}`,
    action: 'auditdrain.webhook.test',
    occurred_at: now.toISOString(),
    actor: { type: 'service', id: 'auditdrain', name: 'auditdrain' },
    targets: [{ type: 'webhook_integration', id }],
    message: 'A test delivery from auditdrain: if this arrived and verified, the integration works.',
  };
  const body = Buffer.from(JSON.stringify(event), 'utf8');
  const secrets = await liveSigningSecrets(db, box, id, config, now);
  const target = webhookTargetOf(row, config);
  const result = await sender.post(target, deliveryHeaders(target, secrets, event.id, now, body), body);
  return {
    ok: result.status !== null && result.status >= 200 && result.status < 300,
    webhook_id: event.id,
    status_code: result.status,
    latency_ms: result.latencyMs,
    error: result.error,
    response_excerpt: result.excerpt,
  };
}
