/**
 * The SSRF guard for webhook URLs: which addresses auditdrain refuses to connect to (loopback, private, link-local,
 * carrier-grade NAT, cloud metadata, IPv6 unique-local, multicast, reserved, and IPv4 addresses of those kinds
 * wrapped in IPv6), checked when a URL is saved and again on every connection, so a name re-pointed at a private
 * address after it was saved (DNS rebinding) is still refused.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** All addresses a name resolves to. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * ipaddr.js's range names → why the address is refused; anything else (`unicast`, and the wrapping ranges judged
 * by what they wrap) is allowed. ipaddr.js files documentation, benchmarking and future-use space under `reserved`.
 */
const IPV4_REFUSED: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address (RFC 1918)',
  reserved: 'a reserved address',
  as112: 'a reserved address',
  amt: 'a reserved address',
};

const IPV6_REFUSED: Record<string, string> = {
  unspecified: 'an unspecified address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  loopback: 'a loopback address',
  uniqueLocal: 'an IPv6 unique-local address',
  reserved: 'a reserved address',
  benchmarking: 'a reserved address',
  discard: 'a reserved address',
  deprecated: 'a reserved address',
  orchid2: 'a reserved address',
  droneRemoteIdProtocolEntityTags: 'a reserved address',
};

/** Cloud metadata endpoints (AWS, GCP, Azure, …; AWS's IPv6 one). */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254']);

function classifyV4(address: ipaddr.IPv4): AddressVerdict {
  if (METADATA.has(address.toString())) return { allowed: false, reason: 'a cloud metadata address' };
  const named = IPV4_REFUSED[address.range()];
  return named ? { allowed: false, reason: named } : { allowed: true };
}

/** The IPv4 address an IPv6 address carries, and how it is wrapped; null when it carries none. */
function embeddedV4(address: ipaddr.IPv6): { v4: ipaddr.IPv4; wrapping: string } | null {
  const bytes = address.toByteArray();
  const v4 = (offset: number, xor = 0) => new ipaddr.IPv4(bytes.slice(offset, offset + 4).map((b) => b ^ xor));
  if (address.isIPv4MappedAddress()) return { v4: address.toIPv4Address(), wrapping: 'an IPv4-mapped address' };
  if (address.match(ipaddr.IPv6.parse('64:ff9b::'), 96)) return { v4: v4(12), wrapping: 'a NAT64 address' };
  if (address.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return { v4: v4(12), wrapping: 'a NAT64 address' };
  if (address.match(ipaddr.IPv6.parse('2002::'), 16)) return { v4: v4(2), wrapping: 'a 6to4 address' };
  // Teredo carries the client's IPv4 address in the last 32 bits, every bit inverted (RFC 4380).
  if (address.match(ipaddr.IPv6.parse('2001::'), 32)) return { v4: v4(12, 0xff), wrapping: 'a Teredo address' };
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits are zero.
  if (bytes.slice(0, 12).every((b) => b === 0) && !bytes.slice(12, 14).every((b) => b === 0)) {
    return { v4: v4(12), wrapping: 'an IPv4-compatible address' };
  }
  return null;
}

export function classifyAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: 'not an IP address' };
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return classifyV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  if (METADATA.has(v6.toString())) return { allowed: false, reason: 'a cloud metadata address' };
  const wrapped = embeddedV4(v6);
  if (wrapped) {
    const inner = classifyV4(wrapped.v4);
    return inner.allowed ? inner : { allowed: false, reason: `${wrapped.wrapping} wrapping ${wrapped.v4.toString()}, ${inner.reason}` };
  }
  const named = IPV6_REFUSED[v6.range()];
  return named ? { allowed: false, reason: named } : { allowed: true };
}

/** `[::1]` → `::1`. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** A URL whose host is an IP literal, checked (names are allowed here: they are checked when resolved). */
export function refusedLiteral(url: URL): AddressVerdict {
  const host = hostOf(url);
  return net.isIP(host) ? classifyAddress(host) : { allowed: true };
}

const NOT_RESOLVING = new Set(['ENOTFOUND', 'ENODATA', 'EAI_AGAIN', 'EAI_NONAME']);

/**
 * Checks a URL's host when it is saved: a literal directly, a name by resolving it. Every address must be allowed.
 * A name that does not resolve (yet) is allowed: it is checked again on every connection.
 */
export async function checkUrlHost(url: URL, resolver: Resolver): Promise<AddressVerdict & { addresses: string[] }> {
  const host = hostOf(url);
  if (net.isIP(host)) return { ...classifyAddress(host), addresses: [host] };
  let addresses: string[];
  try {
    addresses = await resolver(host);
  } catch (err) {
    if (NOT_RESOLVING.has((err as NodeJS.ErrnoException).code ?? '')) return { allowed: true, addresses: [] };
    throw err;
  }
  for (const address of addresses) {
    const verdict = classifyAddress(address);
    if (!verdict.allowed) return { allowed: false, reason: `"${host}" resolves to ${address}, ${verdict.reason}`, addresses };
  }
  return { allowed: true, addresses };
}

/**
 * A `lookup` for http(s).Agent that resolves with `resolver` and refuses (error code `EADDRNOTALLOWED`) when any
 * address is refused. Node does not call it for IP literals: check those with `refusedLiteral`.
 */
export function guardedLookup(resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const verdict = classifyAddress(address);
          if (!verdict.allowed) {
            const err = Object.assign(new Error(`refusing to connect to ${hostname}: it resolves to ${address}, ${verdict.reason}`), {
              code: 'EADDRNOTALLOWED',
            });
            callback(err, '', 0);
            return;
          }
        }
        const entries = addresses.map((address) => ({ address, family: net.isIP(address) }));
        if (entries.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, entries);
        } else {
          callback(null, entries[0]!.address, entries[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
