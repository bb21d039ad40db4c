/**
 * The OpenAPI 3.1 document: valid as a whole, every reference resolving, and its JSON Schemas saying what the
 * zod validators enforce.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Field } from '../src';
import { RESOURCES, fieldSchema, openApiDocument, pascalCase, secretFieldNames, writableFields } from '../src';
import type { Doc, FieldAt } from './fixtures';
import { ALL_FIELDS, PATTERN_SAMPLES, TARGETS, isSetItem, withValue } from './fixtures';

const DOC = openApiDocument('0.0.0');
const SCHEMAS = (DOC.components as { schemas: Record<string, Doc> }).schemas;

/**
 * @seriousme/openapi-schema-validator is ESM only and jest loads modules as CommonJS, so the validator runs in a
 * child node process that reads the document on stdin and prints its verdict.
 */
function validateOpenApi(doc: unknown): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(text))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(__dirname, '..'),
    input: JSON.stringify(doc),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { valid: boolean; errors?: unknown };
}

/** Every value in a JSON tree, with its JSON pointer. */
function* walk(node: unknown, pointer = ''): Generator<[string, unknown]> {
  yield [pointer, node];
  if (typeof node !== 'object' || node === null) return;
  for (const [key, child] of Object.entries(node)) {
    yield* walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Doc)[key] : undefined), doc);
}

/** The JSON Schema a field path leads to inside a component (names go to properties, indices to items). */
function schemaAt(component: Doc, path: readonly (string | number)[]): { node?: Doc; parent?: Doc } {
  let parent: Doc | undefined;
  let node: Doc | undefined = component;
  for (const segment of path) {
    if (node === undefined) return {};
    if (typeof segment === 'number') node = node.items as Doc | undefined;
    else {
      parent = node;
      node = (node.properties as Record<string, Doc> | undefined)?.[segment];
    }
  }
  return { node, parent };
}

const typesOf = (node: Doc) => [node.type].flat();
const byTarget = (at: FieldAt) => ({ title: `${at.target.component} ${at.where}`, at });

