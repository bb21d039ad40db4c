/**
 * The Terraform schema of the provider, in the JSON shape `terraform providers schema -json` prints. The provider
 * serves it over the plugin protocol and @cdktf/provider-generator reads it to generate bindings.
 */
import type { Field, Fields } from '../field';
import { defaultOf } from '../field';
import type { DataSourceSpec, ResourceSpec } from '../resource';
import { terraformTypeName } from '../resource';
import { RESOURCES } from '../resources';
import { identity } from '../resources/identity';

export const PROVIDER_SOURCE = 'registry.terraform.io/auditdrain/auditdrain';

export type TerraformType = string | [string, TerraformType] | ['object', Record<string, TerraformType>];

export interface TerraformAttribute {
  type?: TerraformType;
  nested_type?: { attributes: Record<string, TerraformAttribute>; nesting_mode: 'single' | 'list' | 'set' };
  description: string;
  description_kind: 'markdown';
  required?: true;
  optional?: true;
  computed?: true;
  sensitive?: true;
  write_only?: true;
}

export interface TerraformBlock {
  attributes: Record<string, TerraformAttribute>;
  description: string;
  description_kind: 'markdown';
}

export interface TerraformSchema {
  version: number;
  block: TerraformBlock;
}

export interface ProvidersSchemaJson {
  format_version: '1.0';
  provider_schemas: Record<
    string,
    {
      provider: TerraformSchema;
      resource_schemas: Record<string, TerraformSchema>;
      data_source_schemas: Record<string, TerraformSchema>;
    }
  >;
}

function terraformType(field: Field): TerraformType | undefined {
  switch (field.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'string_set':
      return ['set', 'string'];
    case 'json_object':
      return 'dynamic';
    case 'object':
    case 'object_list':
      return undefined;
  }
}

/** The Terraform attribute for a field. A user-settable field with a default is optional and computed. */
export function terraformAttribute(field: Field): TerraformAttribute {
  const attr: TerraformAttribute = { description: field.description, description_kind: 'markdown' };
  const type = terraformType(field);
  if (type !== undefined) attr.type = type;
  else if (field.type === 'object' || field.type === 'object_list') {
    attr.nested_type = {
      attributes: terraformAttributes(field.attributes),
      nesting_mode: field.type === 'object' ? 'single' : 'list',
    };
  }
  if (field.presence === 'required') attr.required = true;
  else if (field.presence === 'computed') attr.computed = true;
  else {
    attr.optional = true;
    if (defaultOf(field) !== undefined) attr.computed = true;
  }
  if (field.sensitive || field.secret) attr.sensitive = true;
  return attr;
}

/** The Terraform-only attributes that carry a `writeOnlyVariant` field's value without keeping it in state. */
export function writeOnlyNames(name: string): { value: string; version: string } {
  return { value: `${name}_wo`, version: `${name}_wo_version` };
}

function writeOnlyAttributes(name: string): Record<string, TerraformAttribute> {
  const names = writeOnlyNames(name);
  return {
    [names.value]: {
      type: 'string',
      description:
        `Write-only alternative to \`${name}\` (Terraform 1.11 and later): sent to the API but never stored in the ` +
        `plan or state. Set \`${names.version}\` with it, and change that number to send a new value. Conflicts ` +
        `with \`${name}\`.`,
      description_kind: 'markdown',
      optional: true,
      sensitive: true,
      write_only: true,
    },
    [names.version]: {
      type: 'number',
      description: `Version of \`${names.value}\`: any number; changing it sends the current \`${names.value}\`.`,
      description_kind: 'markdown',
      optional: true,
    },
  };
}

function terraformAttributes(fields: Fields): Record<string, TerraformAttribute> {
  const out: Record<string, TerraformAttribute> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.apiOnly) continue;
    out[name] = terraformAttribute(field);
    if (field.writeOnlyVariant) Object.assign(out, writeOnlyAttributes(name));
  }
  return out;
}

export function resourceTerraformSchema(spec: ResourceSpec | DataSourceSpec): TerraformSchema {
  return {
    version: 0,
    block: { attributes: terraformAttributes(spec.fields), description: spec.description, description_kind: 'markdown' },
  };
}

/** The provider's own configuration block. */
export const providerConfigFields: Fields = {
  endpoint: {
    type: 'string',
    presence: 'optional',
    format: 'uri',
    description: 'URL of the auditdrain API, e.g. `https://auditdrain.example.com`. Falls back to the `AUDITDRAIN_ENDPOINT` environment variable.',
  },
  api_key: {
    type: 'string',
    presence: 'optional',
    sensitive: true,
    description: 'An API key (`adk_…`) with the admin role. Falls back to the `AUDITDRAIN_API_KEY` environment variable.',
  },
};

export function providersSchemaJson(): ProvidersSchemaJson {
  const resource_schemas: Record<string, TerraformSchema> = {};
  for (const spec of RESOURCES) resource_schemas[terraformTypeName(spec)] = resourceTerraformSchema(spec);
  return {
    format_version: '1.0',
    provider_schemas: {
      [PROVIDER_SOURCE]: {
        provider: {
          version: 0,
          block: {
            attributes: terraformAttributes(providerConfigFields),
            description: 'Manage auditdrain S3 log destinations and webhook integrations.',
            description_kind: 'markdown',
          },
        },
        resource_schemas,
        data_source_schemas: { [terraformTypeName(identity)]: resourceTerraformSchema(identity) },
      },
    },
  };
}
