import { DEFAULT_KEY_TEMPLATE, HIVE_KEY_TEMPLATE, parseKeyTemplate } from '@auditdrain/schema';
import { keyDirectoryOf, keyTemplateValues } from '../../../src/delivery/s3/partition';

const identity = { destinationId: 's3d_01JDQ7Z8M5X9K2P4R6T8V0W2Y4', tenantId: 'tnt_01JDQ7Z8M5X9K2P4R6T8V0W2Y4' };

test('template values are UTC, zero-padded, with the timestamp in unix milliseconds', () => {
  expect(keyTemplateValues(new Date('2026-01-02T03:04:05.006Z'), { ...identity, batchId: 'b1' })).toEqual({
    Year: '2026',
    Month: '01',
    Day: '02',
    Hour: '03',
    Minute: '04',
    Second: '05',
    Timestamp: '1767323045006',
    ID: 'b1',
    DestinationID: identity.destinationId,
    TenantID: identity.tenantId,
  });
});

test('an offset time is read in UTC', () => {
  const values = keyTemplateValues(new Date('2026-01-01T23:30:00-02:00'), { ...identity, batchId: 'b1' });
  expect([values.Year, values.Month, values.Day, values.Hour]).toEqual(['2026', '01', '02', '01']);
});

test('an invalid date is refused', () => {
  expect(() => keyTemplateValues(new Date('nope'), { ...identity, batchId: 'b1' })).toThrow(RangeError);
});

test.each([
  ['the default template: the day', DEFAULT_KEY_TEMPLATE, '2026/11/21/'],
  ['the Hive template: the day', HIVE_KEY_TEMPLATE, 'schema=audit_log/version=v1/year=2026/month=11/day=21/'],
  ['an hourly layout', '{{ .Year }}/{{ .Month }}/{{ .Day }}/{{ .Hour }}/{{ .ID }}', '2026/11/21/09/'],
  ['a template without "/"', '{{ .Timestamp }}_{{ .ID }}', ''],
  ['the batch id rendered empty', 'run={{ .ID }}/{{ .Hour }}', 'run=/'],
  [
    'the destination and tenant',
    't={{ .TenantID }}/d={{ .DestinationID }}/{{ .ID }}',
    `t=${identity.tenantId}/d=${identity.destinationId}/`,
  ],
])('the directory part of %s', (_what, template, directory) => {
  expect(keyDirectoryOf(parseKeyTemplate(template), new Date('2026-11-21T09:05:07.123Z'), identity)).toBe(directory);
});
