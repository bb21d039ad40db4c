/**
 * The provider's RPCs. Each one decodes its request (DynamicValue msgpack into values), runs the core (the
 * resource model and the API client), and encodes the answer. Every failure becomes a diagnostic in the response,
 * never a gRPC error: Terraform shows diagnostics with the attribute they point at and stops cleanly.
 */
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { FieldIssue } from '@auditdrain/schema';
import { PROVIDER_SOURCE, providerConfigFields, providersSchemaJson } from '@auditdrain/schema';
import { ApiClient } from './api-client';
import { identityDataSource } from './data-sources/identity';
import type { Log } from './log';
import type { DiagnosticMessage } from './protocol/diagnostics';
import { attributePath, DiagnosticsError, errorDiagnostic } from './protocol/diagnostics';
import { schemaMessage } from './protocol/schema';
import type { ManagedResource } from './resources/managed-resource';
import { MANAGED_RESOURCES } from './resources';
import { PROVIDER_VERSION } from './version';
import { decodeValue, encodeValue, valueFromJson } from './values/msgpack';
import type { Type } from './values/terraform-type';
import { blockType } from './values/terraform-type';
import type { ObjectValue, Value } from './values/value';
import { isUnknown } from './values/value';

interface DynamicValue {
  msgpack: Buffer;
  json: Buffer;
}

type Request = Record<string, unknown> & { type_name?: string };

const SCHEMA = providersSchemaJson().provider_schemas[PROVIDER_SOURCE]!;
const PROVIDER_CONFIG_TYPE = blockType(SCHEMA.provider.block);
const SERVER_CAPABILITIES = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false };

function dynamic(value: Value, type: Type): DynamicValue {
  return { msgpack: encodeValue(value, type), json: Buffer.alloc(0) };
}

function decoded(value: unknown, type: Type): Value {
  return decodeValue((value as DynamicValue | null)?.msgpack, type);
}

function issueDiagnostics(issues: FieldIssue[]): DiagnosticMessage[] {
  return issues.map((issue) =>
    errorDiagnostic('Invalid configuration', issue.path ? `${issue.path} ${issue.message}` : issue.message, issue.path),
  );
}

/** The provider's settings once configured: where the API is and the key to call it with. */
interface Settings {
  endpoint: string;
  apiKey: string;
}

/** An endpoint must be an absolute http(s) URL. */
function endpointProblems(endpoint: string): DiagnosticMessage[] {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    // not a URL at all: reported below
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return [];
  return [errorDiagnostic('Invalid auditdrain endpoint', `"${endpoint}" is not an absolute http or https URL.`, 'endpoint')];
}

