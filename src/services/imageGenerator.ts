import { setMaxListeners } from 'node:events';
import { ImageApiClient, decodeB64Image, downloadImage, type FetchLike } from '../core/apiClient';
import { findModel, runWithConcurrency, splitCount } from '../core/catalog';
import type { EditRequest } from '../core/editRequest';
import type { HistoryItem } from '../core/history';
import { hostOf, originOf } from '../core/origin';
import { withProvenance } from '../core/provenance';
import { err, ok, type GenerationRequest, type ImageGenError, type Result } from '../core/types';
import { askForKey, type ApiKeyStore } from './apiKeys';
import type { CatalogService } from './catalogService';
import type { ConfigurationReader } from './configuration';
import type { HistoryStore } from './historyStore';
import type { InsecureOriginGate } from './insecureOrigins';
import type { Logger } from './logger';
import type { UserInterface } from './ui';

/** Images larger than this are refused (PRODUCT.md §5.5). */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Parallel requests when `n` is split (PRODUCT.md §4). */
const MAX_IN_FLIGHT = 4;

export interface GenerationOutcome {
  /** One history item per image the provider returned, in order. */
  items: HistoryItem[];
  /** Problems with single images (download failures) or with some of several parallel requests. */
  problems: ImageGenError[];
}

export type ProgressFn = (done: number, total: number) => void;

/**
 * The one way the extension calls the provider: key, request(s), downloads into the cache, and
 * the gallery record. Commands and webviews both go through here.
 */
export class ImageGenerator {
  constructor(
    private readonly deps: {
      config: ConfigurationReader;
      keys: ApiKeyStore;
      history: HistoryStore;
      catalog: CatalogService;
      ui: UserInterface;
      log: Logger;
      fetch: FetchLike;
      gate: InsecureOriginGate;
    },
  ) {}

  /** The key for the configured base URL, asking for one when there is none. */
  async resolveKey(baseUrl: string): Promise<Result<string>> {
    const origin = originOf(baseUrl);
    const host = hostOf(baseUrl);
    if (!origin) return err({ kind: 'notFound', host, cause: 'invalidBaseUrl' });
    if (!(await this.deps.gate.confirm(baseUrl))) return err({ kind: 'insecure', host });
    let key = await this.deps.keys.get(origin);
    if (!key) {
      key = await askForKey(this.deps.ui, origin);
      if (!key) return err({ kind: 'noKey', host });
      await this.deps.keys.set(origin, key);
    }
    this.deps.log.addSecret(key);
    return ok(key);
  }

  async generate(
    request: Omit<GenerationRequest, 'extraParameters'>,
    signal: AbortSignal,
    onProgress?: ProgressFn,
  ): Promise<Result<GenerationOutcome>> {
    const config = this.deps.config.get();
    const keyResult = await this.resolveKey(config.baseUrl);
    if (!keyResult.ok) return keyResult;
    if (signal.aborted) return err({ kind: 'cancelled', host: hostOf(config.baseUrl) });

    const client = this.client(keyResult.value);
    const model = findModel(await this.deps.catalog.models({ fetchRemote: false }), request.model);
    const parts = splitCount(request.n, model.maxPerRequest);
    // Each parallel request and download listens to the one cancel signal.
    setMaxListeners(Math.max(10, 4 * parts.length + request.n), signal);
    const total = request.n;
    let done = 0;
    onProgress?.(0, total);
    this.deps.log.info(
      `Generating ${total} image(s) with ${request.model} at ${request.size} in ${parts.length} request(s)`,
    );

    const answers = await runWithConcurrency(
      parts.map((n) => async () => {
        const answer = await client.generate(
          { ...request, n, extraParameters: config.extraParameters },
          signal,
        );
        if (!answer.ok) return answer;
        // Download while the other requests are still running.
        const images = await Promise.all(
          answer.value.images.map((image) => this.keep(request, image, signal)),
        );
        done += images.length;
        onProgress?.(Math.min(done, total), total);
        return ok(images);
      }),
      MAX_IN_FLIGHT,
    );

    return this.settle(answers, signal, config.baseUrl);
  }

