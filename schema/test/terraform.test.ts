/**
 * The provider's Terraform schema, in the shape `terraform providers schema -json` prints.
 */
import type { Field, Fields, TerraformAttribute } from '../src';
import {
  PROVIDER_SOURCE,
  RESOURCES,
  defaultOf,
  identity,
  providersSchemaJson,
  s3LogDestination,
  terraformTypeName,
  webhookIntegration,
} from '../src';

const SCHEMA = providersSchemaJson();
const PROVIDER = SCHEMA.provider_schemas[PROVIDER_SOURCE];
const RESOURCE_SCHEMAS = PROVIDER?.resource_schemas ?? {};
const DATA_SOURCE_SCHEMAS = PROVIDER?.data_source_schemas ?? {};

const attributesOf = (typeName: string) =>
  (RESOURCE_SCHEMAS[typeName] ?? DATA_SOURCE_SCHEMAS[typeName])?.block.attributes ?? {};

/** Every field of a block, nested attributes included, paired with its Terraform attribute. */
function pairs(fields: Fields, attributes: Record<string, TerraformAttribute>, prefix = ''): [string, Field, TerraformAttribute | undefined][] {
  return Object.entries(fields)
    .filter(([, f]) => !f.apiOnly)
    .flatMap(([name, field]) => {
      const attr = attributes[name];
      const own: [string, Field, TerraformAttribute | undefined] = [`${prefix}${name}`, field, attr];
      if (field.type !== 'object' && field.type !== 'object_list') return [own];
      return [own, ...pairs(field.attributes, attr?.nested_type?.attributes ?? {}, `${prefix}${name}.`)];
    });
}

const BLOCKS = [...RESOURCES, identity].map((spec) => ({ typeName: terraformTypeName(spec), spec }));
const ATTRIBUTES = BLOCKS.flatMap(({ typeName, spec }) =>
  pairs(spec.fields, attributesOf(typeName)).map(([path, field, attr]) => ({ title: `${typeName}.${path}`, field, attr })),
);

/** The flags the rule gives a field: required stays required, computed stays computed, a default makes it computed. */
function expectedFlags(field: Field): Partial<Pick<TerraformAttribute, 'required' | 'optional' | 'computed'>> {
  if (field.presence === 'required') return { required: true };
  if (field.presence === 'computed') return { computed: true };
  return defaultOf(field) === undefined ? { optional: true } : { optional: true, computed: true };
}

const flagsOf = (attr: TerraformAttribute | undefined) => ({
  ...(attr?.required && { required: true }),
  ...(attr?.optional && { optional: true }),
  ...(attr?.computed && { computed: true }),
});

describe('the document', () => {
  test('has the format version and the provider source', () => {
    expect(SCHEMA.format_version).toBe('1.0');
    expect(Object.keys(SCHEMA.provider_schemas)).toEqual(['registry.terraform.io/auditdrain/auditdrain']);
  });

  test('has both resources and the identity data source', () => {
    expect(Object.keys(RESOURCE_SCHEMAS).sort()).toEqual(['auditdrain_s3_log_destination', 'auditdrain_webhook_integration']);
    expect(Object.keys(DATA_SOURCE_SCHEMAS)).toEqual(['auditdrain_identity']);
  });

  test('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(SCHEMA))).toEqual(SCHEMA);
  });

  test('the provider is configured by endpoint and a sensitive api_key, both optional', () => {
    expect(PROVIDER?.provider.block.attributes).toEqual({
      endpoint: expect.objectContaining({ type: 'string', optional: true }),
      api_key: expect.objectContaining({ type: 'string', optional: true, sensitive: true }),
    });
    expect(PROVIDER?.provider.block.attributes.endpoint?.sensitive).toBeUndefined();
  });

  test.each(BLOCKS.map((b) => ({ title: b.typeName, ...b })))('$title: has every field but the API-only ones', ({ typeName, spec }) => {
    expect(Object.keys(attributesOf(typeName))).toEqual(
      Object.entries(spec.fields)
        .filter(([, f]) => !f.apiOnly)
        .flatMap(([n, f]) => (f.writeOnlyVariant ? [n, `${n}_wo`, `${n}_wo_version`] : [n])),
    );
    expect(RESOURCE_SCHEMAS[typeName]?.block.description ?? DATA_SOURCE_SCHEMAS[typeName]?.block.description).toBe(spec.description);
  });

  test('secret_access_key also comes write-only, with a version that resends it', () => {
    const attributes = attributesOf(terraformTypeName(s3LogDestination));
    expect(attributes.secret_access_key_wo).toEqual(
      expect.objectContaining({ type: 'string', optional: true, sensitive: true, write_only: true }),
    );
    expect(attributes.secret_access_key_wo).not.toHaveProperty('computed');
    expect(attributes.secret_access_key_wo_version).toEqual(expect.objectContaining({ type: 'number', optional: true }));
    expect(attributes.secret_access_key_wo_version).not.toHaveProperty('write_only');
    expect(attributes.secret_access_key).not.toHaveProperty('write_only');
  });

  test.each(RESOURCES.map((spec) => ({ title: terraformTypeName(spec) })))('$title: updated_at is API-only and absent', ({ title }) => {
    expect(attributesOf(title)).not.toHaveProperty('updated_at');
    expect(attributesOf(title)).toHaveProperty('created_at');
  });
});

