import type { DeliverySettings } from '../../src/delivery/settings';

/**
 * Delivery settings for tests without S3 (no STS, no verification), with short webhook timeouts and retries, loopback
 * receivers allowed; `overrides` changes what a test needs (s3-fixture.ts: the S3 server's STS and verification).
 */
export function testDeliverySettings(overrides: Partial<DeliverySettings> = {}): DeliverySettings {
  return {
    awsRegion: 'us-east-1',
    stsEndpoint: null,
    serviceCredentials: null,
    verify: false,
    verifyTimeoutMs: 0,
    requestTimeoutMs: 3_000,
    pollMs: 50,
    concurrency: 8,
    leaseMs: 30_000,
    webhookTimeoutMs: 1_000,
    webhookConcurrency: 8,
    webhookRetryDelaysMs: [100, 200, 300],
    allowPrivateNetwork: true,
    faultInjection: null,
    ...overrides,
  };
}

/**
 * Delivery settings for a service writing to the S3 gateway at `endpoint` as `service` (its own identity, assuming
 * customers' roles through the gateway's STS), verifying destinations on save; webhooks to public addresses only.
 */
export function s3DeliverySettings(
  endpoint: string,
  service: { accessKeyId: string; secretAccessKey: string },
  overrides: Partial<DeliverySettings> = {},
): DeliverySettings {
  return testDeliverySettings({
    awsRegion: 'default',
    stsEndpoint: endpoint,
    serviceCredentials: { accessKeyId: service.accessKeyId, secretAccessKey: service.secretAccessKey },
    verify: true,
    verifyTimeoutMs: 2_000,
    webhookTimeoutMs: 15_000,
    webhookRetryDelaysMs: [],
    allowPrivateNetwork: false,
    ...overrides,
  });
}