describe('the document', () => {
  test('is valid OpenAPI 3.1', () => {
    const result = validateOpenApi(DOC);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(DOC.openapi).toBe('3.1.0');
    expect(DOC.info).toMatchObject({ title: 'auditdrain', version: '0.0.0' });
  });

  test('the validator does refuse a broken document', () => {
    const broken = { ...DOC, paths: { '/v1/events': { post: { responses: 'none' } } } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  test('every $ref resolves', () => {
    const refs = [...walk(DOC)].filter(([pointer]) => pointer.endsWith('/$ref'));
    expect(refs.length).toBeGreaterThan(20);
    for (const [pointer, ref] of refs) {
      expect([pointer, resolvePointer(DOC, ref as string)]).toEqual([pointer, expect.any(Object)]);
    }
  });

  test('every component schema is referenced', () => {
    const referenced = new Set([...walk(DOC)].filter(([p]) => p.endsWith('/$ref')).map(([, ref]) => ref));
    for (const name of Object.keys(SCHEMAS)) expect(referenced).toContain(`#/components/schemas/${name}`);
  });

  test('operation ids are unique', () => {
    const ids = [...walk(DOC.paths)].filter(([p]) => p.endsWith('/operationId')).map(([, id]) => id);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(RESOURCES.map((spec) => ({ title: spec.name, spec })))('$title: has its collection and item paths', ({ spec }) => {
    const paths = DOC.paths as Record<string, Doc>;
    expect(Object.keys(paths[spec.collectionPath] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths[`${spec.collectionPath}/{id}`] ?? {})).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
  });
});

describe('resource components', () => {
  const specs = RESOURCES.map((spec) => ({ title: spec.name, spec, T: pascalCase(spec.name) }));
  const props = (name: string) => Object.keys((SCHEMAS[name]?.properties ?? {}) as Doc);

  test.each(specs)('$title: has Create, Update, out and List components', ({ T }) => {
    for (const name of [T, `${T}Create`, `${T}Update`, `${T}List`]) expect(SCHEMAS[name]).toEqual(expect.any(Object));
    expect(SCHEMAS[`${T}List`]).toMatchObject({ properties: { data: { items: { $ref: `#/components/schemas/${T}` } } } });
  });

  test.each(specs)('$title: Create requires exactly the required fields', ({ spec, T }) => {
    const required = writableFields(spec).filter(([, f]) => f.presence === 'required').map(([n]) => n);
    expect(SCHEMAS[`${T}Create`]?.required).toEqual(required);
  });

  test.each(specs)('$title: Update requires nothing', ({ T }) => {
    expect(SCHEMAS[`${T}Update`]?.required).toBeUndefined();
  });

  test.each(specs)('$title: Create and Update hold exactly the writable fields', ({ spec, T }) => {
    const writable = writableFields(spec).map(([n]) => n);
    expect(props(`${T}Create`)).toEqual(writable);
    expect(props(`${T}Update`)).toEqual(writable);
  });

  test.each(specs)('$title: the out schema has every field but the secrets, all required', ({ spec, T }) => {
    const secrets = secretFieldNames(spec);
    const expected = Object.keys(spec.fields).filter((n) => !secrets.includes(n));
    expect(props(T)).toEqual(expected);
    expect(SCHEMAS[T]?.required).toEqual(expected);
    for (const name of secrets) expect(props(T)).not.toContain(name);
  });

  test.each(specs)('$title: computed fields are readOnly in the out schema', ({ spec, T }) => {
    const properties = SCHEMAS[T]?.properties as Record<string, Doc>;
    for (const [name, field] of Object.entries(spec.fields)) {
      if (field.presence === 'computed' && !field.secret) expect([name, properties[name]?.readOnly]).toEqual([name, true]);
    }
  });

  test('S3LogDestination: secret_access_key is writeOnly', () => {
    for (const c of ['S3LogDestinationCreate', 'S3LogDestinationUpdate']) {
      expect(SCHEMAS[c]).toMatchObject({ properties: { secret_access_key: { writeOnly: true } } });
    }
  });

  test('header values are writeOnly in requests and absent from reads', () => {
    for (const c of ['WebhookIntegrationCreate', 'WebhookIntegrationUpdate']) {
      expect(schemaAt(SCHEMAS[c] as Doc, ['headers', 0, 'value']).node).toMatchObject({ writeOnly: true });
    }
    const item = schemaAt(SCHEMAS.WebhookIntegration as Doc, ['headers', 0]).node as Doc;
    expect(Object.keys(item.properties as Doc)).toEqual(['key']);
    expect(item.required).toEqual(['key']);
  });

  test('an S3 log destination has its test delivery, under its own tag', () => {
    const paths = DOC.paths as Record<string, Doc>;
    expect(paths['/v1/s3-log-destinations/{id}/test']).toMatchObject({
      parameters: [{ name: 'id', in: 'path', required: true }],
      post: {
        operationId: 'test_s3_log_destination',
        tags: ['S3LogDestination'],
        responses: {
          '200': { content: { 'application/json': { schema: { required: ['ok', 'bucket', 'key', 'request_id', 'attempts'] } } } },
          '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '422': expect.any(Object),
          '503': expect.any(Object),
        },
      },
    });
  });

  test('the signing secret is served only by its own endpoint', () => {
    expect(props('WebhookIntegration')).not.toContain('signing_secret');
    const paths = DOC.paths as Record<string, Doc>;
    expect(paths['/v1/webhook-integrations/{id}/signing-secret']).toMatchObject({
      get: { responses: { '200': { content: { 'application/json': { schema: { required: ['signing_secret'] } } } } } },
    });
  });
});

describe('JSON Schema and zod agree', () => {
  const componentOf = (at: FieldAt) => SCHEMAS[at.target.component] as Doc;
  const attributes = ALL_FIELDS.filter((at) => !isSetItem(at));

  test('every target has its component', () => {
    for (const target of TARGETS) expect([target.component, SCHEMAS[target.component]]).toEqual([target.component, expect.any(Object)]);
  });

  test.each(attributes.map(byTarget))('$title is described', ({ at }) => {
    expect(schemaAt(componentOf(at), at.path).node).toEqual(expect.objectContaining({ description: expect.any(String) }));
  });

  test.each(attributes.map(byTarget))('$title: required in JSON Schema exactly when zod requires it', ({ at }) => {
    const { parent } = schemaAt(componentOf(at), at.path);
    const name = at.path[at.path.length - 1] as string;
    const zodRequires = at.target.validate(withValue(at.target.base, at.path, undefined)).length > 0;
    expect((parent?.required as string[] | undefined)?.includes(name) ?? false).toBe(zodRequires);
  });

  test.each(attributes.map(byTarget))('$title: nullable in JSON Schema exactly when zod accepts null', ({ at }) => {
    const { node } = schemaAt(componentOf(at), at.path);
    const zodAcceptsNull = at.target.validate(withValue(at.target.base, at.path, null)).length === 0;
    expect(typesOf(node as Doc).includes('null')).toBe(zodAcceptsNull);
  });

  test.each(ALL_FIELDS.map(byTarget))('$title: carries the limits of the spec', ({ at }) => {
    const node = schemaAt(componentOf(at), at.path).node as Doc;
    const field: Field = at.field;
    const expected: Doc = {};
    for (const key of ['minLength', 'maxLength', 'minimum', 'maximum', 'maxItems', 'format'] as const) {
      if (key in field) expected[key] = (field as unknown as Doc)[key];
    }
    if ('pattern' in field && field.pattern) expected.pattern = field.pattern.regex.source;
    if ('enum' in field && field.enum) expected.enum = expect.arrayContaining([...field.enum]);
    expect(node).toMatchObject(expected);
  });

  test('every pattern in the document compiles as a unicode regular expression', () => {
    const patterns = [...walk(DOC)].filter(([p, v]) => p.endsWith('/pattern') && typeof v === 'string');
    expect(patterns.length).toBeGreaterThan(10);
    for (const [, pattern] of patterns) expect(() => new RegExp(pattern as string, 'u')).not.toThrow();
  });

  const patternCases = ALL_FIELDS.filter((at) => 'pattern' in at.field && at.field.pattern).flatMap((at) => {
    const samples = PATTERN_SAMPLES[at.name] ?? { accept: [], refuse: [] };
    return [
      ...samples.accept.map((value) => ({ title: `${at.target.component} ${at.where} accepts ${JSON.stringify(value)}`, at, value, ok: true })),
      ...samples.refuse.map((value) => ({ title: `${at.target.component} ${at.where} refuses ${JSON.stringify(value)}`, at, value, ok: false })),
    ];
  });

  test.each(patternCases)('$title in both', ({ at, value, ok }) => {
    const pattern = (schemaAt(componentOf(at), at.path).node as Doc).pattern as string;
    expect(new RegExp(pattern, 'u').test(value)).toBe(ok);
    expect(fieldSchema(at.field).safeParse(value).success).toBe(ok);
  });
});
