import type { SecretBox } from '../../crypto/secret-box';
import type { S3Writer } from '../../delivery/s3/s3-writer';
import type { DeliverySettings } from '../../delivery/settings';
import type { WebhookSender } from '../../delivery/webhook/webhook-sender';
import type { Database } from '../../store/database';
import type { Policy } from './resource-kind';

/** What resource operations need: the store, the key that seals secrets, the service's policy, and delivery. */
export interface ResourceContext {
  db: Database;
  box: SecretBox;
  policy: Policy;
  /** Verification of destinations on create and update; null skips it (AUDITDRAIN_VERIFY_DESTINATIONS=false). */
  verification: { settings: DeliverySettings; writer: S3Writer } | null;
  /** Sends `POST …/test` webhook probes; null when this process runs no delivery engine. */
  webhookSender: WebhookSender | null;
}