/** Provider configuration from its block, falling back to the environment; problems point at the attribute. */
export function providerSettings(config: ObjectValue, env: NodeJS.ProcessEnv): { settings?: Settings; diagnostics: DiagnosticMessage[] } {
  const diagnostics: DiagnosticMessage[] = [];
  for (const name of Object.keys(providerConfigFields)) {
    if (isUnknown(config[name])) {
      diagnostics.push(
        errorDiagnostic('Provider configuration is not known yet', `${name} depends on a value known only after apply; set it from known values.`, name),
      );
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  const endpoint = (config.endpoint as string | null) ?? env.AUDITDRAIN_ENDPOINT ?? '';
  const apiKey = (config.api_key as string | null) ?? env.AUDITDRAIN_API_KEY ?? '';
  if (endpoint === '') {
    diagnostics.push(errorDiagnostic('Missing auditdrain endpoint', 'Set endpoint in the provider block or AUDITDRAIN_ENDPOINT.', 'endpoint'));
  } else {
    diagnostics.push(...endpointProblems(endpoint));
  }
  if (apiKey === '') {
    diagnostics.push(errorDiagnostic('Missing auditdrain API key', 'Set api_key in the provider block or AUDITDRAIN_API_KEY.', 'api_key'));
  }
  return diagnostics.length > 0 ? { diagnostics } : { settings: { endpoint, apiKey }, diagnostics };
}

export function createProvider(log: Log, env: NodeJS.ProcessEnv = process.env): UntypedServiceImplementation {
  const stopping = new AbortController();
  let client: ApiClient | undefined;
  const resources = new Map(MANAGED_RESOURCES.map((r) => [r.typeName, r]));

  const configured = (): ApiClient => {
    if (!client) throw new DiagnosticsError([errorDiagnostic('The auditdrain provider is not configured')]);
    return client;
  };

  const resourceOf = (typeName: string | undefined): ManagedResource => {
    const resource = resources.get(typeName ?? '');
    if (!resource) throw new DiagnosticsError([errorDiagnostic(`Unknown resource type ${typeName}`)]);
    return resource;
  };

  /** Runs one RPC's core; an exception becomes the answer's diagnostics (plus whatever `onError` keeps). */
  function rpc<R extends Request>(
    name: string,
    core: (request: R) => Promise<Record<string, unknown>>,
    onError: (request: R) => Record<string, unknown> = () => ({}),
  ) {
    return (call: ServerUnaryCall<R, unknown>, callback: sendUnaryData<unknown>): void => {
      const started = Date.now();
      core(call.request).then(
        (answer) => {
          log.debug(`${name} done`, { type: call.request.type_name, ms: Date.now() - started });
          callback(null, { diagnostics: [], ...answer });
        },
        (err: unknown) => {
          let diagnostics: DiagnosticMessage[];
          if (err instanceof DiagnosticsError) diagnostics = err.diagnostics;
          else {
            log.error(`${name} failed`, { error: err instanceof Error ? err.stack : String(err) });
            diagnostics = [errorDiagnostic('Internal error in the auditdrain provider', err instanceof Error ? err.message : String(err))];
          }
          let kept: Record<string, unknown> = {};
          try {
            kept = onError(call.request);
          } catch {
            // The request itself could not be read; the diagnostics say why.
          }
          callback(null, { ...kept, diagnostics });
        },
      );
    };
  }

  return {
    GetMetadata: rpc('GetMetadata', async () => ({
      server_capabilities: SERVER_CAPABILITIES,
      resources: MANAGED_RESOURCES.map((r) => ({ type_name: r.typeName })),
      data_sources: [{ type_name: identityDataSource.typeName }],
    })),

    GetProviderSchema: rpc('GetProviderSchema', async () => ({
      provider: schemaMessage(SCHEMA.provider),
      resource_schemas: Object.fromEntries(Object.entries(SCHEMA.resource_schemas).map(([n, s]) => [n, schemaMessage(s)])),
      data_source_schemas: Object.fromEntries(Object.entries(SCHEMA.data_source_schemas).map(([n, s]) => [n, schemaMessage(s)])),
      server_capabilities: SERVER_CAPABILITIES,
    })),

    ValidateProviderConfig: rpc('ValidateProviderConfig', async (request) => {
      const config = decoded(request.config, PROVIDER_CONFIG_TYPE) as ObjectValue;
      // What can be judged before configuring: a configured endpoint's form (the environment is read at configure).
      return { diagnostics: typeof config.endpoint === 'string' ? endpointProblems(config.endpoint) : [] };
    }),

    ConfigureProvider: rpc('ConfigureProvider', async (request) => {
      const config = (decoded(request.config, PROVIDER_CONFIG_TYPE) ?? {}) as ObjectValue;
      const { settings, diagnostics } = providerSettings(config, env);
      if (settings) {
        const terraformVersion = typeof request.terraform_version === 'string' ? request.terraform_version : 'unknown';
        client = new ApiClient({
          endpoint: settings.endpoint,
          apiKey: settings.apiKey,
          userAgent: `terraform-provider-auditdrain/${PROVIDER_VERSION} terraform/${terraformVersion}`,
          signal: stopping.signal,
        });
      }
      return { diagnostics };
    }),

    ValidateResourceConfig: rpc('ValidateResourceConfig', async (request) => {
      const resource = resourceOf(request.type_name);
      const config = decoded(request.config, resource.model.type) as ObjectValue;
      return { diagnostics: issueDiagnostics(resource.model.validate(config)) };
    }),

    ValidateDataResourceConfig: rpc('ValidateDataResourceConfig', async (request) => {
      if (request.type_name !== identityDataSource.typeName) {
        throw new DiagnosticsError([errorDiagnostic(`Unknown data source ${request.type_name}`)]);
      }
      decoded(request.config, identityDataSource.type);
      return {};
    }),

    UpgradeResourceState: rpc('UpgradeResourceState', async (request) => {
      const resource = resourceOf(request.type_name);
      const version = Number(request.version);
      const schemaVersion = SCHEMA.resource_schemas[resource.typeName]!.version;
      if (version > schemaVersion) {
        throw new DiagnosticsError([
          errorDiagnostic('State written by a newer provider', `The state has schema version ${version}; this provider knows ${schemaVersion}. Upgrade the provider.`),
        ]);
      }
      const raw = request.raw_state as { json: Buffer } | null;
      const json = raw?.json && raw.json.length > 0 ? (JSON.parse(raw.json.toString('utf8')) as unknown) : null;
      const state = json === null ? null : valueFromJson(json, resource.model.type);
      return { upgraded_state: dynamic(state, resource.model.type) };
    }),

    ReadResource: rpc(
      'ReadResource',
      async (request) => {
        const resource = resourceOf(request.type_name);
        const current = decoded(request.current_state, resource.model.type) as ObjectValue | null;
        const next = current === null ? null : await resource.read(configured(), current);
        return { new_state: dynamic(next, resource.model.type), private: request.private };
      },
      (request) => ({ new_state: request.current_state, private: request.private }),
    ),

    PlanResourceChange: rpc('PlanResourceChange', async (request) => {
      const resource = resourceOf(request.type_name);
      const type = resource.model.type;
      const prior = decoded(request.prior_state, type) as ObjectValue | null;
      const proposed = decoded(request.proposed_new_state, type) as ObjectValue | null;
      if (proposed === null) return { planned_state: dynamic(null, type), planned_private: request.prior_private };
      const config = decoded(request.config, type) as ObjectValue;
      const { planned, issues, replace } = resource.model.plan(config, prior);
      if (issues.length > 0) return { diagnostics: issueDiagnostics(issues) };
      return {
        planned_state: dynamic(planned, type),
        requires_replace: replace.map((name) => attributePath(name)),
        planned_private: request.prior_private,
      };
    }),

    ApplyResourceChange: rpc(
      'ApplyResourceChange',
      async (request) => {
        const resource = resourceOf(request.type_name);
        const type = resource.model.type;
        const prior = decoded(request.prior_state, type) as ObjectValue | null;
        const planned = decoded(request.planned_state, type) as ObjectValue | null;
        const config = (decoded(request.config, type) ?? {}) as ObjectValue;
        let next: ObjectValue | null;
        if (planned === null) {
          if (prior !== null) await resource.delete(configured(), prior);
          next = null;
        } else if (prior === null) next = await resource.create(configured(), planned, config);
        else next = await resource.update(configured(), prior, planned, config);
        return { new_state: dynamic(next, type), private: request.planned_private };
      },
      // A failed create leaves nothing behind; a failed update or delete leaves the resource as it was.
      (request) => ({ new_state: request.prior_state, private: request.planned_private }),
    ),

    ImportResourceState: rpc('ImportResourceState', async (request) => {
      const resource = resourceOf(request.type_name);
      const state = await resource.import(configured(), String(request.id));
      return {
        imported_resources: [{ type_name: resource.typeName, state: dynamic(state, resource.model.type), private: Buffer.alloc(0) }],
      };
    }),

    ReadDataSource: rpc('ReadDataSource', async (request) => {
      if (request.type_name !== identityDataSource.typeName) {
        throw new DiagnosticsError([errorDiagnostic(`Unknown data source ${request.type_name}`)]);
      }
      const state = await identityDataSource.read(configured());
      return { state: dynamic(state, identityDataSource.type) };
    }),

    StopProvider: rpc('StopProvider', async () => {
      stopping.abort(new Error('Terraform stopped the provider'));
      return { Error: '' };
    }),
  };
}
