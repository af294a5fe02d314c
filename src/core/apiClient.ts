// HTTP client for the image API over an injected fetch (node-fetch v2 in the extension, fakes in tests).
// Security: the key goes only to the base URL's origin; API redirects are followed here, same-origin only.
import { decodedLength, normalizeBase64 } from './base64';
import { buildEditForm, type EditRequest } from './editRequest';
import { SNIFF_BYTES, sniffImageType } from './imageType';
import { buildMultipart } from './multipart';
import { hostOf, originOf } from './origin';
import { redactSecrets } from './redact';
import { buildRequestBody } from './request';
import { classifyHttpError, excerpt, parseGenerationResponse, parseModelList } from './response';
import { abortError, isRetryableStatus, parseRetryAfter, retryDelay, sleep as defaultSleep } from './retry';
import type {
  DownloadProblem,
  GenerationRequest,
  GenerationResponse,
  ImageGenError,
  ImageType,
  Result,
} from './types';
import { err, ok } from './types';

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  redirect?: 'manual' | 'follow' | 'error';
  follow?: number;
  signal?: AbortSignal;
  compress?: boolean;
}

export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: NodeJS.ReadableStream | null;
  text(): Promise<string>;
}

/**
 * The transport. A connection lost mid-body must make `text()` reject and `body` emit 'error';
 * plain node-fetch v2 does neither for Content-Length bodies (it only pipes 'end'), so its adapter
 * has to forward the loss, or such failures surface as `timeout` instead of `unavailable`.
 */
export type FetchLike = (url: string, init?: FetchInit) => Promise<FetchResponseLike>;

export type LogFn = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface ApiClientOptions {
  fetch: FetchLike;
  baseUrl: string;
  apiKey: string;
  /** Per attempt, covering the response headers and the whole body; 0 or less = none. */
  timeoutMs: number;
  maxRetries: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  log?: LogFn;
  userAgent?: string;
}

/** Same-origin redirects the client follows itself per attempt. */
export const MAX_API_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Failures before any response that are worth another try. */
const RETRYABLE_NETWORK_CAUSES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'socket hang up',
]);

/** The low-level reason of a fetch or stream failure, for logs and `ImageGenError.cause`. */
export function networkCause(error: unknown, depth = 0): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as {
      code?: unknown;
      errno?: unknown;
      message?: unknown;
      name?: unknown;
      cause?: unknown;
    };
    if (typeof e.code === 'string' && e.code) return e.code;
    if (typeof e.errno === 'string' && e.errno) return e.errno;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/socket hang up/i.test(message)) return 'socket hang up';
    const code = /\b(E[A-Z][A-Z0-9_]{2,})\b/.exec(message);
    if (code) return code[1];
    if (e.cause !== undefined && depth < 3) return networkCause(e.cause, depth + 1);
    if (message) return excerpt(message, 200);
    if (typeof e.name === 'string' && e.name) return e.name;
  }
  return excerpt(String(error), 200);
}

export function isRetryableNetworkCause(cause: string): boolean {
  return RETRYABLE_NETWORK_CAUSES.has(cause);
}

/**
 * One signal that aborts when any of the given ones does; `dispose` drops the listeners.
 * Forwards the events by hand by default: on Node 20 (VS Code's extension host) `AbortSignal.any`
 * retains memory per call when a source signal is long-lived (nodejs/node#48951) and was 3× slower
 * per request in a micro-benchmark. `preferNative` uses `AbortSignal.any` where the runtime has it.
 */
