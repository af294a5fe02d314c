// The download seam: image bytes from a URL (no credentials, size-limited, sniffed) or from base64.
import { decodedLength, normalizeBase64 } from './base64';
import { SNIFF_BYTES, sniffImageType } from './imageType';
import { hostOf } from './origin';
import { redactSecrets } from './redact';
import { excerpt } from './response';
import {
  AbortScope,
  REDIRECT_STATUSES,
  callFetch,
  discardBody,
  networkCause,
  raceAbort,
  readLimited,
  type FetchLike,
  type FetchResponseLike,
  type LogFn,
} from './transport';
import type { DownloadProblem, ImageGenError, ImageType, Result } from './types';
import { err, ok } from './types';

/** Redirect hops a download may take. */
const MAX_DOWNLOAD_REDIRECTS = 5;

export interface DownloadOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  log?: LogFn;
  /**
   * Asked before every request (the URL and each redirect target): false refuses the download
   * ('privateAddress'). With a guard, redirects are followed here, one checked hop at a time.
   */
  mayFetch?: (url: URL) => Promise<boolean>;
}

type DownloadResult = Result<{ bytes: Uint8Array; type: ImageType }>;

function downloadError(
  host: string,
  downloadProblem: DownloadProblem,
  extra: Partial<ImageGenError> = {},
): DownloadResult {
  return err({ kind: 'download', host, downloadProblem, ...extra });
}

function isRedirectFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { type?: unknown; message?: unknown };
  // node-fetch v2: FetchError type 'max-redirect' / 'no-redirect' / 'invalid-redirect'.
  if (typeof e.type === 'string' && e.type.includes('redirect')) return true;
  return typeof e.message === 'string' && /redirect/i.test(e.message);
}

/**
 * Fetches an image without any credentials: redirects followed (at most 5; a loop is problem
 * 'redirect'; with `mayFetch` every hop is checked first, refused ones are 'privateAddress'), Content-Length over `maxBytes` refused before reading, the stream cut as soon
 * as more than `maxBytes` arrive ('tooLarge'), non-2xx 'httpStatus' (status kept), bytes that are not
 * PNG/JPEG/WebP/GIF 'notImage' (decided from the first 12 bytes, without reading the rest),
 * failures 'network' (with cause), the timeout (headers and body) 'timeout'; all as
 * `{kind:'download', host, downloadProblem}`. The caller's abort gives `{kind:'cancelled'}`.
 * A `data:image/…;base64,` URL is decoded instead of fetched.
 */
