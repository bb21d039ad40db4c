/**
 * The SSRF guard (network-policy.ts), exactly: every refused range with a representative address and both edges,
 * every way IPv6 wraps an IPv4 address, the check on save and the `lookup` used on connect. Names resolve through an
 * injected table, the one fake here: DNS cannot be pointed at private addresses from a test.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import type { AddressVerdict, Resolver } from '../../../src/delivery/webhook/network-policy';
import { checkUrlHost, classifyAddress, guardedLookup, refusedLiteral, systemResolver } from '../../../src/delivery/webhook/network-policy';

const refused = (reason: string): AddressVerdict => ({ allowed: false, reason });
const allowed: AddressVerdict = { allowed: true };

const PRIVATE = 'a private address (RFC 1918)';
const RESERVED = 'a reserved address';
const METADATA = 'a cloud metadata address';

/** A resolver answering from a table, failing like getaddrinfo for names not in it; it records the names asked. */
function table(hosts: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolver = async (name: string) => {
    asked.push(name);
    const found = hosts[name];
    if (found) return found;
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  return Object.assign(resolver, { asked });
}

describe('classifyAddress: IPv4', () => {
  test.each([
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['0.255.255.255', 'an unspecified address'],
    ['10.0.0.0', PRIVATE],
    ['10.1.2.3', PRIVATE],
    ['10.255.255.255', PRIVATE],
    ['100.64.0.0', 'a carrier-grade NAT address'],
    ['100.100.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.255', 'a carrier-grade NAT address'],
    ['127.0.0.0', 'a loopback address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.255', 'a loopback address'],
    ['169.254.0.0', 'a link-local address'],
    ['169.254.1.1', 'a link-local address'],
    ['169.254.255.255', 'a link-local address'],
    ['172.16.0.0', PRIVATE],
    ['172.20.10.1', PRIVATE],
    ['172.31.255.255', PRIVATE],
    ['192.0.0.0', RESERVED],
    ['192.0.0.255', RESERVED],
    ['192.0.2.0', RESERVED],
    ['192.0.2.10', RESERVED],
    ['192.0.2.255', RESERVED],
    ['192.88.99.1', RESERVED],
    ['192.168.0.0', PRIVATE],
    ['192.168.1.1', PRIVATE],
    ['192.168.255.255', PRIVATE],
    ['198.18.0.0', RESERVED],
    ['198.19.255.255', RESERVED],
    ['198.51.100.0', RESERVED],
    ['198.51.100.255', RESERVED],
    ['203.0.113.0', RESERVED],
    ['203.0.113.255', RESERVED],
    ['224.0.0.0', 'a multicast address'],
    ['224.0.0.251', 'a multicast address'],
    ['239.255.255.255', 'a multicast address'],
    ['240.0.0.0', RESERVED],
    ['250.1.2.3', RESERVED],
    ['255.255.255.254', RESERVED],
    ['255.255.255.255', 'the broadcast address'],
  ])('%s is refused: %s', (address, reason) => {
    expect(classifyAddress(address)).toEqual(refused(reason));
  });

  test.each([
    ['169.254.169.254'], // AWS, GCP, Azure, OpenStack
    ['169.254.170.2'], // AWS ECS task metadata
    ['100.100.100.200'], // Alibaba Cloud, inside 100.64/10
  ])('%s is refused as a cloud metadata address', (address) => {
    expect(classifyAddress(address)).toEqual(refused(METADATA));
  });

  test.each([
    ['1.0.0.0', 'just above 0/8'],
    ['9.255.255.255', 'just below 10/8'],
    ['11.0.0.0', 'just above 10/8'],
    ['100.63.255.255', 'just below 100.64/10'],
    ['100.128.0.0', 'just above 100.64/10'],
    ['126.255.255.255', 'just below 127/8'],
    ['128.0.0.0', 'just above 127/8'],
    ['169.253.255.255', 'just below 169.254/16'],
    ['169.255.0.0', 'just above 169.254/16'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.0', 'just above 172.16/12'],
    ['191.255.255.255', 'just below 192.0.0/24'],
    ['192.0.1.0', 'between 192.0.0/24 and 192.0.2/24'],
    ['192.0.3.0', 'just above 192.0.2/24'],
    ['192.167.255.255', 'just below 192.168/16'],
    ['192.169.0.0', 'just above 192.168/16'],
    ['198.17.255.255', 'just below 198.18/15'],
    ['198.20.0.0', 'just above 198.18/15'],
    ['198.51.99.255', 'just below 198.51.100/24'],
    ['198.51.101.0', 'just above 198.51.100/24'],
    ['203.0.112.255', 'just below 203.0.113/24'],
    ['203.0.114.0', 'just above 203.0.113/24'],
    ['223.255.255.255', 'just below 224/4'],
    ['192.175.48.1', 'AS112 anycast, globally reachable'],
    ['192.52.193.1', 'AMT relay anycast, globally reachable'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
  ])('%s is allowed (%s)', (address) => {
    expect(classifyAddress(address)).toEqual(allowed);
  });
});

describe('classifyAddress: IPv6', () => {
  test.each([
    ['::', 'an unspecified address'],
    ['::1', 'a loopback address'],
    ['fc00::', 'an IPv6 unique-local address'],
    ['fd12:3456:789a::1', 'an IPv6 unique-local address'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'an IPv6 unique-local address'],
    ['fd00:ec2::253', 'an IPv6 unique-local address'],
    ['fd00:ec2::254', METADATA],
    ['fe80::', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'a link-local address'],
    ['ff00::', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'a multicast address'],
    ['2001:db8::', RESERVED],
    ['2001:db8::1', RESERVED],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', RESERVED],
    ['2001:2::1', RESERVED], // benchmarking, 2001:2::/48
    ['100::', 'a discard-only address'],
    ['100::ffff:ffff:ffff:ffff', 'a discard-only address'],
    // Outside global unicast (2000::/3) and not named: refused, whatever it is.
    ['100:0:0:1::', RESERVED],
    ['fec0::1', RESERVED], // site-local, deprecated
    ['4000::1', RESERVED],
    ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', RESERVED],
  ])('%s is refused: %s', (address, reason) => {
    expect(classifyAddress(address)).toEqual(refused(reason));
  });

  test.each([
    ['fe80::1%eth0', 'a link-local address'],
    ['fe80::1%br-1a2b', 'a link-local address'],
    ['fd00:ec2::254%ens5', METADATA],
  ])('%s, with a zone, is refused: %s', (address, reason) => {
    expect(classifyAddress(address)).toEqual(refused(reason));
  });

  test.each([
    ['2000::', 'the start of 2000::/3'],
    ['3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'the end of 2000::/3'],
    ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', 'just below 2001:db8::/32'],
    ['2001:db9::', 'just above 2001:db8::/32'],
    ['2606:2800:220:1::1', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
  ])('%s is allowed (%s)', (address) => {
    expect(classifyAddress(address)).toEqual(allowed);
  });
});

describe('classifyAddress: IPv4 wrapped in IPv6', () => {
  test.each([
    ['::ffff:10.0.0.1', 'an IPv4-mapped address wrapping 10.0.0.1, a private address (RFC 1918)'],
    ['::ffff:7f00:1', 'an IPv4-mapped address wrapping 127.0.0.1, a loopback address'],
    ['::ffff:169.254.169.254', 'an IPv4-mapped address wrapping 169.254.169.254, a cloud metadata address'],
    ['::ffff:0:192.168.1.1', 'an IPv4-translated address wrapping 192.168.1.1, a private address (RFC 1918)'],
    ['::127.0.0.1', 'an IPv4-compatible address wrapping 127.0.0.1, a loopback address'],
    ['::a00:1', 'an IPv4-compatible address wrapping 10.0.0.1, a private address (RFC 1918)'],
    ['::2', 'an IPv4-compatible address wrapping 0.0.0.2, an unspecified address'],
    ['64:ff9b::192.168.0.1', 'a NAT64 address wrapping 192.168.0.1, a private address (RFC 1918)'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 address wrapping 169.254.169.254, a cloud metadata address'],
    ['64:ff9b:1::a00:1', 'a NAT64 address wrapping 10.0.0.1, a private address (RFC 1918)'],
    ['64:ff9b:1:ffff:ffff:ffff:6440:1', 'a NAT64 address wrapping 100.64.0.1, a carrier-grade NAT address'],
    ['2002:a00:1::1', 'a 6to4 address wrapping 10.0.0.1, a private address (RFC 1918)'],
    ['2002:7f00:1:ffff::1', 'a 6to4 address wrapping 127.0.0.1, a loopback address'],
    // Teredo inverts the client's address: 10.0.0.1 is 0a00:0001, inverted f5ff:fffe; 127.0.0.1 is 80ff:fffe.
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'a Teredo address wrapping 10.0.0.1, a private address (RFC 1918)'],
    ['2001::80ff:fffe', 'a Teredo address wrapping 127.0.0.1, a loopback address'],
  ])('%s is refused: %s', (address, reason) => {
    expect(classifyAddress(address)).toEqual(refused(reason));
  });

  test.each([
    ['::ffff:93.184.216.34', 'IPv4-mapped'],
    ['::ffff:0:93.184.216.34', 'IPv4-translated'],
    ['::93.184.216.34', 'IPv4-compatible'],
    ['64:ff9b::8.8.8.8', 'NAT64'],
    ['64:ff9b:1::808:808', 'NAT64, local-use prefix'],
    ['2002:5db8:d822::1', '6to4'],
    // 93.184.216.34 is 5db8:d822, inverted a247:27dd.
    ['2001:0:4136:e378:8000:63bf:a247:27dd', 'Teredo'],
  ])('%s wraps a public IPv4 address and is allowed (%s)', (address) => {
    expect(classifyAddress(address)).toEqual(allowed);
  });

  test('the Teredo client address is read inverted, not as written', () => {
    // Written as-is, the last 32 bits are 10.0.0.1; inverted they are 245.255.255.254, which is reserved (240/4).
    expect(classifyAddress('2001::a00:1')).toEqual(refused('a Teredo address wrapping 245.255.255.254, a reserved address'));
  });

  test('64:ff9b::/96 ends where its 96 bits do', () => {
    expect(classifyAddress('64:ff9b::1:a00:1')).toEqual(refused(RESERVED));
  });
});

test.each([
  ...['', 'example.com', 'localhost', '[::1]', '1::2::3', '::ffff:1.2.3', '8.8.8.8%eth0', '10.0.0.256'],
  // inet_aton's shorthands: not literals to net.isIP, so Node resolves them and what they resolve to is judged.
  ...['127.1', '0x7f000001', '2130706433', '010.0.0.1'],
])('%j is not an IP address', (address) => {
  expect(classifyAddress(address)).toEqual(refused('not an IP address'));
});

describe('refusedLiteral (before connecting to a literal)', () => {
  test.each([
    ['https://10.0.0.1/x', PRIVATE],
    ['https://[::1]:8443/x', 'a loopback address'],
    ['https://[fe80::1]/x', 'a link-local address'],
    ['https://[::ffff:127.0.0.1]/x', 'an IPv4-mapped address wrapping 127.0.0.1, a loopback address'],
    ['https://169.254.169.254/latest/meta-data/', METADATA],
    // The URL parser normalizes inet_aton's shorthands to dotted quads before anything else sees them.
    ['https://0x7f.1/x', 'a loopback address'],
    ['https://2130706433/x', 'a loopback address'],
  ])('%s is refused: %s', (url, reason) => {
    expect(refusedLiteral(new URL(url))).toEqual(refused(reason));
  });

  test.each(['https://93.184.216.34/x', 'https://[2606:2800:220:1::1]/x', 'https://internal.example/x', 'https://localhost/x'])(
    '%s is allowed (a public literal, or a name, which is checked when resolved)',
    (url) => {
      expect(refusedLiteral(new URL(url))).toEqual(allowed);
    },
  );
});

describe('checkUrlHost (on save)', () => {
  const hosts = {
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'internal.example': ['10.1.2.3'],
    'mixed.example': ['93.184.216.34', '10.0.0.5', '::1'],
    'mapped.example': ['::ffff:192.168.1.10'],
    'empty.example': [],
  };

  test.each([
    ['https://10.0.0.1/x', refused(PRIVATE), ['10.0.0.1']],
    ['https://[::1]:8443/x', refused('a loopback address'), ['::1']],
    ['https://[::ffff:10.0.0.1]/x', refused(`an IPv4-mapped address wrapping 10.0.0.1, ${PRIVATE}`), ['::ffff:a00:1']],
    ['https://93.184.216.34/x', allowed, ['93.184.216.34']],
    ['https://[2606:2800:220:1::1]/x', allowed, ['2606:2800:220:1::1']],
  ])('the literal %s is judged without resolving', async (url, verdict, addresses) => {
    const resolver = table(hosts);
    expect(await checkUrlHost(new URL(url), resolver)).toEqual({ ...verdict, addresses });
    expect(resolver.asked).toEqual([]);
  });

  test('a name resolving only to public addresses is allowed, with them', async () => {
    const resolver = table(hosts);
    expect(await checkUrlHost(new URL('https://public.example/hook'), resolver)).toEqual({
      allowed: true,
      addresses: ['93.184.216.34', '2606:2800:220:1::1'],
    });
    expect(resolver.asked).toEqual(['public.example']);
  });

  test('a name resolving to a private address is refused', async () => {
    expect(await checkUrlHost(new URL('https://internal.example/hook'), table(hosts))).toEqual({
      allowed: false,
      reason: `"internal.example" resolves to 10.1.2.3, ${PRIVATE}`,
      addresses: ['10.1.2.3'],
    });
  });

  test('a name resolving to a public and a private address is refused, naming the first refused one', async () => {
    expect(await checkUrlHost(new URL('https://mixed.example/hook'), table(hosts))).toEqual({
      allowed: false,
      reason: `"mixed.example" resolves to 10.0.0.5, ${PRIVATE}`,
      addresses: ['93.184.216.34', '10.0.0.5', '::1'],
    });
  });

  test('a name resolving to a wrapped private address is refused', async () => {
    expect(await checkUrlHost(new URL('https://mapped.example/hook'), table(hosts))).toEqual({
      allowed: false,
      reason: `"mapped.example" resolves to ::ffff:192.168.1.10, an IPv4-mapped address wrapping 192.168.1.10, ${PRIVATE}`,
      addresses: ['::ffff:192.168.1.10'],
    });
  });

  test('a name resolving to no address is allowed', async () => {
    expect(await checkUrlHost(new URL('https://empty.example/hook'), table(hosts))).toEqual({ allowed: true, addresses: [] });
  });

  test.each(['ENOTFOUND', 'ENODATA', 'EAI_AGAIN'])('a name that does not resolve (%s) is allowed: it may exist later', async (code) => {
    const resolver: Resolver = async (name) => {
      throw Object.assign(new Error(`getaddrinfo ${code} ${name}`), { code });
    };
    expect(await checkUrlHost(new URL('https://later.example/hook'), resolver)).toEqual({ allowed: true, addresses: [] });
  });

  test.each([
    ['ESERVFAIL', Object.assign(new Error('queryA ESERVFAIL later.example'), { code: 'ESERVFAIL' })],
    ['no code', new Error('resolver exploded')],
  ])('any other resolver failure (%s) propagates', async (_label, failure) => {
    const resolver: Resolver = async () => {
      throw failure;
    };
    await expect(checkUrlHost(new URL('https://later.example/hook'), resolver)).rejects.toBe(failure);
  });
});

describe('guardedLookup (on connect)', () => {
  type Outcome = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family: number | undefined };

  const hosts = {
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'v6only.example': ['2606:2800:220:1::1'],
    'rebound.example': ['127.0.0.1'],
    'mixed.example': ['93.184.216.34', 'fd00::1'],
    'empty.example': [],
  };

  /** Calls the lookup and waits a little past its callback, recording every call, to see that it came once. */
  async function lookUp(host: string, options: LookupOptions, resolver: Resolver = table(hosts)): Promise<Outcome> {
    const outcomes: Outcome[] = [];
    await new Promise<void>((resolve) =>
      guardedLookup(resolver)(host, options, (err, address, family) => {
        outcomes.push({ err, address, family });
        setImmediate(resolve);
      }),
    );
    expect(outcomes).toHaveLength(1);
    return outcomes[0]!;
  }

  test('all: true answers every address with its family', async () => {
    expect(await lookUp('public.example', { all: true })).toEqual({
      err: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
      family: undefined,
    });
  });

  test('all: false answers the first address and its family', async () => {
    expect(await lookUp('public.example', { all: false })).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    expect(await lookUp('public.example', {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
  });

  test.each([
    [{ all: true, family: 4 }, [{ address: '93.184.216.34', family: 4 }], undefined],
    [{ all: true, family: 'IPv6' as const }, [{ address: '2606:2800:220:1::1', family: 6 }], undefined],
    [{ all: false, family: 6 }, '2606:2800:220:1::1', 6],
    [{ all: false, family: 0 }, '93.184.216.34', 4],
  ])('a requested family %j narrows the answer', async (options, address, family) => {
    expect(await lookUp('public.example', options)).toEqual({ err: null, address, family });
  });

  test('a name with no address of the requested family fails with ENOTFOUND', async () => {
    const { err, address } = await lookUp('v6only.example', { all: false, family: 4 });
    expect([err?.code, err?.message, address]).toEqual(['ENOTFOUND', 'getaddrinfo ENOTFOUND v6only.example', '']);
  });

  test('a name resolving to no address fails with ENOTFOUND', async () => {
    const { err } = await lookUp('empty.example', { all: true });
    expect([err?.code, err?.message]).toEqual(['ENOTFOUND', 'getaddrinfo ENOTFOUND empty.example']);
  });

  test.each([true, false])('a name re-pointed at loopback is refused with EADDRNOTALLOWED (all: %s)', async (all) => {
    const { err, address } = await lookUp('rebound.example', { all });
    expect(err).toBeInstanceOf(Error);
    expect([err?.code, err?.message, address]).toEqual([
      'EADDRNOTALLOWED',
      'refusing to connect to rebound.example: it resolves to 127.0.0.1, a loopback address',
      '',
    ]);
  });

  test('any refused address refuses the name, even one of a family that was not asked for', async () => {
    const { err } = await lookUp('mixed.example', { all: false, family: 4 });
    expect([err?.code, err?.message]).toEqual([
      'EADDRNOTALLOWED',
      'refusing to connect to mixed.example: it resolves to fd00::1, an IPv6 unique-local address',
    ]);
  });

  test('a resolver failure is passed on as it is', async () => {
    const failure = Object.assign(new Error('getaddrinfo EAI_AGAIN slow.example'), { code: 'EAI_AGAIN' });
    const resolver: Resolver = async () => {
      throw failure;
    };
    expect((await lookUp('slow.example', { all: true }, resolver)).err).toBe(failure);
  });

  test('an http.Agent using it refuses before connecting (Node calls it as it calls dns.lookup)', async () => {
    const agent = new http.Agent({ lookup: guardedLookup(table(hosts)) });
    const err = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      http.get('http://rebound.example:9/hook', { agent }, () => reject(new Error('connected'))).on('error', resolve);
    });
    agent.destroy();
    expect([err.code, err.message]).toEqual([
      'EADDRNOTALLOWED',
      'refusing to connect to rebound.example: it resolves to 127.0.0.1, a loopback address',
    ]);
  });
});

test('systemResolver answers every address of a name (localhost, from the hosts file)', async () => {
  const addresses = await systemResolver('localhost');
  expect(addresses.length).toBeGreaterThan(0);
  expect(addresses.map(classifyAddress)).toEqual(addresses.map(() => refused('a loopback address')));
});
