// The transport seam: the fetch shape the client and the downloads use, abort and timeout scopes,
// network-failure causes, and a body reader that stops at a byte limit while the body streams in.
import { readStream } from './streamReader';
import type { StreamOutcome } from './eventStreamReader';
import { excerpt } from './response';
import type { ImageGenError } from './types';
import { abortError } from './retry';

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

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

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
export class AbortScope {
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
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
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
export function callFetch(fetch: FetchLike, url: string, init: FetchInit): Promise<FetchResponseLike> {
  try {
    return Promise.resolve(fetch(url, init));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Stops a body nobody will read, so the socket is released. */
export function discardBody(response: FetchResponseLike): void {
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

export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export type ReadOutcome =
  | { type: 'done'; bytes: Uint8Array }
  | { type: 'tooLarge' }
  | { type: 'refused' }
  | { type: 'aborted' }
  | { type: 'error'; error: unknown };

/**
 * Reads a body up to `maxBytes`, counted as the (already decompressed) chunks arrive, and destroys
 * the stream the moment it is over the limit, so nothing more is held or read. `inspect`, when
 * given, sees the first `inspectBytes` bytes once and may refuse the body early ('refused').
 */
export function readLimited(
  body: NodeJS.ReadableStream,
  maxBytes: number,
  signal: AbortSignal,
  inspect?: { bytes: number; accept(head: Uint8Array): boolean },
): Promise<ReadOutcome> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let inspected = !inspect;
  return readStream<ReadOutcome>(body, signal, {
    maxBytes,
    data(bytes) {
      chunks.push(bytes);
      total += bytes.length;
      if (!inspected && inspect && total >= inspect.bytes) {
        inspected = true;
        if (!inspect.accept(concatBytes(chunks, total))) return { type: 'refused' };
      }
      return undefined;
    },
    end() {
      if (!inspected && inspect && !inspect.accept(concatBytes(chunks, total))) return { type: 'refused' };
      return { type: 'done', bytes: concatBytes(chunks, total) };
    },
    error: (error) => ({ type: 'error', error }),
    tooLarge: () => ({ type: 'tooLarge' }),
    aborted: () => ({ type: 'aborted' }),
    release: () => void (chunks.length = 0),
  });
}

/** A body as text, read at most up to `limit` bytes after decompression; over it, the stream is destroyed. */
export async function readBodyText(
  response: FetchResponseLike,
  limit: number,
  scope: AbortScope,
): Promise<
  | { type: 'text'; text: string }
  | { type: 'cancelled' }
  | { type: 'timeout' }
  | { type: 'tooLarge' }
  | { type: 'error'; cause: string }
> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const encoded = (response.headers.get('content-encoding') ?? '').trim() !== '';
  if (!encoded && Number.isFinite(declared) && declared > limit) {
    discardBody(response);
    return { type: 'tooLarge' };
  }
  const aborted = () => (scope.cancelled ? { type: 'cancelled' as const } : { type: 'timeout' as const });
  if (!response.body) {
    // Test doubles without a stream: the limit is checked on what they return.
    try {
      const text = await raceAbort(response.text(), scope.signal);
      return Buffer.byteLength(text) > limit ? { type: 'tooLarge' } : { type: 'text', text };
    } catch (error) {
      if (scope.cancelled || scope.timedOut) return aborted();
      return { type: 'error', cause: networkCause(error) };
    }
  }
  const outcome = await readLimited(response.body, limit, scope.signal);
  switch (outcome.type) {
    case 'done':
      return {
        type: 'text',
        text: Buffer.from(outcome.bytes.buffer, outcome.bytes.byteOffset, outcome.bytes.byteLength).toString(
          'utf8',
        ),
      };
    case 'tooLarge':
      return { type: 'tooLarge' };
    case 'aborted':
      return aborted();
    case 'refused':
    case 'error':
      if (scope.cancelled || scope.timedOut) return aborted();
      return { type: 'error', cause: outcome.type === 'error' ? networkCause(outcome.error) : 'refused' };
  }
}

/** What a paid or listing request sends: JSON or a multipart form. */
export interface RequestBody {
  data: string | Uint8Array;
  contentType: string;
}

/** What one HTTP exchange with the API gave, redirects followed. */
export type Exchange =
  | { type: 'cancelled' }
  | { type: 'timeout' }
  | { type: 'failed'; error: ImageGenError }
  | { type: 'network'; cause: string }
  /** The body went over its limit: the stream was destroyed, nothing of it is kept. */
  | { type: 'tooLarge'; status: number }
  /** A server-sent event stream, read to its end (or its first error); never retried once begun. */
  | { type: 'stream'; status: number; outcome: StreamOutcome }
  | {
      type: 'response';
      status: number;
      headers: FetchResponseLike['headers'];
      text: string;
      /** Set when reading the body failed (not by abort or timeout). */
      readError?: string;
      url: string;
    };
