/**
 * An S3 log destination's stored configuration, read as what the sink needs: where objects go (S3Target), what
 * they look like (S3ObjectLayout), which events they hold (EventFilter) and when a batch closes.
 */
import type { ResourceConfig } from '@auditdrain/schema';
import type { DestinationRow } from '../../domain/resources/stored-resource';
import type { EventFilter } from '../event-filter';
import { eventFilterOf } from '../event-filter';
import type { Compression, Encoding } from './encode';
import type { S3ObjectLayout } from './object-plan';
import type { S3Target } from './s3-writer';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function s3TargetOf(record: { id: string; tenantId: string; updatedAt: Date }, config: ResourceConfig): S3Target {
  return {
    destinationId: record.id,
    version: record.updatedAt.toISOString(),
    bucket: String(config.bucket_name),
    region: str(config.region),
    endpointUrl: str(config.endpoint_url),
    forcePathStyle: config.force_path_style === true,
    serverSideEncryption: str(config.server_side_encryption),
    kmsKeyId: str(config.kms_key_id),
    objectAcl: str(config.object_acl),
    credentials: {
      destinationId: record.id,
      tenantId: record.tenantId,
      roleArn: str(config.role_arn),
      accessKeyId: str(config.access_key_id),
      secretAccessKey: str(config.secret_access_key),
    },
  };
}

export function layoutOf(row: Pick<DestinationRow, 'id' | 'tenantId'>, config: ResourceConfig): S3ObjectLayout {
  return {
    id: row.id,
    tenantId: row.tenantId,
    keyPrefix: str(config.key_prefix),
    keyTemplate: String(config.key_template),
    encoding: String(config.encoding) as Encoding,
    compression: String(config.compression) as Compression,
    maxObjectEvents: maximumBatchSizeOf(config),
  };
}

function maximumBatchSizeOf(config: ResourceConfig): number {
  return typeof config.maximum_batch_size === 'number' ? config.maximum_batch_size : 5000;
}

export interface BatchRules {
  filter: EventFilter;
  /** A batch is written when it holds this many events… */
  maxEvents: number;
  /** …or when its oldest event has waited this long. */
  windowMs: number;
}

export function batchRulesOf(config: ResourceConfig): BatchRules {
  const seconds = typeof config.batch_duration_in_seconds === 'number' ? config.batch_duration_in_seconds : null;
  const minutes = typeof config.batch_duration_in_minutes === 'number' ? config.batch_duration_in_minutes : 5;
  return {
    filter: eventFilterOf(config),
    maxEvents: maximumBatchSizeOf(config),
    windowMs: (seconds ?? minutes * 60) * 1000,
  };
}