export async function downloadImage(
  fetch: FetchLike,
  url: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  if (/^\s*data:/i.test(url)) return decodeB64Image(url, 'data', options.maxBytes);
  const host = hostOf(url);
  const log = (level: Parameters<LogFn>[0], message: string): void =>
    options.log?.(level, redactSecrets(message, []));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return downloadError(host, 'network', { cause: 'invalidUrl' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return downloadError(host, 'network', { cause: 'unsupportedScheme' });
  }
  if (options.signal?.aborted) return err({ kind: 'cancelled', host });

  const scope = new AbortScope(options.signal, options.timeoutMs);
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const timeoutExtra = { timeoutSeconds: options.timeoutMs / 1000 };
  try {
    let response: FetchResponseLike;
    let current = parsed;
    for (let hop = 0; ; hop++) {
      if (
        options.mayFetch &&
        !(await raceAbort(options.mayFetch(current), scope.signal).catch(() => false))
      ) {
        if (scope.cancelled) return err({ kind: 'cancelled', host });
        log('warn', `GET ${current.href} refused: a private or loopback address, and the API is not on one`);
        return downloadError(hostOf(current.href), 'privateAddress');
      }
      try {
        response = await raceAbort(
          callFetch(fetch, current.href, {
            method: 'GET',
            headers: { Accept: 'image/png,image/jpeg,image/webp,image/gif,image/*;q=0.8,*/*;q=0.5' },
            redirect: options.mayFetch ? 'manual' : 'follow',
            follow: options.mayFetch ? 0 : MAX_DOWNLOAD_REDIRECTS,
            signal: scope.signal,
            compress: true,
          }),
          scope.signal,
        );
      } catch (error) {
        if (scope.cancelled) return err({ kind: 'cancelled', host });
        if (scope.timedOut) {
          log('warn', `GET ${url} timed out after ${elapsed()} ms`);
          return downloadError(host, 'timeout', timeoutExtra);
        }
        const cause = networkCause(error);
        log('warn', `GET ${url} failed after ${elapsed()} ms: ${cause}`);
        return downloadError(host, isRedirectFailure(error) ? 'redirect' : 'network', { cause });
      }
      if (!options.mayFetch || !REDIRECT_STATUSES.has(response.status)) break;
      discardBody(response);
      const location = response.headers.get('location');
      let next: URL | undefined;
      try {
        next = location ? new URL(location, current.href) : undefined;
      } catch {
        next = undefined;
      }
      if (
        !next ||
        (next.protocol !== 'http:' && next.protocol !== 'https:') ||
        hop >= MAX_DOWNLOAD_REDIRECTS
      ) {
        log('warn', `GET ${url}: stopped following redirects after ${hop + 1} hop(s)`);
        return downloadError(host, 'redirect', { status: response.status });
      }
      current = next;
    }

    const { status } = response;
    log(status >= 200 && status <= 299 ? 'info' : 'warn', `GET ${url} → ${status} in ${elapsed()} ms`);
    if (status < 200 || status > 299) {
      discardBody(response);
      return downloadError(host, REDIRECT_STATUSES.has(status) ? 'redirect' : 'httpStatus', { status });
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      discardBody(response);
      return downloadError(host, 'tooLarge', { status });
    }
    if (!response.body) return downloadError(host, 'notImage', { status });

    const outcome = await readLimited(response.body, options.maxBytes, scope.signal, {
      bytes: SNIFF_BYTES,
      accept: (head) => sniffImageType(head) !== undefined,
    });
    switch (outcome.type) {
      case 'aborted':
        if (scope.cancelled) return err({ kind: 'cancelled', host });
        log('warn', `GET ${url}: body timed out after ${elapsed()} ms`);
        return downloadError(host, 'timeout', { status, ...timeoutExtra });
      case 'error':
        if (scope.cancelled) return err({ kind: 'cancelled', host });
        if (scope.timedOut) return downloadError(host, 'timeout', { status, ...timeoutExtra });
        return downloadError(host, 'network', { status, cause: networkCause(outcome.error) });
      case 'tooLarge':
        return downloadError(host, 'tooLarge', { status });
      case 'refused':
        return downloadError(host, 'notImage', { status });
      case 'done': {
        const type = sniffImageType(outcome.bytes);
        if (!type) return downloadError(host, 'notImage', { status });
        log('debug', `GET ${url}: ${outcome.bytes.length} bytes of ${type.mime} in ${elapsed()} ms`);
        return ok({ bytes: outcome.bytes, type });
      }
    }
  } finally {
    scope.dispose();
  }
}

/**
 * Decodes `b64_json` (a `data:image/…;base64,` prefix and white space tolerated): invalid base64 is
 * `badResponse`; more than `maxBytes` decoded is download/'tooLarge' (checked before decoding);
 * bytes that are not an image are download/'notImage'.
 */
export function decodeB64Image(b64: string, host: string, maxBytes: number): DownloadResult {
  const normalized = normalizeBase64(b64);
  if (!normalized)
    return err({ kind: 'badResponse', host, cause: 'badBase64', bodyExcerpt: excerpt(b64, 100) });
  if (decodedLength(normalized) > maxBytes) return downloadError(host, 'tooLarge');
  const bytes = new Uint8Array(Buffer.from(normalized, 'base64'));
  const type = sniffImageType(bytes);
  if (!type) return downloadError(host, 'notImage');
  return ok({ bytes, type });
}
