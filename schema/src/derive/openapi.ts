/**
 * The OpenAPI 3.1 document of the REST API, derived from the resource and event descriptions.
 */
import { auditEvent } from '../events/audit-event';
import { authorizationEvent } from '../events/authorization-event';
import { ERROR_CODES } from '../errors';
import { RESOURCES } from '../resources';
import { identity } from '../resources/identity';
import { s3LogDestination } from '../resources/s3-log-destination';
import { webhookIntegration } from '../resources/webhook-integration';
import type { ResourceSpec } from '../resource';
import { MAX_EVENTS_PER_REQUEST } from './events';
import type { JsonSchema } from './json-schema';
import { objectJsonSchema } from './json-schema';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `s3_log_destination` → `S3LogDestination`. */
export function pascalCase(name: string): string {
  return name
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

const NOT_FOUND = errorResponse('No such resource in this tenant.');

const ERRORS = {
  '400': errorResponse('The request is malformed (e.g. the body is not JSON).'),
  '401': errorResponse('No valid API key was presented.'),
  '403': errorResponse("The API key's role does not allow this operation."),
  '422': errorResponse('A field is invalid; `details` names each one.'),
};

const jsonBody = (schema: JsonSchema) => ({ required: true, content: { 'application/json': { schema } } });
const jsonResponse = (description: string, schema: JsonSchema) => ({
  description,
  content: { 'application/json': { schema } },
});

const pageParams = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: 'Items per page, 1 to 200.',
    schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
  {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'The `next_cursor` of the previous page.',
    schema: { type: 'string' },
  },
];

const idParam = (spec: ResourceSpec) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `Id of the ${spec.title} (\`${spec.idPrefix}_…\`).`,
  schema: { type: 'string' },
});

/** An operation on one resource besides read, update and delete: `<collection>/{id}/<action>`. */
function itemActionPath(
  spec: ResourceSpec,
  action: string,
  method: 'get' | 'post',
  {
    operationId,
    responses,
    pathParameters = [],
    ...rest
  }: {
    operationId: string;
    summary: string;
    description?: string;
    parameters?: object[];
    pathParameters?: object[];
    requestBody?: object;
    responses: object;
  },
): Record<string, unknown> {
  return {
    [`${spec.collectionPath}/{id}/${action}`]: {
      parameters: [idParam(spec), ...pathParameters],
      [method]: { operationId, tags: [pascalCase(spec.name)], ...rest, responses: { ...responses, '404': NOT_FOUND, ...ERRORS } },
    },
  };
}

const webhookDelivery: JsonSchema = {
  type: 'object',
  required: ['id', 'event_id', 'status', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string', description: 'The delivery id (`wdl_…`).' },
    event_id: { type: 'string', description: 'The event delivered, and the `webhook-id` header of every attempt.' },
    status: { type: 'string', enum: ['pending', 'succeeded', 'failed'], description: '`pending` (due at `next_attempt_at`), `succeeded` or `failed` (no more attempts).' },
    attempts: { type: 'integer', description: 'Attempts made so far.' },
    next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
    last_status_code: { type: ['integer', 'null'], description: "The endpoint's last answer; null when it gave none." },
    last_error: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    attempt_log: {
      type: 'array',
      description: 'Every attempt (only when one delivery is read).',
      items: {
        type: 'object',
        required: ['attempt', 'attempted_at', 'status_code', 'latency_ms', 'error', 'response_excerpt'],
        properties: {
          attempt: { type: 'integer' },
          attempted_at: { type: 'string', format: 'date-time' },
          status_code: { type: ['integer', 'null'] },
          latency_ms: { type: 'integer' },
          error: { type: ['string', 'null'] },
          response_excerpt: { type: ['string', 'null'], description: 'Up to 1 KB of the response body.' },
        },
      },
    },
  },
};