  /**
   * `POST /images/edits` with the source image(s) and optional mask: one request (edits are not
   * split), then the same downloads, cache and gallery record as a generation.
   */
  async edit(
    request: Omit<EditRequest, 'extraParameters'> & { parent?: string },
    signal: AbortSignal,
  ): Promise<Result<GenerationOutcome>> {
    const config = this.deps.config.get();
    const keyResult = await this.resolveKey(config.baseUrl);
    if (!keyResult.ok) return keyResult;
    if (signal.aborted) return err({ kind: 'cancelled', host: hostOf(config.baseUrl) });
    const client = this.client(keyResult.value);
    const meta = {
      prompt: request.prompt,
      model: request.model,
      size: request.size ?? 'auto',
      n: request.n,
      parent: request.parent,
    };
    this.deps.log.info(`Editing ${request.images.length} image(s) with ${request.model} into ${request.n}`);
    const answer = await client.edit({ ...request, extraParameters: config.extraParameters }, signal);
    const kept = answer.ok
      ? ok(await Promise.all(answer.value.images.slice(0, request.n).map((i) => this.keep(meta, i, signal))))
      : answer;
    return this.settle([kept], signal, config.baseUrl);
  }

  private client(apiKey: string): ImageApiClient {
    const config = this.deps.config.get();
    return new ImageApiClient({
      fetch: this.deps.fetch,
      baseUrl: config.baseUrl,
      apiKey,
      timeoutMs: config.requestTimeoutSeconds * 1000,
      maxRetries: config.maxRetries,
      log: this.deps.log.logFn,
    });
  }

  /** Gathers what the requests brought; a cancel drops it all, otherwise the gallery keeps it. */
  private async settle(
    answers: ReadonlyArray<Result<Array<{ item: HistoryItem; problem?: ImageGenError }>>>,
    signal: AbortSignal,
    baseUrl: string,
  ): Promise<Result<GenerationOutcome>> {
    const items: HistoryItem[] = [];
    const problems: ImageGenError[] = [];
    for (const a of answers) {
      if (a.ok) {
        for (const { item, problem } of a.value) {
          items.push(item);
          if (problem) problems.push(problem);
        }
      } else problems.push(a.error);
    }
    // Cancelled means nothing is kept, not even what arrived before the cancel.
    if (signal.aborted) {
      await Promise.all(items.map((i) => this.deps.history.deleteFiles(i)));
      return err({ kind: 'cancelled', host: hostOf(baseUrl) });
    }
    if (items.length > 0) await this.deps.history.add(items);
    if (items.length === 0) {
      const first = problems.find((p) => p.kind !== 'cancelled') ?? problems[0];
      return err(first ?? { kind: 'badResponse', host: hostOf(baseUrl) });
    }
    return ok({ items, problems });
  }

  /** Fetches or decodes one image into the cache; a failure keeps the record with its URL. */
  private async keep(
    request: Omit<GenerationRequest, 'extraParameters'> & { parent?: string },
    image: { url?: string; b64Json?: string; revisedPrompt?: string },
    signal: AbortSignal,
  ): Promise<{ item: HistoryItem; problem?: ImageGenError }> {
    const config = this.deps.config.get();
    const item: HistoryItem = {
      id: this.deps.history.newId(),
      prompt: request.prompt,
      revisedPrompt: image.revisedPrompt,
      model: request.model,
      size: request.size,
      createdAt: Date.now(),
      remoteUrl: image.url,
      savedUris: [],
      parent: request.parent,
    };
    const fetched = image.b64Json
      ? decodeB64Image(image.b64Json, hostOf(config.baseUrl), MAX_IMAGE_BYTES)
      : await downloadImage(this.deps.fetch, image.url ?? '', {
          signal,
          timeoutMs: config.requestTimeoutSeconds * 1000,
          maxBytes: MAX_IMAGE_BYTES,
          log: this.deps.log.logFn,
        });
    if (!fetched.ok) {
      this.deps.log.warn(
        `No copy kept of ${image.url ?? 'an inline image'}: ${fetched.error.downloadProblem ?? fetched.error.kind}`,
      );
      return {
        item: { ...item, problem: fetched.error.downloadProblem ?? 'network' },
        // An inline (b64_json) image has no URL the gallery could fall back to.
        problem: image.b64Json ? { ...fetched.error, cause: 'inline' } : fetched.error,
      };
    }
    try {
      const bytes =
        fetched.value.type.ext === 'png' ? withProvenance(fetched.value.bytes, item) : fetched.value.bytes;
      item.cacheFile = await this.deps.history.cacheImage(item.id, bytes, fetched.value.type);
      item.mime = fetched.value.type.mime;
      item.bytes = bytes.byteLength;
    } catch (e) {
      this.deps.log.error(`Could not write the cached image: ${String(e)}`);
      return {
        item: { ...item, problem: 'network' },
        problem: { kind: 'download', host: hostOf(config.baseUrl), cause: 'cacheWrite' },
      };
    }
    return { item };
  }
}
