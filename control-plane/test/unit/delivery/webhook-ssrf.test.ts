/**
 * The SSRF guard's address classification, exactly, range by range and at the edges. Name resolution is a fixed
 * table (DNS cannot be pointed at private addresses here).
 */
import type { LookupAddress } from 'node:dns';
import { checkUrlHost, classifyAddress, guardedLookup, refusedLiteral } from '../../../src/delivery/webhook/network-policy';
import type { Resolver } from '../../../src/delivery/webhook/network-policy';

const table = (hosts: Record<string, string[]>): Resolver => async (name) => {
  const found = hosts[name];
  if (found) return found;
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

test.each([
  ['127.0.0.1', 'a loopback address'],
  ['127.255.255.254', 'a loopback address'],
  ['10.0.0.1', 'a private address (RFC 1918)'],
  ['172.16.0.0', 'a private address (RFC 1918)'],
  ['172.31.255.255', 'a private address (RFC 1918)'],
  ['192.168.1.1', 'a private address (RFC 1918)'],
  ['100.64.0.0', 'a carrier-grade NAT address'],
  ['100.127.255.255', 'a carrier-grade NAT address'],
  ['169.254.1.1', 'a link-local address'],
  ['169.254.169.254', 'a cloud metadata address'],
  ['0.0.0.0', 'an unspecified address'],
  ['0.1.2.3', 'an unspecified address'],
  ['224.0.0.1', 'a multicast address'],
  ['240.0.0.1', 'a reserved address'],
  ['255.255.255.255', 'the broadcast address'],
  ['192.0.2.10', 'a reserved address'],
  ['198.18.0.1', 'a reserved address'],
  ['203.0.113.7', 'a reserved address'],
  ['::1', 'a loopback address'],
  ['::', 'an unspecified address'],
  ['fc00::1', 'an IPv6 unique-local address'],
  ['fd12:3456::1', 'an IPv6 unique-local address'],
  ['fd00:ec2::254', 'a cloud metadata address'],
  ['fe80::1', 'a link-local address'],
  ['ff02::1', 'a multicast address'],
  ['2001:db8::1', 'a reserved address'],
])('%s is refused: %s', (address, reason) => {
  expect(classifyAddress(address)).toEqual({ allowed: false, reason });
});

test.each(['172.15.255.255', '172.32.0.0', '100.63.255.255', '100.128.0.0', '93.184.216.34', '8.8.8.8', '2606:2800:220:1::1', '2a00:1450::1'])(
  '%s is allowed',
  (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: true });
  },
);

test.each([
  ['::ffff:10.0.0.1', 'an IPv4-mapped address wrapping 10.0.0.1, a private address (RFC 1918)'],
  ['::ffff:169.254.169.254', 'an IPv4-mapped address wrapping 169.254.169.254, a cloud metadata address'],
  ['::7f00:1', 'an IPv4-compatible address wrapping 127.0.0.1, a loopback address'],
  ['64:ff9b::192.168.0.1', 'a NAT64 address wrapping 192.168.0.1, a private address (RFC 1918)'],
  ['64:ff9b:1::a00:1', 'a NAT64 address wrapping 10.0.0.1, a private address (RFC 1918)'],
  ['2002:7f00:1::1', 'a 6to4 address wrapping 127.0.0.1, a loopback address'],
  // Teredo: the client's address 10.0.0.1 inverted is f5ff:fffe.
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'a Teredo address wrapping 10.0.0.1, a private address (RFC 1918)'],
])('%s is refused for the IPv4 address it wraps', (address, reason) => {
  expect(classifyAddress(address)).toEqual({ allowed: false, reason });
});

test.each(['::ffff:93.184.216.34', '64:ff9b::808:808', '2002:5db8:d822::1', '2001:0:4136:e378:8000:63bf:a247:27dd'])(
  '%s wraps a public IPv4 address and is allowed',
  (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: true });
  },
);

test('anything else is not an address', () => {
  expect(classifyAddress('example.com')).toEqual({ allowed: false, reason: 'not an IP address' });
});

describe('checkUrlHost (on save)', () => {
  const resolver = table({ 'internal.example': ['10.1.2.3'], 'mixed.example': ['93.184.216.34', '::1'], 'public.example': ['93.184.216.34'] });

  test('a literal is judged directly, brackets and all', async () => {
    expect(await checkUrlHost(new URL('https://[::1]:8443/x'), resolver)).toEqual({ allowed: false, reason: 'a loopback address', addresses: ['::1'] });
    expect(await checkUrlHost(new URL('https://93.184.216.34/x'), resolver)).toEqual({ allowed: true, addresses: ['93.184.216.34'] });
  });

  test('a name is refused when any address it resolves to is', async () => {
    expect(await checkUrlHost(new URL('https://internal.example/x'), resolver)).toEqual({
      allowed: false,
      reason: '"internal.example" resolves to 10.1.2.3, a private address (RFC 1918)',
      addresses: ['10.1.2.3'],
    });
    expect((await checkUrlHost(new URL('https://mixed.example/x'), resolver)).allowed).toBe(false);
    expect(await checkUrlHost(new URL('https://public.example/x'), resolver)).toEqual({ allowed: true, addresses: ['93.184.216.34'] });
  });

  test('a name that does not resolve yet is allowed; other resolver failures are not swallowed', async () => {
    expect(await checkUrlHost(new URL('https://later.example/x'), resolver)).toEqual({ allowed: true, addresses: [] });
    const broken: Resolver = async () => {
      throw Object.assign(new Error('resolver exploded'), { code: 'EBADRESP' });
    };
    await expect(checkUrlHost(new URL('https://any.example/x'), broken)).rejects.toThrow('resolver exploded');
  });
});

describe('guardedLookup (on connect)', () => {
  const lookup = guardedLookup(table({ 'public.example': ['93.184.216.34', '2606:2800:220:1::1'], 'rebound.example': ['127.0.0.1'] }));
  const call = (host: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; result: unknown[] }>((resolve) =>
      lookup(host, { all }, (err: NodeJS.ErrnoException | null, ...result: unknown[]) => resolve({ err, result })),
    );

  test('all: every address, with its family', async () => {
    const { err, result } = await call('public.example', true);
    expect(err).toBeNull();
    expect(result[0] as LookupAddress[]).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  test('one: the first address and its family', async () => {
    const { err, result } = await call('public.example', false);
    expect(err).toBeNull();
    expect(result.slice(0, 2)).toEqual(['93.184.216.34', 4]);
  });

  test('a private address is refused with EADDRNOTALLOWED', async () => {
    const { err } = await call('rebound.example', true);
    expect(err?.code).toBe('EADDRNOTALLOWED');
    expect(err?.message).toBe('refusing to connect to rebound.example: it resolves to 127.0.0.1, a loopback address');
  });

  test('a name that does not resolve fails as the resolver did', async () => {
    expect((await call('missing.example', false)).err?.code).toBe('ENOTFOUND');
  });
});

test('refusedLiteral judges IP literals only', () => {
  expect(refusedLiteral(new URL('https://10.0.0.1/x'))).toEqual({ allowed: false, reason: 'a private address (RFC 1918)' });
  expect(refusedLiteral(new URL('https://[fe80::1]/x'))).toEqual({ allowed: false, reason: 'a link-local address' });
  expect(refusedLiteral(new URL('https://internal.example/x'))).toEqual({ allowed: true });
});