describe('attributes', () => {
  test('every attribute is found', () => {
    expect(ATTRIBUTES.length).toBeGreaterThan(30);
  });

  test.each(ATTRIBUTES)('$title: flags follow the presence rule', ({ field, attr }) => {
    expect(flagsOf(attr)).toEqual(expectedFlags(field));
  });

  test.each(ATTRIBUTES)('$title: is described in markdown', ({ field, attr }) => {
    expect(attr).toMatchObject({ description: field.description, description_kind: 'markdown' });
  });

  test.each(ATTRIBUTES)('$title: sensitive exactly when the field is sensitive or secret', ({ field, attr }) => {
    expect(attr?.sensitive ?? false).toBe(Boolean(field.sensitive || field.secret));
  });

  test.each([
    ['auditdrain_s3_log_destination.name', { required: true }],
    ['auditdrain_s3_log_destination.id', { computed: true }],
    ['auditdrain_s3_log_destination.external_id', { computed: true }],
    ['auditdrain_s3_log_destination.key_template', { optional: true, computed: true }],
    ['auditdrain_s3_log_destination.maximum_batch_size', { optional: true, computed: true }],
    ['auditdrain_s3_log_destination.region', { optional: true }],
    ['auditdrain_webhook_integration.headers', { optional: true }],
    ['auditdrain_webhook_integration.headers.key', { required: true }],
    ['auditdrain_webhook_integration.signing_secret', { computed: true }],
    ['auditdrain_identity.tenant_id', { computed: true }],
  ])('%s is %j', (title, flags) => {
    expect(flagsOf(ATTRIBUTES.find((a) => a.title === title)?.attr)).toEqual(flags);
  });

  test.each([
    ['auditdrain_s3_log_destination.secret_access_key'],
    ['auditdrain_webhook_integration.headers.value'],
    ['auditdrain_webhook_integration.signing_secret'],
  ])('%s is sensitive', (title) => {
    expect(ATTRIBUTES.find((a) => a.title === title)?.attr?.sensitive).toBe(true);
  });

  test('headers are a nested list of key and sensitive value', () => {
    expect(attributesOf(terraformTypeName(webhookIntegration)).headers).toMatchObject({
      optional: true,
      nested_type: {
        nesting_mode: 'list',
        attributes: { key: { type: 'string', required: true }, value: { type: 'string', required: true, sensitive: true } },
      },
    });
    expect(attributesOf(terraformTypeName(webhookIntegration)).headers).not.toHaveProperty('type');
  });

  test.each([
    ['string', 'string'],
    ['integer', 'number'],
    ['boolean', 'bool'],
    ['string_set', ['set', 'string']],
  ])('a %s field has Terraform type %j', (type, terraformType) => {
    const matching = ATTRIBUTES.filter((a) => a.field.type === type);
    expect(matching.length).toBeGreaterThan(0);
    for (const { attr } of matching) expect(attr?.type).toEqual(terraformType);
  });

  test.each([
    ['bucket_name', 'string'],
    ['batch_duration_in_minutes', 'number'],
    ['force_path_style', 'bool'],
    ['filter_for_actions', ['set', 'string']],
  ])('auditdrain_s3_log_destination.%s has type %j', (name, type) => {
    expect(attributesOf(terraformTypeName(s3LogDestination))[name]?.type).toEqual(type);
  });
});
