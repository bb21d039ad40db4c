/**
 * The msgpack codec of Terraform values against go-cty's wire format: round trips of every type the schemas use,
 * objects written with every attribute, the unknown extension both ways, numbers in every form Terraform sends,
 * and errors that name the attribute they are about.
 */
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { decodeValue, encodeValue, ValueDecodeError, valueFromJson } from '../../src/values/msgpack';
import type { Type } from '../../src/values/terraform-type';
import type { Value } from '../../src/values/value';
import { UNKNOWN } from '../../src/values/value';
import { s3LogDestinationResource, webhookIntegrationResource } from '../../src/resources';

const STRING: Type = { kind: 'string' };
const NUMBER: Type = { kind: 'number' };
const BOOL: Type = { kind: 'bool' };
const STRING_SET: Type = { kind: 'set', element: STRING };
const STRING_LIST: Type = { kind: 'list', element: STRING };
const HEADER: Type = { kind: 'object', attributes: { key: STRING, value: STRING } };
const RESOURCE: Type = {
  kind: 'object',
  attributes: {
    id: STRING,
    size: NUMBER,
    enabled: BOOL,
    actions: STRING_SET,
    headers: { kind: 'list', element: HEADER },
  },
};

function roundTrip(value: Value, type: Type): Value {
  return decodeValue(encodeValue(value, type), type);
}

/** The msgpack bytes of an ext value: fixext1/2/4/8/16 where the size allows, ext8 otherwise. */
function extBytes(type: number, data: number[]): number[] {
  const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
  const head = fixed[data.length];
  return head !== undefined ? [head, type, ...data] : [0xc7, data.length, type, ...data];
}

/** go-cty's refined unknown: extension 12 whose data is a msgpack map of refinements ({1: true}, "not null"). */
const REFINED_UNKNOWN = extBytes(12, [0x81, 0x01, 0xc3]);

describe('round trips', () => {
  test.each<[string, Value, Type]>([
    ['a string', 'acme-audit-logs', STRING],
    ['an empty string', '', STRING],
    ['a non-ASCII string', 'Zürich – 東京 🚀', STRING],
    ['a small integer', 5, NUMBER],
    ['zero', 0, NUMBER],
    ['a negative integer', -17, NUMBER],
    ['a float', 0.1, NUMBER],
    ['a negative float', -2.5, NUMBER],
    ['a very large float', 1e300, NUMBER],
    ['a 40-bit integer', 2 ** 40 + 3, NUMBER],
    ['a negative 40-bit integer', -(2 ** 40) - 3, NUMBER],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER, NUMBER],
    ['true', true, BOOL],
    ['false', false, BOOL],
    ['a set of strings', ['grant.*', 'user.login'], STRING_SET],
    ['an empty set', [], STRING_SET],
    ['a list of strings', ['b', 'a', 'b'], STRING_LIST],
    ['null string', null, STRING],
    ['null number', null, NUMBER],
    ['null set', null, STRING_SET],
  ])('%s', (_title, value, type) => {
    expect(roundTrip(value, type)).toEqual(value);
  });

  test('a list of nested objects', () => {
    const headers = [
      { key: 'Authorization', value: 'Bearer t0k3n' },
      { key: 'X-Tenant', value: null },
    ];
    expect(roundTrip(headers, { kind: 'list', element: HEADER })).toEqual(headers);
  });

  test('an object with null attributes', () => {
    const value = { id: 'whk_1', size: null, enabled: false, actions: null, headers: null };
    expect(roundTrip(value, RESOURCE)).toEqual(value);
  });

  test('a whole object with every attribute type set', () => {
    const value = { id: 'whk_1', size: 12.75, enabled: true, actions: ['grant.*'], headers: [{ key: 'A', value: '1' }] };
    expect(roundTrip(value, RESOURCE)).toEqual(value);
  });

  test.each([
    ['S3 log destination', s3LogDestinationResource.model.type],
    ['webhook integration', webhookIntegrationResource.model.type],
  ])('a %s state with every attribute null survives', (_title, type) => {
    const allNull = Object.fromEntries(Object.keys(type.attributes).map((name) => [name, null]));
    expect(roundTrip(allNull, type)).toEqual(allNull);
  });

  test('a number keeps its kind: integers as msgpack integers, fractions as floats', () => {
    expect([...encodeValue(5, NUMBER)]).toEqual([0x05]);
    expect([...encodeValue(5000, NUMBER)]).toEqual([0xcd, 0x13, 0x88]);
    expect(encodeValue(0.5, NUMBER)[0]).toBe(0xcb); // float 64
  });
});

