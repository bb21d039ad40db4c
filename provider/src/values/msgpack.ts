/**
 * The msgpack form of Terraform values (DynamicValue.msgpack), as go-cty reads and writes it: objects are maps of
 * every attribute, null is nil, numbers are integers, floats or (for numbers beyond float64) strings, and an unknown
 * value is an extension. Terraform may send any extension type for unknown (type 12 carries refinements, such as
 * "not null"); all are read as UNKNOWN, and UNKNOWN is written as type 0.
 */
import { decode, encode, ExtData } from '@msgpack/msgpack';
import type { Type } from './terraform-type';
import type { ObjectValue, Value } from './value';
import { UNKNOWN } from './value';

const UNKNOWN_EXTENSION = new ExtData(0, new Uint8Array([0]));

export class ValueDecodeError extends Error {}

function fromWire(raw: unknown, type: Type, path: string): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return UNKNOWN;
  switch (type.kind) {
    case 'string':
      if (typeof raw !== 'string') throw new ValueDecodeError(`${path}: expected a string`);
      return raw;
    case 'number':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'bigint') return Number(raw);
      if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
      throw new ValueDecodeError(`${path}: expected a number`);
    case 'bool':
      if (typeof raw !== 'boolean') throw new ValueDecodeError(`${path}: expected a bool`);
      return raw;
    case 'list':
    case 'set':
      if (!Array.isArray(raw)) throw new ValueDecodeError(`${path}: expected a ${type.kind}`);
      return raw.map((item, i) => fromWire(item, type.element, `${path}[${i}]`));
    case 'map': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new ValueDecodeError(`${path}: expected a map`);
      const out: ObjectValue = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = fromWire(v, type.element, `${path}.${k}`);
      return out;
    }
    case 'object': {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new ValueDecodeError(`${path}: expected an object`);
      const record = raw as Record<string, unknown>;
      const out: ObjectValue = {};
      for (const [name, t] of Object.entries(type.attributes)) out[name] = fromWire(record[name], t, path ? `${path}.${name}` : name);
      return out;
    }
    case 'dynamic':
      throw new ValueDecodeError(`${path}: dynamic values are not supported`);
  }
}

function toWire(value: Value, type: Type, path: string): unknown {
  if (value === null || value === undefined) return null;
  if (value === UNKNOWN) return UNKNOWN_EXTENSION;
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value;
    case 'list':
    case 'set':
      if (!Array.isArray(value)) throw new Error(`${path}: a ${type.kind} must be an array`);
      return value.map((item, i) => toWire(item, type.element, `${path}[${i}]`));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as ObjectValue)) out[k] = toWire(v, type.element, `${path}.${k}`);
      return out;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: an object must be a record`);
      const out: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(type.attributes)) out[name] = toWire(value[name] ?? null, t, path ? `${path}.${name}` : name);
      return out;
    }
    case 'dynamic':
      throw new Error(`${path}: dynamic values are not supported`);
  }
}

/** Reads a DynamicValue's msgpack bytes; empty bytes (an unset DynamicValue) are null. */
export function decodeValue(bytes: Uint8Array | null | undefined, type: Type): Value {
  if (!bytes || bytes.length === 0) return null;
  return fromWire(decode(bytes), type, '');
}

export function encodeValue(value: Value, type: Type): Buffer {
  const bytes = encode(toWire(value, type, ''));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a state stored as JSON (UpgradeResourceState), keeping only the attributes of the current type. */
export function valueFromJson(json: unknown, type: Type): Value {
  return fromWire(json, type, '');
}
