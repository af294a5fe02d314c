// Which hosts an image download may reach: a provider on the public internet must not be able to
// make the extension fetch from this machine or its network (PRODUCT.md §10).
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';

/** Resolves a host name to its addresses (dns.lookup with `all` in the extension, fakes in tests). */
export type AddressResolver = (hostname: string) => Promise<string[]>;

/** The machine's own name resolution (dns.lookup, as the HTTP request itself will use). */
export const systemResolver: AddressResolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function ipv4Private(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

function ipv6Private(address: string): boolean {
  const a = address
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .split('%')[0];
  if (a === '::' || a === '::1') return true;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return ipv4Private(mapped[1]);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return ipv4Private(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(a.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}

/** Loopback, link-local, private (RFC 1918, unique local), CGNAT, unspecified or multicast. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]);
  if (family === 4) return ipv4Private(bare);
  if (family === 6) return ipv6Private(bare);
  return false;
}

/**
 * Whether a host is on such an address: IP literals and `localhost` by their form, names by every
 * address they resolve to (one private address is enough). A name that does not resolve is not
 * private: the request itself will then fail as a network error.
 */
export async function isPrivateHost(hostname: string, resolve: AddressResolver): Promise<boolean> {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host.split('%')[0])) return isPrivateAddress(host);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return false;
  }
  return addresses.some(isPrivateAddress);
}

/**
 * The check downloads of one generation go through: anything goes when the API itself is on a
 * private address (a local or LAN provider serves its images from there too); otherwise URLs on
 * private addresses are refused. The API's own answer is looked up once.
 */
export function downloadGuard(baseUrl: string, resolve: AddressResolver): (url: URL) => Promise<boolean> {
  let apiPrivate: Promise<boolean> | undefined;
  return async (url) => {
    apiPrivate ??= (async () => {
      try {
        return await isPrivateHost(new URL(baseUrl).hostname, resolve);
      } catch {
        return false;
      }
    })();
    if (await apiPrivate) return true;
    return !(await isPrivateHost(url.hostname, resolve));
  };
}
