/**
 * The SSRF guard for webhook URLs: which addresses auditdrain refuses to connect to (loopback, private, link-local,
 * carrier-grade NAT, cloud metadata, IPv6 unique-local, multicast, reserved, and IPv4 addresses of those kinds
 * wrapped in IPv6), checked when a URL is saved and again on every connection, so a name re-pointed at a private
 * address after it was saved (DNS rebinding) is still refused. Callers skip it when AUDITDRAIN_ALLOW_PRIVATE_NETWORK
 * is true, and the sender does not follow redirects, so a public receiver cannot bounce a delivery inside.
 */
import dns from 'node:dns';
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** All addresses a name resolves to. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * ipaddr.js's range names → why an address in them is refused. The ranges not listed are `unicast`, the globally
 * reachable anycast ranges (`as112`, `amt`), and the IPv6 ranges that wrap an IPv4 address, which are judged by the
 * address they wrap. ipaddr.js files documentation (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32),
 * benchmarking (198.18/15), IETF protocol assignments (192.0.0/24, 2001::/23) and future use (240/4) under `reserved`.
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
};

const IPV6_REFUSED: Record<string, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  uniqueLocal: 'an IPv6 unique-local address',
  discard: 'a discard-only address',
  reserved: 'a reserved address',
  benchmarking: 'a reserved address',
  deprecated: 'a reserved address',
  orchid2: 'a reserved address',
  droneRemoteIdProtocolEntityTags: 'a reserved address',
};

const METADATA = 'a cloud metadata address';

/**
 * Cloud metadata endpoints, named because they hand out credentials: AWS, GCP, Azure and OpenStack share
 * 169.254.169.254; 169.254.170.2 is AWS ECS's task endpoint; 100.100.100.200 is Alibaba Cloud's.
 */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);
/** AWS's IPv6 metadata endpoint (inside fc00::/7, so it would otherwise be called unique-local). */
const METADATA_V6 = ipaddr.IPv6.parse('fd00:ec2::254');

const NAT64 = ipaddr.IPv6.parse('64:ff9b::');
const NAT64_LOCAL = ipaddr.IPv6.parse('64:ff9b:1::');
const SIX_TO_FOUR = ipaddr.IPv6.parse('2002::');
const TEREDO = ipaddr.IPv6.parse('2001::');
const GLOBAL_UNICAST = ipaddr.IPv6.parse('2000::');

function classifyV4(address: ipaddr.IPv4): AddressVerdict {
  if (METADATA_V4.has(address.toString())) return { allowed: false, reason: METADATA };
  const reason = IPV4_REFUSED[address.range()];
  return reason ? { allowed: false, reason } : { allowed: true };
}

/** The IPv4 address an IPv6 address carries, and how it is wrapped; null when it carries none. */
function embeddedV4(address: ipaddr.IPv6): { v4: ipaddr.IPv4; wrapping: string } | null {
  const bytes = address.toByteArray();
  const v4At = (offset: number, xor = 0) => new ipaddr.IPv4(bytes.slice(offset, offset + 4).map((b) => b ^ xor));
  const last32 = v4At(12);
  if (address.range() === 'ipv4Mapped') return { v4: last32, wrapping: 'an IPv4-mapped address' };
  // SIIT (RFC 6145), ::ffff:0:a.b.c.d.
  if (address.range() === 'rfc6145') return { v4: last32, wrapping: 'an IPv4-translated address' };
  if (address.match(NAT64, 96) || address.match(NAT64_LOCAL, 48)) return { v4: last32, wrapping: 'a NAT64 address' };
  if (address.match(SIX_TO_FOUR, 16)) return { v4: v4At(2), wrapping: 'a 6to4 address' };
  // Teredo (RFC 4380) stores the client's IPv4 address with every bit inverted, so that NATs rewriting IPv4
  // addresses they find in packet payloads leave it alone; inverting again recovers it.
  if (address.match(TEREDO, 32)) return { v4: v4At(12, 0xff), wrapping: 'a Teredo address' };
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits are zero. :: and ::1 were refused before this is asked.
  if (bytes.slice(0, 12).every((b) => b === 0)) return { v4: last32, wrapping: 'an IPv4-compatible address' };
  return null;
}

