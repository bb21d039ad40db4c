/**
 * Proving a destination works before it is saved: write a small test object under `<key_prefix>/test/` with the
 * destination's own credentials, encryption and ACL. A role created in the same `terraform apply` can take seconds
 * to become assumable, so AccessDenied is retried, with growing pauses, for a bounded time.
 */
import { randomBytes } from 'node:crypto';
import type { ResourceConfig } from '@auditdrain/schema';
import { ApiError } from '../../errors';
import type { DeliverySettings } from '../settings';
import { RemoteFailure } from './aws-error';
import { s3TargetOf } from './destination';
import { testObjectKey } from './object-plan';
import type { S3Writer } from './s3-writer';

const RETRYABLE = new Set(['AccessDenied', 'InvalidClientTokenId']);

export async function verifyS3Destination(
  settings: DeliverySettings,
  writer: S3Writer,
  record: { id: string; tenantId: string; updatedAt: Date },
  config: ResourceConfig,
): Promise<{ bucket: string; key: string; request_id: string | null; attempts: number }> {
  const target = s3TargetOf(record, config);
  const deadline = Date.now() + settings.verifyTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    const now = new Date();
    const key = testObjectKey(typeof config.key_prefix === 'string' ? config.key_prefix : null, now, randomBytes(6).toString('hex'));
    const body = Buffer.from(
      JSON.stringify({ auditdrain: 'test object', destination_id: record.id, written_at: now.toISOString() }) + '\n',
    );
    try {
      const { requestId } = await writer.put(target, { key, body, contentType: 'application/json' });
      return { bucket: target.bucket, key, request_id: requestId, attempts: attempt };
    } catch (err) {
      if (!(err instanceof RemoteFailure)) throw err;
      const pause = Math.min(500 * 2 ** (attempt - 1), 5_000);
      if (RETRYABLE.has(err.remote.code) && Date.now() + pause < deadline) {
        writer.reset(target);
        await new Promise((resolve) => setTimeout(resolve, pause));
        continue;
      }
      throw new ApiError(
        'verification_failed',
        `could not write a test object to s3://${target.bucket}/${key}: ${err.remote.operation} answered ${err.remote.code}: ${err.remote.message}`,
        err.remote,
      );
    }
  }
}
