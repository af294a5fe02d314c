// HTTP client for the image API over an injected fetch (node-fetch v2 in the extension, fakes in tests).
// Security: the key goes only to the base URL's origin; API redirects are followed here, same-origin only.
import { buildEditForm, type EditRequest } from './editRequest';
import { buildMultipart } from './multipart';
import { readTaskAnswer } from './asyncTask';
import { streamResult } from './eventStreamReader';
import { exchange, type ExchangeContext, type StreamRead } from './exchange';
import type { PartialImage } from './imageStream';
import { hostOf, trimTrailingSlashes } from './origin';
import { parseProviderModels, type ProviderModel } from './providerModels';
import { redactSecrets } from './redact';
import { buildRequestBody } from './request';
import { classifyHttpError, excerpt, parseGenerationResponse, parseModelList } from './response';
import { isRetryableStatus, parseRetryAfter, retryDelay, sleep as defaultSleep } from './retry';
import { pollAnswerOf, pollTask, taskResult } from './taskPolling';
import {
  isRetryableNetworkCause,
  type Exchange,
  type FetchLike,
  type LogFn,
  type RequestBody,
} from './transport';
import type { GenerationRequest, GenerationResponse, ImageGenError, Result } from './types';
import { err, ok } from './types';

/** Cancelled, timed out, refused before sending or over the size limit: never retried, never read. */
type EndedAlike = Extract<Exchange, { type: 'cancelled' | 'timeout' | 'failed' | 'tooLarge' }>;
const endsAlike = (outcome: Exchange): outcome is EndedAlike =>
  outcome.type === 'cancelled' ||
  outcome.type === 'timeout' ||
  outcome.type === 'failed' ||
  outcome.type === 'tooLarge';

