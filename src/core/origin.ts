// URL origins: the API key is stored and sent per origin, so every comparison goes through here.

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url.trim());
  } catch {
    return undefined;
  }
}

/** `scheme://host[:port]`, lower-case, default port dropped; undefined when unparsable or host-less. */
export function originOf(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (!parsed || !parsed.host) return undefined;
  // URL already lower-cases scheme and host and drops the scheme's default port.
  return `${parsed.protocol}//${parsed.host}`;
}

/** `host[:port]` for messages and errors; the input itself when it cannot be parsed. */
export function hostOf(url: string): string {
  const parsed = parseUrl(url);
  return parsed && parsed.host ? parsed.host : url;
}

function isIpv4Loopback(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4) return false;
  if (!parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return false;
  return parts[0] === '127';
}

/** localhost, *.localhost, 127.0.0.0/8, ::1 (bracketed or not, IPv4-mapped too); a `:port` suffix is ignored. */
export function isLoopbackHost(hostname: string): boolean {
  let host = hostname.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(host);
  if (bracketed) {
    host = bracketed[1];
  } else if ((host.match(/:/g) ?? []).length === 1) {
    host = host.slice(0, host.indexOf(':'));
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIpv4Loopback(host)) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^(?:0:0:0:0:0|:):ffff:(.+)$/.exec(host);
  if (mapped) {
    if (isIpv4Loopback(mapped[1])) return true;
    // URL normalises ::ffff:127.0.0.1 to ::ffff:7f00:1.
    return /^7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(mapped[1]);
  }
  return false;
}

/** Plain http to anything but this machine sends the key in clear text: ask once. */
export function needsInsecureConfirmation(baseUrl: string): boolean {
  const parsed = parseUrl(baseUrl);
  if (!parsed) return false;
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

/**
 * An absolute http(s) URL with a host. URLs carrying `user:password@` are refused: the credentials
 * would end up in logs and in every request.
 */
export function isValidBaseUrl(url: string): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (!parsed.hostname) return false;
  return parsed.username === '' && parsed.password === '';
}

/** Why a base URL cannot be used: not an absolute http(s) URL, or it carries `user:password@`. */
export function baseUrlProblem(url: string): 'invalid' | 'credentials' | undefined {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname)
    return 'invalid';
  return parsed.username !== '' || parsed.password !== '' ? 'credentials' : undefined;
}

/** A base URL without surrounding spaces or trailing slashes, ready for `${base}/path`. */
export function trimTrailingSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
