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