function classifyV6(address: ipaddr.IPv6): AddressVerdict {
  if (address.match(METADATA_V6, 128)) return { allowed: false, reason: METADATA };
  const reason = IPV6_REFUSED[address.range()];
  if (reason) return { allowed: false, reason };
  const wrapped = embeddedV4(address);
  if (wrapped) {
    const inner = classifyV4(wrapped.v4);
    return inner.allowed ? inner : { allowed: false, reason: `${wrapped.wrapping} wrapping ${wrapped.v4.toString()}, ${inner.reason}` };
  }
  // Global unicast is 2000::/3; the rest of the space that is neither named above nor a wrapping is unassigned or
  // retired (site-local fec0::/10 was the old private range), so it is refused rather than trusted.
  return address.match(GLOBAL_UNICAST, 3) ? { allowed: true } : { allowed: false, reason: 'a reserved address' };
}

/**
 * Parses an IPv6 address net.isIP accepted. The zone goes first: ipaddr.js rejects characters Linux allows in
 * interface names (`%br-1`). A dotted IPv4 tail becomes two hex groups first: ipaddr.js reads `::a.b.c.d` as
 * `::ffff:a.b.c.d`, a different address.
 */
function parseV6(address: string): ipaddr.IPv6 {
  const group = (high: string, low: string) => ((Number(high) << 8) | Number(low)).toString(16);
  const hex = address
    .replace(/%.*$/, '')
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) => `${group(a, b)}:${group(c, d)}`);
  return ipaddr.IPv6.parse(hex);
}

/** Judges an IPv4 or IPv6 address in standard notation; an IPv6 zone (`%eth0`) does not change the verdict. */
export function classifyAddress(address: string): AddressVerdict {
  // net.isIP, not ipaddr.isValid, which also accepts inet_aton's shorthands (`127.1`, `0x7f000001`).
  switch (net.isIP(address)) {
    case 4:
      return classifyV4(ipaddr.IPv4.parse(address));
    case 6:
      return classifyV6(parseV6(address));
    default:
      return { allowed: false, reason: 'not an IP address' };
  }
}

/** `[::1]` → `::1`. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A URL whose host is an IP literal, checked (names are allowed here: they are checked when resolved). Node does not
 * call an Agent's `lookup` for literals, so the sender asks this before connecting.
 */
export function refusedLiteral(url: URL): AddressVerdict {
  const host = hostOf(url);
  return net.isIP(host) ? classifyAddress(host) : { allowed: true };
}

/** Resolver error codes that mean the name has no address (yet), as opposed to the resolver failing. */
const NOT_RESOLVING = new Set(['ENOTFOUND', 'ENODATA', 'EAI_AGAIN']);

/**
 * Checks a URL's host when it is saved: a literal directly, a name by resolving it; every address must be allowed.
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

function lookupError(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** dns.lookup's `family` option as 4, 6, or 0 for either. */
function familyOf(family: number | 'IPv4' | 'IPv6' | undefined): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}

/**
 * A `lookup` for http(s).Agent that resolves with `resolver` and refuses (error code `EADDRNOTALLOWED`) when any
 * address the name resolves to is refused, whichever family was asked for, so a name that also has one private
 * address cannot be used. Node does not call it for IP literals: check those with `refusedLiteral`.
 */
export function guardedLookup(resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const verdict = classifyAddress(address);
          if (!verdict.allowed) {
            const message = `refusing to connect to ${hostname}: it resolves to ${address}, ${verdict.reason}`;
            callback(lookupError(message, 'EADDRNOTALLOWED'), '', 0);
            return;
          }
        }
        const family = familyOf(options.family);
        const entries: LookupAddress[] = addresses
          .map((address) => ({ address, family: net.isIP(address) }))
          .filter((entry) => family === 0 || entry.family === family);
        const first = entries[0];
        if (!first) callback(lookupError(`getaddrinfo ENOTFOUND ${hostname}`, 'ENOTFOUND'), '', 0);
        else if (options.all) callback(null, entries);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
