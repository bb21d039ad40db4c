/**
 * The provider's RPCs through the real gRPC stack, in process: the protocol definitions the plugin serves, the
 * provider implementation, a Unix socket, and a grpc-js client speaking the same definitions. Answers carry
 * diagnostics, never gRPC errors, and the protocol's RPCs the provider leaves out answer UNIMPLEMENTED.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Log } from '../../src/log';
import { loadProtocol } from '../../src/plugin/protocol-definitions';
import type { AttributeMessage, SchemaMessage } from '../../src/protocol/schema';
import { createProvider } from '../../src/provider';
import { s3LogDestinationResource, webhookIntegrationResource } from '../../src/resources';
import { decodeValue, encodeValue } from '../../src/values/msgpack';
import type { ObjectValue } from '../../src/values/value';
import { UNKNOWN } from '../../src/values/value';
import { S3_STATE, s3Config } from './fixtures';

interface Step {
  attribute_name?: string;
  element_key_int?: number;
  element_key_string?: string;
  selector?: string;
}
/** A diagnostic as the client decodes it (with the name of the attribute path's selected oneof). */
interface Diagnostic {
  severity: string;
  summary: string;
  detail: string;
  attribute: { steps: Step[] } | null;
}
type Answer = Record<string, unknown> & { diagnostics: Diagnostic[] };
type UnaryMethod = (request: object, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, answer: Answer) => void) => void;

const S3 = 'auditdrain_s3_log_destination';
const WEBHOOK = 'auditdrain_webhook_integration';
const IDENTITY = 'auditdrain_identity';

const s3Type = s3LogDestinationResource.model.type;

const directory = mkdtempSync(join(tmpdir(), 'auditdrain-grpc-'));
const address = `unix://${join(directory, 'plugin.sock')}`;
const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const log: Log = {
  debug: (message, fields) => logged.push({ level: 'debug', message, fields }),
  warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
  error: (message, fields) => logged.push({ level: 'error', message, fields }),
};

const definitions = loadProtocol();
const server = new grpc.Server();
const ProviderClient = grpc.makeGenericClientConstructor(definitions.provider, 'Provider');
let client: grpc.Client;

