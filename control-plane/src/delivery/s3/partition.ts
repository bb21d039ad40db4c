/**
 * The partitioner of the S3 sink: which object an event may go into.
 *
 * An object's key is the template rendered with the values of its FIRST event (and the object's batch id). Events
 * may share an object only if their keys' directory parts (everything up to the last `/`) are equal, so an hour- or
 * day-partitioned layout holds only that hour's or day's events. Time variables in the file-name part (the default
 * template's `{{ .Hour }}_{{ .Minute }}_{{ .Second }}`) name the object after its first event and do not split.
 */
import type { KeyTemplateValues, ParsedKeyTemplate } from '@auditdrain/schema';
import { renderKeyTemplate } from '@auditdrain/schema';

/** What a key may name besides the event's time; constant for one destination, except the per-object batch id. */
export interface KeyIdentity {
  destinationId: string;
  tenantId: string;
  batchId: string;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The template values for an event that occurred at `occurredAt`: UTC, zero-padded; `.Timestamp` in unix ms. */
export function keyTemplateValues(occurredAt: Date, identity: KeyIdentity): KeyTemplateValues {
  const ms = occurredAt.getTime();
  if (Number.isNaN(ms)) throw new RangeError('occurredAt is not a valid date');
  return {
    Year: pad(occurredAt.getUTCFullYear(), 4),
    Month: pad(occurredAt.getUTCMonth() + 1, 2),
    Day: pad(occurredAt.getUTCDate(), 2),
    Hour: pad(occurredAt.getUTCHours(), 2),
    Minute: pad(occurredAt.getUTCMinutes(), 2),
    Second: pad(occurredAt.getUTCSeconds(), 2),
    Timestamp: String(ms),
    ID: identity.batchId,
    DestinationID: identity.destinationId,
    TenantID: identity.tenantId,
  };
}

/**
 * The directory part of the key an event would get, including the trailing `/` ('' when the key has none).
 *
 * The batch id is not known until the object's events are, so it is rendered empty here. That cannot hide a real
 * difference: every event of one object shares its id, so an `.ID` in the directory never separates them.
 * Variables never render to `/`, so the last `/` of the key is always one written in the template.
 */
export function keyDirectoryOf(
  template: ParsedKeyTemplate,
  occurredAt: Date,
  identity: Omit<KeyIdentity, 'batchId'>,
): string {
  const key = renderKeyTemplate(template, keyTemplateValues(occurredAt, { ...identity, batchId: '' }));
  return key.slice(0, key.lastIndexOf('/') + 1);
}