export * from './transport';
export { decodeB64Image, downloadImage, type DownloadOptions } from './download';
export { MAX_ANSWER_BYTES, MAX_API_REDIRECTS, MAX_SMALL_BODY_BYTES } from './exchange';

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

  /**
   * With `stream: true` in the body, an event-stream answer is read as it comes (partial images to
   * `hooks.onPartial`); a JSON answer works as without. A task answer is polled to its end.
   */
  async generate(
    req: GenerationRequest,
    signal?: AbortSignal,
    hooks?: { onPartial?: (partial: PartialImage) => void },
  ): Promise<Result<GenerationResponse>> {
    const result = await this.generateOnce(req, signal, hooks?.onPartial);
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
      req.n,
      signal,
    );
    if (!result.ok && signal?.aborted) return err(this.cancelled());
    if (result.ok) return result;
    const error = this.scrubbed(result.error);
    if (error.kind === 'badRequest' || error.kind === 'notFound') error.cause = 'editsUnsupported';
    return err(error);
  }

  async listModels(signal?: AbortSignal): Promise<Result<string[]>> {
    const result = await this.listModelsOnce(signal, parseModelList);
    return result.ok ? result : err(this.scrubbed(result.error));
  }

  /** The `/models` list with what each entry says of its kind (tags, group), for image-only pickers. */
  async listModelEntries(signal?: AbortSignal): Promise<Result<ProviderModel[]>> {
    const result = await this.listModelsOnce(signal, (text) => {
      try {
        return parseProviderModels(JSON.parse(text.replace(/^\uFEFF/, '')));
      } catch {
        return undefined;
      }
    });
    return result.ok ? result : err(this.scrubbed(result.error));
  }

  /** A provider may quote the key back (`Incorrect API key provided: …`); its words reach messages and logs. */
  private scrubbed(error: ImageGenError): ImageGenError {
    const scrubbed = { ...error };
    if (error.providerMessage !== undefined)
      scrubbed.providerMessage = redactSecrets(error.providerMessage, [this.apiKey]);
    if (error.bodyExcerpt !== undefined)
      scrubbed.bodyExcerpt = redactSecrets(error.bodyExcerpt, [this.apiKey]);
    // A transport error may quote a header value (node-fetch: "<value> is not a legal HTTP header value").
    if (error.cause !== undefined) scrubbed.cause = redactSecrets(error.cause, [this.apiKey]);
    return scrubbed;
  }

  private async listModelsOnce<T>(
    signal: AbortSignal | undefined,
    parse: (text: string) => T | undefined,
  ): Promise<Result<T>> {
    if (signal?.aborted) return err(this.cancelled());
    const outcome = await exchange(this.context, 'GET', `${this.base}/models`, undefined, signal, 'models');
    if (signal?.aborted) return err(this.cancelled());
    if (endsAlike(outcome)) return err(this.endedAlike(outcome));
    switch (outcome.type) {
      case 'network':
        return err({ kind: 'unavailable', host: this.host, cause: outcome.cause });
      case 'stream':
        return err({
          kind: 'badResponse',
          host: this.host,
          status: outcome.status,
          cause: 'unexpectedStream',
        });
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
        const ids = parse(outcome.text);
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
    onPartial?: (partial: PartialImage) => void,
  ): Promise<Result<GenerationResponse>> {
    if (signal?.aborted) return err(this.cancelled());
    const requestBody = buildRequestBody(req);
    const body = { data: JSON.stringify(requestBody), contentType: 'application/json' };
    const stream = requestBody.stream === true ? { expected: req.n, onPartial } : undefined;
    return this.postForImages('/images/generations', body, req.n, signal, stream);
  }

  /** A paid request that answers with images: retried per the rules above, never after a response began. */
  private async postForImages(
    path: string,
    body: RequestBody,
    asked: number,
    signal: AbortSignal | undefined,
    stream?: StreamRead,
  ): Promise<Result<GenerationResponse>> {
    const started = Date.now();
    const url = `${this.base}${path}`;
    const attempts = this.maxRetries + 1;
    for (let attempt = 0; ; attempt++) {
      const label = `attempt ${attempt + 1}/${attempts}`;
      const outcome = await exchange(this.context, 'POST', url, body, signal, label, { stream });
      if (signal?.aborted) return err(this.cancelled());
      let failure: ImageGenError;
      let retryAfterMs: number | undefined;
      if (endsAlike(outcome)) return err(this.endedAlike(outcome));
      switch (outcome.type) {
        case 'network':
          failure = { kind: 'unavailable', host: this.host, cause: outcome.cause };
          if (!isRetryableNetworkCause(outcome.cause)) return err(failure);
          break;
        case 'stream':
          // Once a stream began, it is paid: never retried, whatever happened to it.
          return streamResult(outcome.outcome, this.host, outcome.status);
        case 'response': {
          const { status } = outcome;
          if (status >= 200 && status <= 299) {
            if (outcome.readError) {
              return err({ kind: 'unavailable', host: this.host, status, cause: outcome.readError });
            }
            const task = readTaskAnswer(outcome.text, this.base);
            if (task?.state === 'waiting')
              return this.reported(await this.followTask(task, signal, started, asked), asked);
            if (task)
              return this.reported(taskResult(task, this.host, outcome.url, asked), asked, outcome.text);
            const parsed = parseGenerationResponse(
              outcome.text,
              outcome.headers.get('content-type') ?? undefined,
              this.host,
              outcome.url,
              asked,
            );
            if (!parsed.ok)
              this.log(
                'warn',
                `unexpected response from ${this.host} (${parsed.error.cause ?? 'badResponse'}): ${parsed.error.bodyExcerpt ?? ''}`,
              );
            return this.reported(parsed, asked, outcome.text);
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

  /** Logs what an accepted answer left out: images beyond those asked for, items with no usable image. */
  private reported(
    result: Result<GenerationResponse>,
    asked: number,
    text?: string,
  ): Result<GenerationResponse> {
    if (result.ok && result.value.ignored)
      this.log(
        'warn',
        `${this.host} listed ${result.value.ignored} image(s) more than the ${asked} asked for: ignored`,
      );
    if (result.ok && result.value.unusable)
      this.log(
        'warn',
        `${this.host}: data item(s) ${result.value.unusable.map((u) => `#${u.index} (${u.cause})`).join(', ')} carried no usable image${text === undefined ? '' : `; the answer began: ${excerpt(text)}`}`,
      );
    return result;
  }

  /** Polls a task answer until it is done, within what is left of the timeout; GETs are not paid. */
  private followTask(
    task: Parameters<typeof pollTask>[0],
    signal: AbortSignal | undefined,
    started: number,
    asked: number,
  ): Promise<Result<GenerationResponse>> {
    this.log('info', `the provider answered with task ${task.id}; polling ${task.pollUrl}`);
    return pollTask(task, {
      get: async (pollUrl) =>
        pollAnswerOf(
          await exchange(this.context, 'GET', pollUrl, undefined, signal, `task ${task.id}`, {
            carriesImages: true,
          }),
          this.host,
        ),
      sleep: async (ms) => {
        try {
          await this.sleep(ms, signal);
        } catch {
          // Only the signal decides.
        }
      },
      now: () => Date.now(),
      deadline: this.timeoutMs > 0 ? started + this.timeoutMs : Number.POSITIVE_INFINITY,
      baseUrl: this.base,
      host: this.host,
      timeoutSeconds: this.timeoutMs / 1000,
      maxItems: asked,
      log: (message) => this.log('info', message),
    });
  }

  /** The error of an exchange that ends the same way whatever was asked. */
  private endedAlike(outcome: EndedAlike): ImageGenError {
    switch (outcome.type) {
      case 'cancelled':
        return this.cancelled();
      case 'timeout':
        return this.timeout();
      case 'failed':
        return outcome.error;
      case 'tooLarge':
        return this.tooLarge(outcome.status);
    }
  }

  private get context(): ExchangeContext {
    return {
      fetch: this.fetch,
      apiKey: this.apiKey,
      host: this.host,
      timeoutMs: this.timeoutMs,
      userAgent: this.userAgent,
      log: (level, message) => this.log(level, message),
    };
  }

  private tooLarge(status: number): ImageGenError {
    return { kind: 'badResponse', host: this.host, status, cause: 'bodyTooLarge' };
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