beforeAll(async () => {
  server.addService(definitions.provider, createProvider(log, {}));
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  client = new ProviderClient(address, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  rmSync(directory, { recursive: true, force: true });
});

function call(method: string, request: object): Promise<Answer> {
  const fn = (client as unknown as Record<string, UnaryMethod>)[method];
  if (!fn) throw new Error(`the client has no method ${method}`);
  return new Promise((resolve, reject) =>
    fn.call(client, request, { deadline: Date.now() + 10_000 }, (err, answer) => (err ? reject(err) : resolve(answer))),
  );
}

const dynamic = (value: ObjectValue | null) => ({ msgpack: encodeValue(value, s3Type) });

describe('GetProviderSchema', () => {
  let answer: Answer;
  let resources: Record<string, SchemaMessage>;

  beforeAll(async () => {
    answer = await call('GetProviderSchema', {});
    resources = answer.resource_schemas as Record<string, SchemaMessage>;
  });

  const attribute = (schema: SchemaMessage | undefined, name: string): AttributeMessage => {
    const found = schema?.block.attributes.find((a) => a.name === name);
    if (!found) throw new Error(`no attribute ${name}`);
    return found;
  };

  test('answers without diagnostics, saying the schema may be cached', () => {
    expect(answer.diagnostics).toEqual([]);
    expect(answer.server_capabilities).toEqual({ plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false });
  });

  test('both resources and the identity data source', () => {
    expect(Object.keys(resources).sort()).toEqual([S3, WEBHOOK]);
    expect(Object.keys(answer.data_source_schemas as object)).toEqual([IDENTITY]);
  });

  test('the provider block has endpoint and a sensitive api_key', () => {
    const provider = answer.provider as SchemaMessage;
    expect(provider.block.attributes.map((a) => a.name)).toEqual(['endpoint', 'api_key']);
    expect(attribute(provider, 'api_key')).toMatchObject({ optional: true, sensitive: true });
  });

  test('attribute types are JSON bytes', () => {
    expect(attribute(resources[S3], 'name').type.toString('utf8')).toBe('"string"');
    expect(attribute(resources[S3], 'batch_duration_in_minutes').type.toString('utf8')).toBe('"number"');
    expect(attribute(resources[S3], 'enabled').type.toString('utf8')).toBe('"bool"');
    expect(JSON.parse(attribute(resources[S3], 'filter_for_actions').type.toString('utf8'))).toEqual(['set', 'string']);
    expect(attribute(resources[S3], 'filter_for_actions').type.toString('utf8')).toBe('["set","string"]');
  });

  test('presence: required, optional with a default (also computed), server-computed', () => {
    expect(attribute(resources[S3], 'name')).toMatchObject({ required: true, optional: false, computed: false });
    expect(attribute(resources[S3], 'encoding')).toMatchObject({ required: false, optional: true, computed: true });
    expect(attribute(resources[S3], 'region')).toMatchObject({ required: false, optional: true, computed: false });
    expect(attribute(resources[S3], 'id')).toMatchObject({ required: false, optional: false, computed: true });
  });

  test('headers are a nested LIST of key and sensitive value, with no type of their own', () => {
    const headers = attribute(resources[WEBHOOK], 'headers');
    expect(headers.type.length).toBe(0);
    expect(headers.nested_type?.nesting).toBe('LIST');
    expect(headers.nested_type?.attributes.map((a) => [a.name, a.type.toString('utf8'), a.required, a.sensitive])).toEqual([
      ['key', '"string"', true, false],
      ['value', '"string"', true, true],
    ]);
  });

  test('secret_access_key_wo is write-only and sensitive; its version is a plain number; secret_access_key is not write-only', () => {
    expect(attribute(resources[S3], 'secret_access_key_wo')).toMatchObject({ write_only: true, sensitive: true, optional: true });
    expect(attribute(resources[S3], 'secret_access_key_wo_version')).toMatchObject({ write_only: false, sensitive: false, optional: true });
    expect(attribute(resources[S3], 'secret_access_key_wo_version').type.toString('utf8')).toBe('"number"');
    expect(attribute(resources[S3], 'secret_access_key')).toMatchObject({ write_only: false, sensitive: true });
  });

  test('health and updated_at are not in the Terraform schema', () => {
    const names = resources[WEBHOOK]!.block.attributes.map((a) => a.name);
    expect(names).not.toContain('health');
    expect(names).not.toContain('updated_at');
    expect(names).toContain('signing_secret');
  });
});

test('GetMetadata lists the resources and the data source', async () => {
  const answer = await call('GetMetadata', {});
  expect(answer.diagnostics).toEqual([]);
  expect(answer.resources).toEqual([{ type_name: S3 }, { type_name: WEBHOOK }]);
  expect(answer.data_sources).toEqual([{ type_name: IDENTITY }]);
});

describe('ValidateResourceConfig', () => {
  test('batch_duration_in_minutes 99 is an ERROR diagnostic at that attribute', async () => {
    const answer = await call('ValidateResourceConfig', { type_name: S3, config: dynamic(s3Config({ batch_duration_in_minutes: 99 })) });
    expect(answer.diagnostics).toHaveLength(1);
    const [diagnostic] = answer.diagnostics;
    expect(diagnostic).toMatchObject({
      severity: 'ERROR',
      summary: 'Invalid configuration',
      detail: 'batch_duration_in_minutes must be at most 60',
    });
    expect(diagnostic!.attribute?.steps).toHaveLength(1);
    expect(diagnostic!.attribute?.steps[0]).toMatchObject({ selector: 'attribute_name', attribute_name: 'batch_duration_in_minutes' });
  });

  test('a valid configuration has no diagnostics', async () => {
    const answer = await call('ValidateResourceConfig', { type_name: S3, config: dynamic(s3Config({})) });
    expect(answer.diagnostics).toEqual([]);
  });

  test('a nested problem points through the list index', async () => {
    const type = webhookIntegrationResource.model.type;
    const config = {
      ...Object.fromEntries(Object.keys(type.attributes).map((name) => [name, null])),
      name: 'siem',
      url: 'https://siem.example.com/hook',
      headers: [
        { key: 'A', value: '1' },
        { key: 'Webhook-Signature', value: '2' },
      ],
    };
    const answer = await call('ValidateResourceConfig', { type_name: WEBHOOK, config: { msgpack: encodeValue(config, type) } });
    expect(answer.diagnostics).toHaveLength(1);
    expect(answer.diagnostics[0]!.attribute?.steps).toEqual([
      expect.objectContaining({ selector: 'attribute_name', attribute_name: 'headers' }),
      expect.objectContaining({ selector: 'element_key_int', element_key_int: 1 }),
      expect.objectContaining({ selector: 'attribute_name', attribute_name: 'key' }),
    ]);
  });

  test('an unknown resource type is a diagnostic, not a gRPC error', async () => {
    const answer = await call('ValidateResourceConfig', { type_name: 'auditdrain_nothing', config: dynamic(s3Config({})) });
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({ severity: 'ERROR', summary: 'Unknown resource type auditdrain_nothing' }),
    ]);
  });

  test('msgpack of the wrong shape is an error diagnostic naming the attribute, not a gRPC error', async () => {
    const wrong = encodeValue({ name: 7 }, { kind: 'object', attributes: { name: { kind: 'number' } } });
    const failuresBefore = logged.filter((l) => l.level === 'error').length;
    const answer = await call('ValidateResourceConfig', { type_name: S3, config: { msgpack: wrong } });
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({ severity: 'ERROR', summary: 'Internal error in the auditdrain provider', detail: 'name: expected a string' }),
    ]);
    expect(logged.filter((l) => l.level === 'error')).toHaveLength(failuresBefore + 1);
  });
});