export function linkSignals(
  signals: ReadonlyArray<AbortSignal | undefined>,
  preferNative = false,
): { signal: AbortSignal; dispose(): void } {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (preferNative && typeof any === 'function') {
    return { signal: any.call(AbortSignal, present), dispose: () => undefined };
  }
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  for (const s of present) {
    if (s.aborted) {
      controller.abort();
      break;
    }
    s.addEventListener('abort', abort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => present.forEach((s) => s.removeEventListener('abort', abort)),
  };
}

/** The caller's signal plus a timeout, for one attempt (headers and body). */
class AbortScope {
  readonly signal: AbortSignal;
  private timedOutFlag = false;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly link: { signal: AbortSignal; dispose(): void };

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    const timeout = new AbortController();
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOutFlag = true;
        timeout.abort();
      }, timeoutMs);
    }
    this.link = linkSignals([callerSignal, timeout.signal]);
    this.signal = this.link.signal;
  }

  /** The caller aborted: this always wins over every other outcome. */
  get cancelled(): boolean {
    return this.callerSignal?.aborted === true;
  }

  get timedOut(): boolean {
    return this.timedOutFlag && !this.cancelled;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.link.dispose();
  }
}

/** Settles like `promise`, or rejects with an AbortError as soon as `signal` aborts (fakes and stuck bodies may ignore it). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Calls fetch so that a synchronous throw becomes a rejection. */
function callFetch(fetch: FetchLike, url: string, init: FetchInit): Promise<FetchResponseLike> {
  try {
    return Promise.resolve(fetch(url, init));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Stops a body nobody will read, so the socket is released. */
function discardBody(response: FetchResponseLike): void {
  const body = response.body as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
  if (!body) return;
  try {
    body.on('error', () => undefined);
    if (typeof body.destroy === 'function') body.destroy();
    else body.resume();
  } catch {
    // Already closed.
  }
}

function trimTrailingSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

interface RequestBody {
  data: string | Uint8Array;
  contentType: string;
}

type Exchange =
  | { type: 'cancelled' }
  | { type: 'timeout' }
  | { type: 'failed'; error: ImageGenError }
  | { type: 'network'; cause: string }
  | {
      type: 'response';
      status: number;
      headers: FetchResponseLike['headers'];
      text: string;
      /** Set when reading the body failed (not by abort or timeout). */
      readError?: string;
      url: string;
    };

/**
 * Talks to `POST {baseUrl}/images/generations` and `GET {baseUrl}/models`.
 * - Redirects: `redirect: 'manual'`; a same-origin Location is followed here (at most 5 hops, same
 *   method and body); any other origin is refused (`badResponse`, cause `crossOriginRedirect`) so the
 *   key never leaves its origin.
 * - Timeout per attempt over headers and body → `timeout`, never retried (generation is paid).
 * - Caller abort → `cancelled`, whatever else happened, also during a retry wait.
 * - Retries (generate only, up to maxRetries): 408/429/500/502/503/504 and connection failures
 *   before any response, waiting `retryDelay` (Retry-After honoured, > 120 s = give up). Never after
 *   a successful status began its body: a failing body read is `unavailable` with the cause. (An
 *   error status whose body fails to read is judged by its status alone.)
 * - Every attempt is logged (method, URL, status, ms) with the key and key-like text redacted.
 */
export class ImageApiClient {
  private readonly fetch: FetchLike;
  private readonly base: string;
  private readonly host: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly logFn: LogFn | undefined;
  private readonly userAgent: string | undefined;

  constructor(options: ApiClientOptions) {
    this.fetch = options.fetch;
    this.base = trimTrailingSlashes(options.baseUrl);
    this.host = hostOf(this.base);
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
    this.maxRetries = Number.isFinite(options.maxRetries) ? Math.max(0, Math.floor(options.maxRetries)) : 0;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.logFn = options.log;
    this.userAgent = options.userAgent;
  }

  async generate(req: GenerationRequest, signal?: AbortSignal): Promise<Result<GenerationResponse>> {
    const result = await this.generateOnce(req, signal);
    // Whatever failed, a cancelled run reports only that it was cancelled.
    if (!result.ok && signal?.aborted) return err(this.cancelled());
    return result.ok ? result : err(this.scrubbed(result.error));
  }

  /**
   * `POST {baseUrl}/images/edits` as multipart/form-data, with every rule of `generate` (retries,
   * redirects, key). A 400 or 404 carries cause `editsUnsupported`: many providers and models
   * cannot edit, and the provider's own message says which.
   */
  async edit(req: EditRequest, signal?: AbortSignal): Promise<Result<GenerationResponse>> {
    if (signal?.aborted) return err(this.cancelled());
    const form = buildMultipart(buildEditForm(req));
    const result = await this.postForImages(
      '/images/edits',
      { data: form.body, contentType: form.contentType },
      signal,
    );
    if (!result.ok && signal?.aborted) return err(this.cancelled());
    if (result.ok) return result;
    const error = this.scrubbed(result.error);
    if (error.kind === 'badRequest' || error.kind === 'notFound') error.cause = 'editsUnsupported';
    return err(error);
  }

  async listModels(signal?: AbortSignal): Promise<Result<string[]>> {
    const result = await this.listModelsOnce(signal);
    return result.ok ? result : err(this.scrubbed(result.error));
  }

  /** A provider may quote the key back (`Incorrect API key provided: …`); its words reach messages and logs. */
  private scrubbed(error: ImageGenError): ImageGenError {
    const scrubbed = { ...error };
    if (error.providerMessage !== undefined)
      scrubbed.providerMessage = redactSecrets(error.providerMessage, [this.apiKey]);
    if (error.bodyExcerpt !== undefined)
      scrubbed.bodyExcerpt = redactSecrets(error.bodyExcerpt, [this.apiKey]);
    return scrubbed;
  }

  private async listModelsOnce(signal: AbortSignal | undefined): Promise<Result<string[]>> {
    if (signal?.aborted) return err(this.cancelled());
    const outcome = await this.exchange('GET', `${this.base}/models`, undefined, signal, 'models');
    if (signal?.aborted) return err(this.cancelled());
    switch (outcome.type) {
      case 'cancelled':
        return err(this.cancelled());
      case 'timeout':
        return err(this.timeout());
      case 'failed':
        return err(outcome.error);
      case 'network':
        return err({ kind: 'unavailable', host: this.host, cause: outcome.cause });
      case 'response': {
        if (outcome.status < 200 || outcome.status > 299)
          return err(classifyHttpError(outcome.status, outcome.text, this.host));
        if (outcome.readError) {
          return err({
            kind: 'unavailable',
            host: this.host,
            status: outcome.status,
            cause: outcome.readError,
          });
        }
        const ids = parseModelList(outcome.text);
        if (ids === undefined) {
          return err({
            kind: 'badResponse',
            host: this.host,
            status: outcome.status,
            bodyExcerpt: excerpt(outcome.text),
            cause: 'notModelList',
          });
        }
        return ok(ids);
      }
    }
  }

  private async generateOnce(
    req: GenerationRequest,
    signal: AbortSignal | undefined,
  ): Promise<Result<GenerationResponse>> {
    if (signal?.aborted) return err(this.cancelled());
    const body = { data: JSON.stringify(buildRequestBody(req)), contentType: 'application/json' };
    return this.postForImages('/images/generations', body, signal);
  }

  /** A paid request that answers with images: retried per the rules above, never after a response began. */
  private async postForImages(
    path: string,
    body: RequestBody,
    signal: AbortSignal | undefined,
  ): Promise<Result<GenerationResponse>> {
    const url = `${this.base}${path}`;
    const attempts = this.maxRetries + 1;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.exchange('POST', url, body, signal, `attempt ${attempt + 1}/${attempts}`);
      if (signal?.aborted) return err(this.cancelled());
      let failure: ImageGenError;
      let retryAfterMs: number | undefined;
      switch (outcome.type) {
        case 'cancelled':
          return err(this.cancelled());
        case 'timeout':
          return err(this.timeout());
        case 'failed':
          return err(outcome.error);
        case 'network':
          failure = { kind: 'unavailable', host: this.host, cause: outcome.cause };
          if (!isRetryableNetworkCause(outcome.cause)) return err(failure);
          break;
        case 'response': {
          const { status } = outcome;
          if (status >= 200 && status <= 299) {
            if (outcome.readError) {
              return err({ kind: 'unavailable', host: this.host, status, cause: outcome.readError });
            }
            const parsed = parseGenerationResponse(
              outcome.text,
              outcome.headers.get('content-type') ?? undefined,
              this.host,
              outcome.url,
            );
            if (!parsed.ok)
              this.log(
                'warn',
                `unexpected response from ${this.host} (${parsed.error.cause ?? 'badResponse'}): ${parsed.error.bodyExcerpt ?? ''}`,
              );
            return parsed;
          }
          failure = classifyHttpError(status, outcome.text, this.host);
          if (!isRetryableStatus(status)) return err(failure);
          retryAfterMs = parseRetryAfter(outcome.headers.get('retry-after'), Date.now());
          break;
        }
      }
      if (attempt >= this.maxRetries) return err(failure);
      const delay = retryDelay(attempt, retryAfterMs, this.random);
      if (delay === undefined) {
        this.log(
          'warn',
          `not retrying: Retry-After of ${Math.round((retryAfterMs ?? 0) / 1000)} s is too long`,
        );
        return err(failure);
      }
      this.log('info', `retrying in ${delay} ms${retryAfterMs !== undefined ? ' (Retry-After)' : ''}`);
      try {
        await this.sleep(delay, signal);
      } catch {
        // An injected sleep may reject on abort; only the signal decides.
      }
      if (signal?.aborted) return err(this.cancelled());
    }
  }

  /** One attempt: the request, same-origin redirects, and the whole body, under one timeout. */
  private async exchange(
    method: 'GET' | 'POST',
    url: string,
    body: RequestBody | undefined,
    callerSignal: AbortSignal | undefined,
    label: string,
  ): Promise<Exchange> {
    const scope = new AbortScope(callerSignal, this.timeoutMs);
    const started = Date.now();
    const elapsed = (): number => Date.now() - started;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = body.contentType;
    if (this.userAgent) headers['User-Agent'] = this.userAgent;
    let currentUrl = url;
    try {
      for (let hop = 0; ; hop++) {
        let response: FetchResponseLike;
        try {
          const init: FetchInit = {
            method,
            headers: { ...headers },
            redirect: 'manual',
            signal: scope.signal,
            compress: true,
          };
          if (body !== undefined) init.body = body.data;
          response = await raceAbort(callFetch(this.fetch, currentUrl, init), scope.signal);
        } catch (error) {
          if (scope.cancelled) {
            this.log('info', `${method} ${currentUrl} cancelled after ${elapsed()} ms (${label})`);
            return { type: 'cancelled' };
          }
          if (scope.timedOut) {
            this.log('warn', `${method} ${currentUrl} timed out after ${elapsed()} ms (${label})`);
            return { type: 'timeout' };
          }
          const cause = networkCause(error);
          this.log('warn', `${method} ${currentUrl} failed after ${elapsed()} ms: ${cause} (${label})`);
          return { type: 'network', cause };
        }

        const { status } = response;
        if (REDIRECT_STATUSES.has(status)) {
          discardBody(response);
          const location = response.headers.get('location');
          let target: string | undefined;
          try {
            target = location ? new URL(location, currentUrl).href : undefined;
          } catch {
            target = undefined;
          }
          this.log('info', `${method} ${currentUrl} → ${status} in ${elapsed()} ms (${label})`);
          if (!target)
            return {
              type: 'failed',
              error: { kind: 'badResponse', host: this.host, status, cause: 'badRedirect' },
            };
          if (originOf(target) !== originOf(currentUrl)) {
            this.log(
              'warn',
              `not following a redirect to another origin (${originOf(target) ?? 'unknown'}): the API key stays with ${originOf(currentUrl) ?? this.host}`,
            );
            return {
              type: 'failed',
              error: { kind: 'badResponse', host: this.host, status, cause: 'crossOriginRedirect' },
            };
          }
          if (hop >= MAX_API_REDIRECTS) {
            return {
              type: 'failed',
              error: { kind: 'badResponse', host: this.host, status, cause: 'tooManyRedirects' },
            };
          }
          currentUrl = target;
          continue;
        }

        let text = '';
        let readError: string | undefined;
        try {
          text = await raceAbort(response.text(), scope.signal);
        } catch (error) {
          if (scope.cancelled) return { type: 'cancelled' };
          if (scope.timedOut) {
            this.log(
              'warn',
              `${method} ${currentUrl} → ${status}, body timed out after ${elapsed()} ms (${label})`,
            );
            return { type: 'timeout' };
          }
          readError = networkCause(error);
        }
        this.log(
          status >= 200 && status <= 299 && !readError ? 'info' : 'warn',
          `${method} ${currentUrl} → ${status} in ${elapsed()} ms (${label})${readError ? `, body failed: ${readError}` : ''}`,
        );
        return { type: 'response', status, headers: response.headers, text, readError, url: currentUrl };
      }
    } finally {
      scope.dispose();
    }
  }

  private cancelled(): ImageGenError {
    return { kind: 'cancelled', host: this.host };
  }

  private timeout(): ImageGenError {
    return { kind: 'timeout', host: this.host, timeoutSeconds: this.timeoutMs / 1000 };
  }

  private log(level: Parameters<LogFn>[0], message: string): void {
    this.logFn?.(level, redactSecrets(message, [this.apiKey]));
  }
}

export interface DownloadOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
  log?: LogFn;
}

