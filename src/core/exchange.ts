// One HTTP exchange with the image API: the request, same-origin redirects, and the whole body
// (or, for a streamed generation, the whole event stream) under one timeout and the §10 limits.
// Security: the key goes only to the base URL's origin; a redirect elsewhere is refused here.
import { readImageStream } from './eventStreamReader';
import { isEventStream, type PartialImage } from './imageStream';
import { originOf } from './origin';
import {
  AbortScope,
  REDIRECT_STATUSES,
  callFetch,
  discardBody,
  networkCause,
  raceAbort,
  readBodyText,
  type Exchange,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
  type LogFn,
  type RequestBody,
} from './transport';

/** A generation answer (JSON or event stream) is read up to this many bytes after decompression (PRODUCT.md §10). */
export const MAX_ANSWER_BYTES = 200 * 1024 * 1024;
/** `/models` lists and error bodies are read up to this many bytes after decompression. */
export const MAX_SMALL_BODY_BYTES = 1024 * 1024;
/** Same-origin redirects the client follows itself per attempt. */
export const MAX_API_REDIRECTS = 5;

export interface ExchangeContext {
  fetch: FetchLike;
  apiKey: string;
  host: string;
  timeoutMs: number;
  userAgent?: string;
  /** Already redacting the key. */
  log: LogFn;
}

/** Asked of a generation sent with `stream: true`: how many images end the stream, where partials go. */
export interface StreamRead {
  expected: number;
  onPartial?: (partial: PartialImage) => void;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** One attempt: the request, same-origin redirects, and the whole body, under one timeout. */
export async function exchange(
  ctx: ExchangeContext,
  method: 'GET' | 'POST',
  url: string,
  body: RequestBody | undefined,
  callerSignal: AbortSignal | undefined,
  label: string,
  options: { stream?: StreamRead; carriesImages?: boolean } = {},
): Promise<Exchange> {
  const streamRead = options.stream;
  // A POST answers with images; so does a task's poll once the task is done.
  const carriesImages = options.carriesImages ?? method === 'POST';
  const scope = new AbortScope(callerSignal, ctx.timeoutMs);
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${ctx.apiKey}`,
    Accept: streamRead ? 'text/event-stream, application/json' : 'application/json',
  };
  if (body !== undefined) headers['Content-Type'] = body.contentType;
  if (ctx.userAgent) headers['User-Agent'] = ctx.userAgent;
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
        response = await raceAbort(callFetch(ctx.fetch, currentUrl, init), scope.signal);
      } catch (error) {
        if (scope.cancelled) {
          ctx.log('info', `${method} ${currentUrl} cancelled after ${elapsed()} ms (${label})`);
          return { type: 'cancelled' };
        }
        if (scope.timedOut) {
          ctx.log('warn', `${method} ${currentUrl} timed out after ${elapsed()} ms (${label})`);
          return { type: 'timeout' };
        }
        const cause = networkCause(error);
        ctx.log('warn', `${method} ${currentUrl} failed after ${elapsed()} ms: ${cause} (${label})`);
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
        ctx.log('info', `${method} ${currentUrl} → ${status} in ${elapsed()} ms (${label})`);
        if (!target)
          return {
            type: 'failed',
            error: { kind: 'badResponse', host: ctx.host, status, cause: 'badRedirect' },
          };
        if (originOf(target) !== originOf(currentUrl)) {
          ctx.log(
            'warn',
            `not following a redirect to another origin (${originOf(target) ?? 'unknown'}): the API key stays with ${originOf(currentUrl) ?? ctx.host}`,
          );
          return {
            type: 'failed',
            error: { kind: 'badResponse', host: ctx.host, status, cause: 'crossOriginRedirect' },
          };
        }
        if (hop >= MAX_API_REDIRECTS) {
          return {
            type: 'failed',
            error: { kind: 'badResponse', host: ctx.host, status, cause: 'tooManyRedirects' },
          };
        }
        currentUrl = target;
        continue;
      }

      const limit = carriesImages && isSuccess(status) ? MAX_ANSWER_BYTES : MAX_SMALL_BODY_BYTES;
      const tooLarge = (): Exchange => {
        ctx.log(
          'warn',
          `${method} ${currentUrl} → ${status}: the body is larger than ${limit / (1024 * 1024)} MB; stopped reading and closed the connection (${label})`,
        );
        return { type: 'tooLarge', status };
      };

      if (
        streamRead &&
        isSuccess(status) &&
        response.body &&
        isEventStream(response.headers.get('content-type'))
      ) {
        const declared = Number(response.headers.get('content-length') ?? NaN);
        const encoded = (response.headers.get('content-encoding') ?? '').trim() !== '';
        if (!encoded && Number.isFinite(declared) && declared > limit) {
          discardBody(response);
          return tooLarge();
        }
        const streamed = await readImageStream(response.body, {
          maxBytes: limit,
          signal: scope.signal,
          expected: streamRead.expected,
          onPartial: streamRead.onPartial,
        });
        if (streamed.type === 'aborted') {
          if (scope.cancelled) return { type: 'cancelled' };
          ctx.log(
            'warn',
            `${method} ${currentUrl} → ${status}, event stream timed out after ${elapsed()} ms (${label})`,
          );
          return { type: 'timeout' };
        }
        if (streamed.type === 'tooLarge') return tooLarge();
        ctx.log(
          streamed.type === 'completed' ? 'info' : 'warn',
          `${method} ${currentUrl} → ${status} event stream in ${elapsed()} ms: ${streamed.type} (${label})`,
        );
        return { type: 'stream', status, outcome: streamed };
      }

      let text = '';
      let readError: string | undefined;
      const read = await readBodyText(response, limit, scope);
      if (read.type === 'cancelled') return read;
      if (read.type === 'timeout') {
        ctx.log(
          'warn',
          `${method} ${currentUrl} → ${status}, body timed out after ${elapsed()} ms (${label})`,
        );
        return read;
      }
      if (read.type === 'tooLarge') return tooLarge();
      if (read.type === 'error') readError = read.cause;
      else text = read.text;
      ctx.log(
        isSuccess(status) && !readError ? 'info' : 'warn',
        `${method} ${currentUrl} → ${status} in ${elapsed()} ms (${label})${readError ? `, body failed: ${readError}` : ''}`,
      );
      return { type: 'response', status, headers: response.headers, text, readError, url: currentUrl };
    }
  } finally {
    scope.dispose();
  }
}