function resourcePaths(spec: ResourceSpec): Record<string, unknown> {
  const T = pascalCase(spec.name);
  const tag = T;
  const item = `${spec.collectionPath}/{id}`;
  return {
    [spec.collectionPath]: {
      get: {
        operationId: `list_${spec.operationStem}s`,
        tags: [tag],
        summary: `List ${spec.title}s`,
        parameters: pageParams,
        responses: { '200': jsonResponse('One page, oldest first.', ref(`${T}List`)), ...ERRORS },
      },
      post: {
        operationId: `create_${spec.operationStem}`,
        tags: [tag],
        summary: `Create a ${spec.title}`,
        requestBody: jsonBody(ref(`${T}Create`)),
        responses: { '201': jsonResponse('Created.', ref(T)), ...ERRORS },
      },
    },
    [item]: {
      parameters: [idParam(spec)],
      get: {
        operationId: `get_${spec.operationStem}`,
        tags: [tag],
        summary: `Get a ${spec.title}`,
        responses: { '200': jsonResponse('Found.', ref(T)), '404': NOT_FOUND, ...ERRORS },
      },
      patch: {
        operationId: `update_${spec.operationStem}`,
        tags: [tag],
        summary: `Update a ${spec.title}`,
        description: 'Fields left out keep their value; `null` resets an optional field to its default.',
        requestBody: jsonBody(ref(`${T}Update`)),
        responses: { '200': jsonResponse('Updated.', ref(T)), '404': NOT_FOUND, ...ERRORS },
      },
      delete: {
        operationId: `delete_${spec.operationStem}`,
        tags: [tag],
        summary: `Delete a ${spec.title}`,
        responses: { '204': { description: 'Deleted.' }, '404': NOT_FOUND, ...ERRORS },
      },
    },
    ...itemActionPath(spec, 'delivery-stats', 'get', {
      operationId: `get_${spec.operationStem}_delivery_stats`,
      summary: 'Delivered and failed events per minute, last 24 hours',
      responses: { '200': jsonResponse('The minutes.', ref('DeliveryStats')) },
    }),
  };
}

const s3Object: JsonSchema = {
  type: 'object',
  required: ['key', 'batch_id', 'event_count', 'byte_size', 'first_sequence', 'last_sequence', 'delivered_at'],
  properties: {
    key: { type: 'string', description: "The object's key in the destination's bucket." },
    batch_id: { type: 'string', description: 'The batch the object belongs to (a batch split by `key_template` writes several).' },
    event_count: { type: 'integer', description: 'Events in the object.' },
    byte_size: { type: 'integer', description: 'Size of the object as written (compressed, when gzip is on).' },
    first_sequence: { type: 'string', description: 'Log position of its first event (a decimal integer, as a string).' },
    last_sequence: { type: 'string', description: 'Log position of its last event.' },
    delivered_at: { type: 'string', format: 'date-time', description: 'When the write was recorded.' },
  },
};

const deliveryStats: JsonSchema = {
  type: 'object',
  required: ['since', 'until', 'delivered', 'failed', 'minutes'],
  properties: {
    since: { type: 'string', format: 'date-time', description: 'Start of the first minute covered (24 hours before `until`).' },
    until: { type: 'string', format: 'date-time', description: 'End of the current minute.' },
    delivered: { type: 'integer', description: 'Events delivered in the period.' },
    failed: { type: 'integer', description: 'Failed deliveries in the period (see `minutes`).' },
    minutes: {
      type: 'array',
      description:
        'Oldest first; minutes with nothing delivered or failed are left out. For an S3 log destination `failed` ' +
        'counts the events of each batch whose write failed (a batch retried three times counts three times); for a ' +
        'webhook integration, each failed attempt.',
      items: {
        type: 'object',
        required: ['minute', 'delivered', 'failed'],
        properties: {
          minute: { type: 'string', format: 'date-time', description: 'Start of the minute (UTC).' },
          delivered: { type: 'integer' },
          failed: { type: 'integer' },
        },
      },
    },
  },
};

function resourceSchemas(spec: ResourceSpec): Record<string, JsonSchema> {
  const T = pascalCase(spec.name);
  return {
    [T]: { ...objectJsonSchema(spec.fields, 'output'), description: spec.description },
    [`${T}Create`]: objectJsonSchema(spec.fields, 'create'),
    [`${T}Update`]: objectJsonSchema(spec.fields, 'update'),
    [`${T}List`]: {
      type: 'object',
      required: ['data', 'next_cursor'],
      properties: {
        data: { type: 'array', items: ref(T) },
        next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last.' },
      },
    },
  };
}

const storedEvent: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'sequence', 'received_at', 'event'],
  properties: {
    id: { type: 'string', description: 'The event id.' },
    kind: { type: 'string', enum: ['audit', 'authorization'] },
    sequence: { type: 'string', description: 'Position in the tenant-wide log (a decimal integer, as a string).' },
    received_at: { type: 'string', format: 'date-time' },
    event: { oneOf: [ref('AuditEvent'), ref('AuthorizationEvent')] },
  },
};