describe('PlanResourceChange', () => {
  test('a create plans the configured and default values, with an unknown id', async () => {
    const config = s3Config({ region: 'eu-west-1' });
    const answer = await call('PlanResourceChange', {
      type_name: S3,
      prior_state: null,
      proposed_new_state: dynamic(config),
      config: dynamic(config),
    });
    expect(answer.diagnostics).toEqual([]);
    const planned = decodeValue((answer.planned_state as { msgpack: Buffer }).msgpack, s3Type);
    expect(planned).toEqual({ ...S3_STATE, region: 'eu-west-1', id: UNKNOWN, external_id: UNKNOWN, created_at: UNKNOWN });
    expect(answer.requires_replace).toEqual([]);
  });

  test('the unknown id goes out as the msgpack extension d4 00 00', async () => {
    const config = s3Config({});
    const answer = await call('PlanResourceChange', { type_name: S3, proposed_new_state: dynamic(config), config: dynamic(config) });
    const bytes = (answer.planned_state as { msgpack: Buffer }).msgpack;
    // fixstr "id" followed by the unknown extension
    expect(bytes.toString('hex')).toContain('a26964d40000');
  });

  test('a destroy plans null', async () => {
    const answer = await call('PlanResourceChange', {
      type_name: S3,
      prior_state: dynamic(s3Config({ id: 's3d_1' })),
      config: { msgpack: Buffer.alloc(0) },
    });
    expect(answer.diagnostics).toEqual([]);
    expect(decodeValue((answer.planned_state as { msgpack: Buffer }).msgpack, s3Type)).toBeNull();
  });

  test('a configuration the API would refuse is an ERROR diagnostic at the attribute', async () => {
    const config = s3Config({ kms_key_id: 'alias/audit' });
    const answer = await call('PlanResourceChange', { type_name: S3, proposed_new_state: dynamic(config), config: dynamic(config) });
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        attribute: { steps: [expect.objectContaining({ attribute_name: 'kms_key_id' })] },
      }),
    ]);
  });
});

describe('before ConfigureProvider', () => {
  test('ReadResource answers an error diagnostic and gives the current state back', async () => {
    const state = dynamic(s3Config({ id: 's3d_1' }));
    const answer = await call('ReadResource', { type_name: S3, current_state: state });
    expect(answer.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', summary: 'The auditdrain provider is not configured' })]);
    expect((answer.new_state as { msgpack: Buffer }).msgpack.equals(state.msgpack)).toBe(true);
  });

  test('ReadDataSource answers an error diagnostic', async () => {
    const answer = await call('ReadDataSource', { type_name: IDENTITY });
    expect(answer.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', summary: 'The auditdrain provider is not configured' })]);
  });
});

describe('ConfigureProvider', () => {
  test('a missing endpoint and key (empty environment) are diagnostics at their attributes', async () => {
    const type = { kind: 'object' as const, attributes: { endpoint: { kind: 'string' as const }, api_key: { kind: 'string' as const } } };
    const answer = await call('ConfigureProvider', { terraform_version: '1.11.0', config: { msgpack: encodeValue({}, type) } });
    expect(answer.diagnostics.map((d) => [d.severity, d.attribute?.steps[0]?.attribute_name])).toEqual([
      ['ERROR', 'endpoint'],
      ['ERROR', 'api_key'],
    ]);
  });
});

test('an RPC of the protocol the provider does not serve answers UNIMPLEMENTED', async () => {
  const identity = (value: Buffer) => value;
  const err = await new Promise<grpc.ServiceError | null>((resolve) =>
    client.makeUnaryRequest('/tfplugin6.Provider/GetFunctions', identity, identity, Buffer.alloc(0), { deadline: Date.now() + 10_000 }, (e) =>
      resolve(e),
    ),
  );
  expect(err).not.toBeNull();
  expect(err!.code).toBe(grpc.status.UNIMPLEMENTED);
});

test('completed RPCs are logged at debug level with their duration', () => {
  expect(logged).toContainEqual({ level: 'debug', message: 'PlanResourceChange done', fields: { type: S3, ms: expect.any(Number) } });
});