describe('objects are written with every attribute', () => {
  test('null and missing attributes are nil', () => {
    const bytes = encodeValue({ id: 'whk_1', enabled: null } as Value, RESOURCE);
    const plain = decode(bytes) as Record<string, unknown>;
    expect(Object.keys(plain).sort()).toEqual(['actions', 'enabled', 'headers', 'id', 'size']);
    expect(plain).toEqual({ id: 'whk_1', size: null, enabled: null, actions: null, headers: null });
  });

  test('objects nested in a list are written whole', () => {
    const bytes = encodeValue([{ key: 'A' }] as Value, { kind: 'list', element: HEADER });
    expect(decode(bytes)).toEqual([{ key: 'A', value: null }]);
  });

  test('attributes that are not in the type are not written', () => {
    const bytes = encodeValue({ id: 'whk_1', stray: 'x' } as Value, RESOURCE);
    expect(Object.keys(decode(bytes) as object)).not.toContain('stray');
  });

  test("a resource's state carries every attribute of its schema", () => {
    const type = s3LogDestinationResource.model.type;
    const plain = decode(encodeValue({ name: 'audit' }, type)) as Record<string, unknown>;
    expect(Object.keys(plain).sort()).toEqual(Object.keys(type.attributes).sort());
    expect(plain.name).toBe('audit');
    expect(plain.secret_access_key_wo).toBeNull();
  });
});

describe('unknown values', () => {
  test('UNKNOWN is written as extension 0 with one zero byte: d4 00 00', () => {
    expect(encodeValue(UNKNOWN, STRING).toString('hex')).toBe('d40000');
    expect(encodeValue(UNKNOWN, RESOURCE).toString('hex')).toBe('d40000');
  });

  test('UNKNOWN inside an object and a list is written the same way', () => {
    const bytes = encodeValue({ id: UNKNOWN, actions: ['a', UNKNOWN] }, RESOURCE);
    const plain = decode(bytes) as { id: unknown; actions: unknown[] };
    const ext = (value: unknown) => (value instanceof ExtData ? { type: value.type, data: [...(value.data as Uint8Array)] } : value);
    expect(ext(plain.id)).toEqual({ type: 0, data: [0] });
    expect(plain.actions.map(ext)).toEqual(['a', { type: 0, data: [0] }]);
    // {"id": d4 00 00, ..., "actions": ["a", d4 00 00], ...}
    expect(bytes.toString('hex')).toContain(`a26964d40000`);
    expect(bytes.toString('hex')).toContain(`92a161d40000`);
  });

  test('an unknown round trips at any depth', () => {
    const value: Value = { id: UNKNOWN, size: 3, enabled: UNKNOWN, actions: UNKNOWN, headers: [{ key: 'A', value: UNKNOWN }] };
    expect(roundTrip(value, RESOURCE)).toEqual(value);
  });

  test('extension 12 with refinements is read as UNKNOWN, at the top level', () => {
    expect(decodeValue(Uint8Array.from(REFINED_UNKNOWN), STRING)).toBe(UNKNOWN);
  });

  test('extension 12 with refinements is read as UNKNOWN inside an object', () => {
    // {"id": <refined unknown>, "size": 1}
    const bytes = Uint8Array.from([0x82, 0xa2, ...Buffer.from('id'), ...REFINED_UNKNOWN, 0xa4, ...Buffer.from('size'), 0x01]);
    expect(decodeValue(bytes, RESOURCE)).toEqual({ id: UNKNOWN, size: 1, enabled: null, actions: null, headers: null });
  });

  test('extension 12 with refinements is read as UNKNOWN inside a list', () => {
    // ["a", <refined unknown>]
    const bytes = Uint8Array.from([0x92, 0xa1, 0x61, ...REFINED_UNKNOWN]);
    expect(decodeValue(bytes, STRING_LIST)).toEqual(['a', UNKNOWN]);
  });

  test('a longer refinement payload (ext 8) is read as UNKNOWN too', () => {
    // refinements {1: true, 2: "whk_"}: not null, string prefix
    const data = [0x82, 0x01, 0xc3, 0x02, 0xa4, ...Buffer.from('whk_')];
    expect(decodeValue(Uint8Array.from(extBytes(12, data)), STRING)).toBe(UNKNOWN);
  });
});