function eventPaths(): Record<string, unknown> {
  const anyEvent = { oneOf: [ref('AuditEvent'), ref('AuthorizationEvent')] };
  return {
    '/v1/events': {
      post: {
        operationId: 'ingest_events',
        tags: ['Events'],
        summary: 'Append events to the log',
        description:
          `One event (an object) or a batch (an array of up to ${MAX_EVENTS_PER_REQUEST}). An object carrying ` +
          '`decision` is an authorization event, any other an audit event. Idempotent by event id: an id already ' +
          'in the log adds nothing. A batch is accepted whole or not at all.',
        requestBody: jsonBody({ oneOf: [anyEvent, { type: 'array', items: anyEvent, minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }] }),
        responses: {
          '202': jsonResponse('Appended (or already present).', ref('IngestResult')),
          '413': errorResponse('The body is larger than the limit.'),
          ...ERRORS,
        },
      },
      get: {
        operationId: 'list_events',
        tags: ['Events'],
        summary: 'Read the event log',
        parameters: [
          { name: 'action', in: 'query', description: 'An action, or a prefix such as `grant.*`.', schema: { type: 'string' } },
          { name: 'actor_id', in: 'query', description: "The actor's id (audit events) or the principal's id (authorization events).", schema: { type: 'string' } },
          { name: 'kind', in: 'query', schema: { type: 'string', enum: ['audit', 'authorization'] } },
          { name: 'since', in: 'query', description: 'Events that occurred at or after this time.', schema: { type: 'string', format: 'date-time' } },
          { name: 'until', in: 'query', description: 'Events that occurred before this time.', schema: { type: 'string', format: 'date-time' } },
          ...pageParams,
        ],
        responses: { '200': jsonResponse('One page, in log order.', ref('EventList')), ...ERRORS },
      },
    },
  };
}

