/**
 * Terraform's type system as far as the provider's schemas use it, read from the schema JSON that
 * `@auditdrain/schema` derives. The codec needs types to encode (every object attribute, nil for null).
 */
import type { TerraformAttribute, TerraformBlock, TerraformType } from '@auditdrain/schema';

export type Type =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'dynamic' }
  | { kind: 'list' | 'set' | 'map'; element: Type }
  | { kind: 'object'; attributes: Record<string, Type> };

function fromJson(type: TerraformType): Type {
  if (typeof type === 'string') {
    if (type === 'string' || type === 'number' || type === 'bool' || type === 'dynamic') return { kind: type };
    throw new Error(`unsupported Terraform type ${type}`);
  }
  const [kind, inner] = type;
  if (kind === 'object') {
    const attributes: Record<string, Type> = {};
    for (const [name, t] of Object.entries(inner as Record<string, TerraformType>)) attributes[name] = fromJson(t);
    return { kind: 'object', attributes };
  }
  if (kind === 'list' || kind === 'set' || kind === 'map') return { kind, element: fromJson(inner as TerraformType) };
  throw new Error(`unsupported Terraform type ${JSON.stringify(type)}`);
}

export function attributeType(attribute: TerraformAttribute): Type {
  if (attribute.type !== undefined) return fromJson(attribute.type);
  const nested = attribute.nested_type;
  if (!nested) throw new Error('an attribute has neither a type nor a nested type');
  const object = blockType({ attributes: nested.attributes });
  return nested.nesting_mode === 'single' ? object : { kind: nested.nesting_mode, element: object };
}

/** The object type of a block: one attribute per schema attribute, in schema order. */
export function blockType(block: Pick<TerraformBlock, 'attributes'>): Type & { kind: 'object' } {
  const attributes: Record<string, Type> = {};
  for (const [name, attribute] of Object.entries(block.attributes)) attributes[name] = attributeType(attribute);
  return { kind: 'object', attributes };
}