describe('numbers as Terraform sends them', () => {
  test.each<[string, unknown, number]>([
    ['an integer', 42, 42],
    ['a float', 2.25, 2.25],
    ['a decimal string', '3600', 3600],
    ['a decimal string with a fraction', '0.125', 0.125],
    ['a decimal string beyond int64', '100000000000000000000', 1e20],
    ['a negative decimal string', '-7', -7],
  ])('%s decodes to a number', (_title, wire, expected) => {
    const value = decodeValue(encode({ size: wire }), RESOURCE) as Record<string, Value>;
    expect(value.size).toBe(expected);
    expect(typeof value.size).toBe('number');
  });

  test('a 64-bit integer on the wire decodes to a number', () => {
    // uint64 2^40
    const bytes = Uint8Array.from([0xcf, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(decodeValue(bytes, NUMBER)).toBe(2 ** 40);
  });

  test('a string that is not a number is refused', () => {
    expect(() => decodeValue(encode({ size: 'five' }), RESOURCE)).toThrow(ValueDecodeError);
    expect(() => decodeValue(encode({ size: 'five' }), RESOURCE)).toThrow('size: expected a number');
  });
});

describe('decoding', () => {
  test('empty bytes are null', () => {
    expect(decodeValue(new Uint8Array(0), RESOURCE)).toBeNull();
    expect(decodeValue(undefined, RESOURCE)).toBeNull();
    expect(decodeValue(null, STRING)).toBeNull();
  });

  test('msgpack nil is null', () => {
    expect(decodeValue(Uint8Array.from([0xc0]), RESOURCE)).toBeNull();
  });

  test('an attribute missing from the wire map is null', () => {
    expect(decodeValue(encode({ id: 'x' }), RESOURCE)).toEqual({ id: 'x', size: null, enabled: null, actions: null, headers: null });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a number where a string belongs', { id: 7 }, 'id: expected a string'],
    ['a string where a bool belongs', { enabled: 'true' }, 'enabled: expected a bool'],
    ['a string where a set belongs', { actions: 'grant.*' }, 'actions: expected a set'],
    ['a number inside a set', { actions: ['a', 3] }, 'actions[1]: expected a string'],
    ['a bool inside a nested object', { headers: [{ key: 'A' }, { key: true }] }, 'headers[1].key: expected a string'],
    ['a list where an object belongs', { headers: [['A', '1']] }, 'headers[0]: expected an object'],
  ])('%s raises ValueDecodeError naming the path', (_title, wire, message) => {
    const bytes = encode(wire);
    expect(() => decodeValue(bytes, RESOURCE)).toThrow(ValueDecodeError);
    expect(() => decodeValue(bytes, RESOURCE)).toThrow(message);
  });

  test('a list where the whole object belongs is refused', () => {
    expect(() => decodeValue(encode(['id']), RESOURCE)).toThrow(ValueDecodeError);
  });
});

describe('valueFromJson', () => {
  test('keeps the attributes of the type, drops the others and fills the missing ones with null', () => {
    const json = { id: 'whk_1', enabled: true, removed_in_v2: 'gone', headers: [{ key: 'A', value: '1', extra: 1 }] };
    expect(valueFromJson(json, RESOURCE)).toEqual({
      id: 'whk_1',
      size: null,
      enabled: true,
      actions: null,
      headers: [{ key: 'A', value: '1' }],
    });
  });

  test('reads a stored resource state', () => {
    const type = webhookIntegrationResource.model.type;
    const state = valueFromJson({ id: 'whk_1', name: 'siem', url: 'https://siem.example.com/hook', health: { status: 'healthy' } }, type);
    expect(state).toEqual({
      ...Object.fromEntries(Object.keys(type.attributes).map((name) => [name, null])),
      id: 'whk_1',
      name: 'siem',
      url: 'https://siem.example.com/hook',
    });
    expect(state).not.toHaveProperty('health');
  });

  test('a wrong type in stored JSON names the attribute', () => {
    expect(() => valueFromJson({ size: true }, RESOURCE)).toThrow(new ValueDecodeError('size: expected a number'));
  });
});