type DownloadResult = Result<{ bytes: Uint8Array; type: ImageType }>;

function downloadError(
  host: string,
  downloadProblem: DownloadProblem,
  extra: Partial<ImageGenError> = {},
): DownloadResult {
  return err({ kind: 'download', host, downloadProblem, ...extra });
}

function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

type ReadOutcome =
  | { type: 'done'; bytes: Uint8Array }
  | { type: 'tooLarge' }
  | { type: 'notImage' }
  | { type: 'aborted' }
  | { type: 'error'; error: unknown };

/** Reads a body up to `maxBytes`, stopping (and destroying the stream) as soon as it is too large or clearly not an image. */
function readLimited(
  body: NodeJS.ReadableStream,
  maxBytes: number,
  signal: AbortSignal,
): Promise<ReadOutcome> {
  return new Promise<ReadOutcome>((resolve) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let sniffed = false;
    let settled = false;
    const stream = body as NodeJS.ReadableStream & { destroy?: () => void };
    // Kept for good: a stream destroyed later (e.g. by fetch on abort) must not throw an unhandled 'error'.
    stream.on('error', () => undefined);
    const finish = (outcome: ReadOutcome, destroy: boolean): void => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (destroy) {
        try {
          if (typeof stream.destroy === 'function') stream.destroy();
          else stream.pause();
        } catch {
          // Already closed.
        }
      }
      resolve(outcome);
    };
    const onData = (chunk: unknown): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
      total += bytes.length;
      if (total > maxBytes) {
        finish({ type: 'tooLarge' }, true);
        return;
      }
      chunks.push(bytes);
      if (!sniffed && total >= SNIFF_BYTES) {
        sniffed = true;
        if (!sniffImageType(concatBytes(chunks, total))) finish({ type: 'notImage' }, true);
      }
    };
    const onEnd = (): void => finish({ type: 'done', bytes: concatBytes(chunks, total) }, false);
    const onError = (error: unknown): void => finish({ type: 'error', error }, true);
    const onAbort = (): void => finish({ type: 'aborted' }, true);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
}

function isRedirectFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { type?: unknown; message?: unknown };
  // node-fetch v2: FetchError type 'max-redirect' / 'no-redirect' / 'invalid-redirect'.
  if (typeof e.type === 'string' && e.type.includes('redirect')) return true;
  return typeof e.message === 'string' && /redirect/i.test(e.message);
}

/**
 * Fetches an image without any credentials: redirects followed by fetch (at most 5; a loop is
 * problem 'redirect'), Content-Length over `maxBytes` refused before reading, the stream cut as soon
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
    try {
      response = await raceAbort(
        callFetch(fetch, parsed.href, {
          method: 'GET',
          headers: { Accept: 'image/png,image/jpeg,image/webp,image/gif,image/*;q=0.8,*/*;q=0.5' },
          redirect: 'follow',
          follow: 5,
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

    const outcome = await readLimited(response.body, options.maxBytes, scope.signal);
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
      case 'notImage':
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