/** The complete OpenAPI document. */
export function openApiDocument(version: string): JsonSchema {
  const paths: Record<string, unknown> = { ...eventPaths() };
  const schemas: Record<string, JsonSchema> = {};
  for (const spec of RESOURCES) {
    Object.assign(paths, resourcePaths(spec));
    Object.assign(schemas, resourceSchemas(spec));
  }
  Object.assign(
    paths,
    itemActionPath(webhookIntegration, 'signing-secret', 'get', {
      operationId: 'get_webhook_integration_signing_secret',
      summary: "Read a webhook integration's signing secret",
      responses: {
        '200': jsonResponse('The secret.', {
          type: 'object',
          required: ['signing_secret'],
          properties: { signing_secret: { type: 'string', description: '`whsec_` and base64 of 32 random bytes.' } },
        }),
      },
    }),
    itemActionPath(webhookIntegration, 'rotate-secret', 'post', {
      operationId: 'rotate_webhook_integration_signing_secret',
      summary: 'Start a new signing secret',
      description:
        'Generates a new `whsec_` secret. For the next 24 hours every delivery is signed with both the new and the ' +
        'previous secret (two signatures in `webhook-signature`), so receivers can switch over.',
      responses: {
        '200': jsonResponse('The new secret.', {
          type: 'object',
          required: ['signing_secret', 'previous_secret_expires_at'],
          properties: {
            signing_secret: { type: 'string' },
            previous_secret_expires_at: { type: 'string', format: 'date-time', description: 'When the previous secret stops signing.' },
          },
        }),
      },
    }),
    itemActionPath(webhookIntegration, 'deliveries', 'get', {
      operationId: 'list_webhook_integration_deliveries',
      summary: "List a webhook integration's deliveries",
      description: 'Newest first. One per event handed to the integration, and one per replay or manual retry.',
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['pending', 'succeeded', 'failed'] } },
        ...pageParams,
      ],
      responses: {
        '200': jsonResponse('One page.', {
          type: 'object',
          required: ['data', 'next_cursor'],
          properties: { data: { type: 'array', items: ref('WebhookDelivery') }, next_cursor: { type: ['string', 'null'] } },
        }),
      },
    }),
    itemActionPath(webhookIntegration, 'deliveries/{delivery_id}/retry', 'post', {
      operationId: 'retry_webhook_integration_delivery',
      summary: 'Send one delivery again',
      description: 'Adds a new delivery of the same event (same `webhook-id`), due now. Refused (409) while the delivery is still pending.',
      pathParameters: [{ name: 'delivery_id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '202': jsonResponse('The new delivery.', {
          type: 'object',
          required: ['id', 'event_id'],
          properties: { id: { type: 'string' }, event_id: { type: 'string' } },
        }),
        '409': errorResponse('The delivery is still pending.'),
      },
    }),
    itemActionPath(webhookIntegration, 'replay', 'post', {
      operationId: 'replay_webhook_integration',
      summary: 'Send every event since a time again',
      description:
        'Adds new deliveries, due now, for the events received at or after `since` that the integration takes and ' +
        'has already been handed, oldest first, up to 100,000 (`truncated` says there were more: replay again from after `through`).',
      requestBody: jsonBody({
        type: 'object',
        required: ['since'],
        additionalProperties: false,
        properties: { since: { type: 'string', format: 'date-time' } },
      }),
      responses: {
        '202': jsonResponse('Deliveries added.', {
          type: 'object',
          required: ['replayed', 'through', 'truncated'],
          properties: {
            replayed: { type: 'integer' },
            through: { type: ['string', 'null'], description: 'The id of the last event replayed.' },
            truncated: { type: 'boolean' },
          },
        }),
      },
    }),
    itemActionPath(webhookIntegration, 'test', 'post', {
      operationId: 'test_webhook_integration',
      summary: 'Send a test event now',
      description: 'POSTs a sample event (action `auditdrain.webhook.test`), signed like any delivery, and answers how the endpoint replied. Not recorded, not retried.',
      responses: {
        '200': jsonResponse('What the endpoint answered.', {
          type: 'object',
          required: ['ok', 'webhook_id', 'status_code', 'latency_ms', 'error', 'response_excerpt'],
          properties: {
            ok: { type: 'boolean', description: 'The endpoint answered 2xx.' },
            webhook_id: { type: 'string' },
            status_code: { type: ['integer', 'null'] },
            latency_ms: { type: 'integer' },
            error: { type: ['string', 'null'] },
            response_excerpt: { type: ['string', 'null'] },
          },
        }),
        '503': errorResponse('This server runs no delivery engine.'),
      },
    }),
    itemActionPath(s3LogDestination, 'deliveries', 'get', {
      operationId: 'list_s3_log_destination_deliveries',
      summary: 'List the objects an S3 log destination wrote',
      description: 'Newest first: every object written, with its key, size and event count.',
      parameters: pageParams,
      responses: {
        '200': jsonResponse('One page.', {
          type: 'object',
          required: ['data', 'next_cursor'],
          properties: { data: { type: 'array', items: ref('S3Object') }, next_cursor: { type: ['string', 'null'] } },
        }),
      },
    }),
    itemActionPath(webhookIntegration, 'deliveries/{delivery_id}', 'get', {
      operationId: 'get_webhook_integration_delivery',
      summary: 'Read one delivery with its attempts',
      pathParameters: [{ name: 'delivery_id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': jsonResponse('The delivery.', ref('WebhookDelivery')) },
    }),
    itemActionPath(s3LogDestination, 'test', 'post', {
      operationId: 'test_s3_log_destination',
      summary: 'Write a test object now',
      description:
        'Runs the test delivery that create and update run: assumes the role (or uses the keys) and writes a small ' +
        'JSON object under `<key_prefix>/test/`. On failure: 422 `verification_failed` with the remote error.',
      responses: {
        '200': jsonResponse('The test object was written.', {
          type: 'object',
          required: ['ok', 'bucket', 'key', 'request_id', 'attempts'],
          properties: {
            ok: { type: 'boolean' },
            bucket: { type: 'string' },
            key: { type: 'string' },
            request_id: { type: ['string', 'null'], description: "S3's request id for the PutObject." },
            attempts: { type: 'integer', description: 'Attempts taken (AccessDenied is retried for a while).' },
          },
        }),
        '503': errorResponse('Test deliveries are turned off on this server.'),
      },
    }),
  );
  paths[identity.path] = {
    get: {
      operationId: 'get_identity',
      tags: ['Identity'],
      summary: 'Who the caller is, and who the service is to AWS',
      responses: { '200': jsonResponse('The identity.', ref('Identity')), ...ERRORS },
    },
  };
  Object.assign(schemas, {
    AuditEvent: { ...objectJsonSchema(auditEvent.fields, 'event'), description: auditEvent.description },
    AuthorizationEvent: { ...objectJsonSchema(authorizationEvent.fields, 'event'), description: authorizationEvent.description },
    StoredEvent: storedEvent,
    WebhookDelivery: webhookDelivery,
    S3Object: s3Object,
    DeliveryStats: deliveryStats,
    EventList: {
      type: 'object',
      required: ['data', 'next_cursor'],
      properties: { data: { type: 'array', items: ref('StoredEvent') }, next_cursor: { type: ['string', 'null'] } },
    },
    IngestResult: {
      type: 'object',
      required: ['accepted', 'duplicates', 'ids'],
      properties: {
        accepted: { type: 'integer', description: 'Events appended by this request.' },
        duplicates: { type: 'integer', description: 'Events whose id was already in the log.' },
        ids: { type: 'array', items: { type: 'string' }, description: 'The id of each event, in request order.' },
      },
    },
    Identity: { ...objectJsonSchema(identity.fields, 'output'), description: identity.description },
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details', 'request_id'],
          properties: {
            code: { type: 'string', enum: ERROR_CODES },
            message: { type: 'string' },
            details: { description: 'For `validation_failed`: `[{path, message}]`, one per offending field.' },
            request_id: { type: 'string', description: 'Also in the `x-request-id` response header.' },
          },
        },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'auditdrain',
      version,
      description: 'Manage audit-log drains to Amazon S3 and webhooks, and append events to the log they deliver.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...RESOURCES.map((spec) => ({ name: pascalCase(spec.name) })), { name: 'Events' }, { name: 'Identity' }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`adk_…`) sent as `Authorization: Bearer adk_…`.',
        },
      },
    },
  };
}
