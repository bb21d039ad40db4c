/**
 * The provider's schemas as plugin-protocol messages, converted from the JSON schema `@auditdrain/schema` derives
 * (the same document `terraform providers schema -json` prints and the CDKTF generator reads).
 */
import type { TerraformAttribute, TerraformSchema } from '@auditdrain/schema';

export interface SchemaMessage {
  version: number;
  block: {
    version: number;
    attributes: AttributeMessage[];
    block_types: never[];
    description: string;
    description_kind: 'MARKDOWN';
    deprecated: boolean;
  };
}

export interface AttributeMessage {
  name: string;
  type: Buffer;
  nested_type: { attributes: AttributeMessage[]; nesting: 'SINGLE' | 'LIST' | 'SET' } | null;
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  description_kind: 'MARKDOWN';
  deprecated: boolean;
  write_only: boolean;
}

function attributeMessage(name: string, attribute: TerraformAttribute): AttributeMessage {
  const nested = attribute.nested_type;
  return {
    name,
    type: attribute.type === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(attribute.type)),
    nested_type: nested
      ? {
          attributes: Object.entries(nested.attributes).map(([n, a]) => attributeMessage(n, a)),
          nesting: nested.nesting_mode === 'single' ? 'SINGLE' : nested.nesting_mode === 'list' ? 'LIST' : 'SET',
        }
      : null,
    description: attribute.description,
    required: attribute.required === true,
    optional: attribute.optional === true,
    computed: attribute.computed === true,
    sensitive: attribute.sensitive === true,
    description_kind: 'MARKDOWN',
    deprecated: false,
    write_only: attribute.write_only === true,
  };
}

export function schemaMessage(schema: TerraformSchema): SchemaMessage {
  return {
    version: schema.version,
    block: {
      version: schema.version,
      attributes: Object.entries(schema.block.attributes).map(([n, a]) => attributeMessage(n, a)),
      block_types: [],
      description: schema.block.description,
      description_kind: 'MARKDOWN',
      deprecated: false,
    },
  };
}
