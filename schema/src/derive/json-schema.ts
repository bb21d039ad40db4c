/**
 * JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) derived from field descriptions.
 */
import type { Field, Fields, StringConstraints } from '../field';
import { defaultOf } from '../field';

export type JsonSchema = { [key: string]: unknown };

export type SchemaMode = 'create' | 'update' | 'output' | 'event';

function stringJsonSchema(field: StringConstraints): JsonSchema {
  const s: JsonSchema = { type: 'string' };
  if (field.enum) s.enum = [...field.enum];
  if (field.minLength !== undefined) s.minLength = field.minLength;
  if (field.maxLength !== undefined) s.maxLength = field.maxLength;
  if (field.pattern) s.pattern = field.pattern.regex.source;
  if (field.format) s.format = field.format;
  return s;
}

function withNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    const out: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/** The JSON Schema of a field's value. */
export function fieldJsonSchema(field: Field, mode: SchemaMode): JsonSchema {
  // An update replaces a nested object or list whole, so its attributes are required as on create.
  const nested: SchemaMode = mode === 'update' ? 'create' : mode;
  let s: JsonSchema;
  switch (field.type) {
    case 'string':
      s = stringJsonSchema(field);
      break;
    case 'integer':
      s = { type: 'integer', minimum: field.minimum, maximum: field.maximum };
      break;
    case 'boolean':
      s = { type: 'boolean' };
      break;
    case 'string_set':
      s = { type: 'array', items: stringJsonSchema(field.item), maxItems: field.maxItems, uniqueItems: true };
      break;
    case 'object':
      s = objectJsonSchema(field.attributes, nested);
      break;
    case 'object_list':
      s = { type: 'array', items: objectJsonSchema(field.attributes, nested), maxItems: field.maxItems };
      break;
    case 'json_object':
      s = { type: 'object', additionalProperties: true };
      break;
  }
  s.description = field.description;
  const def = defaultOf(field);
  if (def !== undefined && mode !== 'output') s.default = def;
  if (field.presence === 'computed' && mode !== 'event') s.readOnly = true;
  if (field.secret) s.writeOnly = true;
  return s;
}

/** The JSON Schema of an object made of fields, for the given direction. */
export function objectJsonSchema(fields: Fields, mode: SchemaMode): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (mode === 'output' && field.secret) continue;
    if ((mode === 'create' || mode === 'update') && field.presence === 'computed') continue;
    const schema = fieldJsonSchema(field, mode);
    const mandatory =
      mode === 'output' ? true : mode === 'update' ? false : field.presence === 'required';
    const nullable =
      mode === 'output' ? field.presence === 'optional' : field.presence !== 'required';
    properties[name] = nullable ? { ...withNull(schema), description: field.description } : schema;
    if (mandatory) required.push(name);
  }
  const out: JsonSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) out.required = required;
  return out;
}
