import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import { downloadGuard, systemResolver, type AddressResolver } from '../core/addressPolicy';
import { ImageApiClient, decodeB64Image, downloadImage, type FetchLike } from '../core/apiClient';
import { apiKeyProblem } from '../core/apiKey';
import { findModel, runWithConcurrency, splitCount } from '../core/catalog';
import type { EditRequest } from '../core/editRequest';
import type { HistoryItem } from '../core/history';
import type { PartialImage } from '../core/imageStream';
import { imageDimensions } from '../core/imageType';
import { createLimiter } from '../core/limiter';
import { applyCapabilities, type CapabilityNote } from '../core/modelRequest';
import { baseUrlProblem, hostOf, originOf } from '../core/origin';
import { withProvenance } from '../core/provenance';
import { err, ok, type GenerationRequest, type ImageGenError, type Result } from '../core/types';
import type { ApiKeyStore, KeyPrompt } from './apiKeys';
import type { CatalogService } from './catalogService';
import type { ConfigurationReader } from './configuration';
import type { HistoryStore } from './historyStore';
import type { InsecureOriginGate } from './insecureOrigins';
import type { Logger } from './logger';
import type { UserInterface } from './ui';

/** Images larger than this are refused (PRODUCT.md §5.5). */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Parallel requests when `n` is split (PRODUCT.md §4), and downloads of one generation (§10). */
const MAX_IN_FLIGHT = 4;
const MAX_DOWNLOADS = 4;
/** More images than this in one generation, or more paid attempts per request, are confirmed first (§10). */
const CONFIRM_ABOVE_IMAGES = 4;
const CONFIRM_ABOVE_ATTEMPTS = 3;

export interface GenerationOutcome {
  /** One history item per image the provider returned, in order. */
  items: HistoryItem[];
  /** Problems with single images (download failures) or with some of several parallel requests. */
  problems: ImageGenError[];
  /** Images asked for, and how many of them did not arrive or could not be kept. */
  requested: number;
  failed: number;
}

export type ProgressFn = (done: number, total: number) => void;
/** A partial image of a streamed generation, as it arrives (base64 of a PNG/JPEG/WebP). */
export type PartialFn = (partial: PartialImage) => void;
/** Options corrected before sending (dropped or changed), so the caller can say so. */
export type NotesFn = (notes: CapabilityNote[]) => void;

type KeptImage = { item: HistoryItem; problem?: ImageGenError };
/** What one request brought: its kept images and what it owed but did not deliver, or its error. */
type RequestAnswer =
  | { ok: true; value: { images: KeptImage[]; unusable: ImageGenError[]; missing: number } }
  | { ok: false; error: ImageGenError; asked: number };

/**
 * The one way the extension calls the provider: key, request(s), downloads into the cache, and
 * the gallery record. Commands and webviews both go through here.
 */
export class ImageGenerator {
  /** How download hosts are looked up for the private-address rule (tests swap it). */
  resolver: AddressResolver = systemResolver;
  /** Batches whose cost was confirmed as a whole (confirmBatch): their requests do not ask again. */
  private readonly confirmedBatches = new WeakSet<AbortSignal>();

  constructor(
    private readonly deps: {
      config: ConfigurationReader;
      keys: ApiKeyStore;
      history: HistoryStore;
      catalog: CatalogService;
      ui: UserInterface;
      keyPrompt: KeyPrompt;
      log: Logger;
      fetch: FetchLike;
      gate: InsecureOriginGate;
      /** Called (not awaited) after every generation that brought images, e.g. to refresh the balance. */
      afterGeneration?: () => void;
    },
  ) {}

  /** The key for the configured base URL, asking for one when there is none. */
  async resolveKey(baseUrl: string): Promise<Result<string>> {
    const origin = originOf(baseUrl);
    const host = hostOf(baseUrl);
    const problem = baseUrlProblem(baseUrl);
    // The user info would go out with every request and into logs: refused before anything is sent.
    if (problem === 'credentials') return err({ kind: 'config', host, cause: 'credentialsInBaseUrl' });
    if (!origin || problem) return err({ kind: 'config', host, cause: 'invalidBaseUrl' });
    if (!(await this.deps.gate.confirm(baseUrl))) return err({ kind: 'insecure', host });
    let key = await this.deps.keys.get(origin);
    if (key && apiKeyProblem(key)) return err({ kind: 'config', host, cause: 'badKey' });
    if (!key) {
      key = await this.deps.keyPrompt.ask(origin);
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
    hooks: { onPartial?: PartialFn; onNotes?: NotesFn } = {},
  ): Promise<Result<GenerationOutcome>> {
    const config = this.deps.config.get();
    const model = findModel(await this.deps.catalog.models({ fetchRemote: false }), request.model);
    // What the model cannot do is refused (or corrected) here, before a paid request goes out.
    const checked = applyCapabilities(
      { ...request, extraParameters: config.extraParameters },
      model.capabilities,
    );
    if (!checked.ok) {
      this.deps.log.warn(`Not sent: ${request.model} cannot do ${JSON.stringify(checked.problem)}`);
      return err({
        kind: 'badRequest',
        host: hostOf(config.baseUrl),
        cause: 'unsupported',
        capability: checked.problem,
      });
    }
    if (checked.notes.length > 0) {
      this.deps.log.info(`Corrected for ${request.model}: ${JSON.stringify(checked.notes)}`);
      hooks.onNotes?.(checked.notes);
    }
    const ready = await this.ready(request.n, signal);
    if (!ready.ok) return ready;
    const { client, downloads, guard } = ready.value;
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
        // One stream carries one image: parts of a split request are checked (and streamed) on their own.
        const part =
          n === request.n ? checked : applyCapabilities({ ...checked.request, n }, model.capabilities);
        const body = part.ok ? part.request : { ...checked.request, n };
        const answer = await client.generate(body, signal, { onPartial: hooks.onPartial });
        if (!answer.ok) return { ok: false as const, error: answer.error, asked: n };
        const usage = answer.value.usage;
        // Download while the other requests are still running; at most 4 at once per generation.
        const images = await Promise.all(
          answer.value.images.map((image) =>
            downloads(() => this.keep(request, image, signal, guard, usage)),
          ),
        );
        // The whole answer's own failure (every item unusable) keeps the generic message; one
        // unusable item among good ones is said as such.
        const unusable: ImageGenError[] = (answer.value.unusable ?? []).map(() => ({
          kind: 'badResponse',
          host: hostOf(config.baseUrl),
          cause: 'unusableItem',
        }));
        // Items the provider owed but did not send count as failed too.
        const missing = Math.max(0, n - images.length - unusable.length);
        done += images.length;
        onProgress?.(Math.min(done, total), total);
        return { ok: true as const, value: { images, unusable, missing } };
      }),
      MAX_IN_FLIGHT,
    );

    return this.settle(answers, signal, config.baseUrl, total);
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
    const ready = await this.ready(request.n, signal);
    if (!ready.ok) return ready;
    const { client, downloads, guard } = ready.value;
    const meta = {
      prompt: request.prompt,
      model: request.model,
      size: request.size ?? 'auto',
      n: request.n,
      parent: request.parent,
    };
    this.deps.log.info(`Editing ${request.images.length} image(s) with ${request.model} into ${request.n}`);
    const answer = await client.edit({ ...request, extraParameters: config.extraParameters }, signal);
    if (!answer.ok)
      return this.settle(
        [{ ok: false, error: answer.error, asked: request.n }],
        signal,
        config.baseUrl,
        request.n,
      );
    // Only the images asked for are used, as with a generation (PRODUCT.md §10).
    const arrived = answer.value.images.slice(0, request.n);
    const images = await Promise.all(
      arrived.map((image) => downloads(() => this.keep(meta, image, signal, guard))),
    );
    const unusable: ImageGenError[] = (answer.value.unusable ?? []).map(() => ({
      kind: 'badResponse',
      host: hostOf(config.baseUrl),
      cause: 'unusableItem',
    }));
    const missing = Math.max(0, request.n - images.length - unusable.length);
    return this.settle(
      [{ ok: true, value: { images, unusable, missing } }],
      signal,
      config.baseUrl,
      request.n,
    );
  }

  /**
   * What every paid request needs first, in this order: the cost confirmed, the key for the base
   * URL's origin, not cancelled meanwhile; then its client, download limiter and download guard.
   */
  private async ready(
    n: number,
    signal: AbortSignal,
  ): Promise<
    Result<{
      client: ImageApiClient;
      downloads: ReturnType<typeof createLimiter>;
      guard: ReturnType<typeof downloadGuard>;
    }>
  > {
    const config = this.deps.config.get();
    if (!this.confirmedBatches.has(signal) && !(await this.confirmCost(n, config.maxRetries)))
      return err({ kind: 'cancelled', host: hostOf(config.baseUrl) });
    const keyResult = await this.resolveKey(config.baseUrl);
    if (!keyResult.ok) return keyResult;
    if (signal.aborted) return err({ kind: 'cancelled', host: hostOf(config.baseUrl) });
    return ok({
      client: this.client(keyResult.value),
      downloads: createLimiter(MAX_DOWNLOADS),
      guard: downloadGuard(config.baseUrl, (h) => this.resolver(h)),
    });
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

  /** Gathers what the requests brought; the gallery keeps what arrived, even after a cancel. */
  private async settle(
    answers: ReadonlyArray<RequestAnswer>,
    signal: AbortSignal,
    baseUrl: string,
    total: number,
  ): Promise<Result<GenerationOutcome>> {
    const items: HistoryItem[] = [];
    const problems: ImageGenError[] = [];
    let failed = 0;
    for (const a of answers) {
      if (a.ok) {
        for (const { item, problem } of a.value.images) {
          items.push(item);
          if (problem) {
            problems.push(problem);
            failed++;
          }
        }
        problems.push(...a.value.unusable);
        failed += a.value.unusable.length + a.value.missing;
      } else {
        problems.push(a.error);
        failed += a.asked;
      }
    }
    // Cancelled after the provider answered: what arrived is paid for, so the gallery keeps it
    // (marked cancelled); nothing is inserted or written into the workspace.
    if (signal.aborted) {
      if (items.length > 0) await this.deps.history.add(items.map((i) => ({ ...i, cancelled: true })));
      return err({ kind: 'cancelled', host: hostOf(baseUrl) });
    }
    if (items.length > 0) {
      await this.deps.history.add(items);
      this.deps.afterGeneration?.();
    }
    if (items.length === 0) {
      const first = problems.find((p) => p.kind !== 'cancelled') ?? problems[0];
      return err(first ?? { kind: 'badResponse', host: hostOf(baseUrl) });
    }
    return ok({ items, problems, requested: total, failed: Math.min(failed, total) });
  }

  /**
   * One question for a batch of one-image requests sharing `signal` (Illustrate Document: its list
   * already says how many images): the cost of retries is confirmed once, not once per request.
   */
  async confirmBatch(signal: AbortSignal): Promise<boolean> {
    if (!(await this.confirmCost(1, this.deps.config.get().maxRetries))) return false;
    this.confirmedBatches.add(signal);
    return true;
  }

  /** Many images, or many paid attempts per request, are said before anything is sent. */
  private async confirmCost(n: number, maxRetries: number): Promise<boolean> {
    const reasons: string[] = [];
    if (n > CONFIRM_ABOVE_IMAGES)
      reasons.push(vscode.l10n.t('This generation asks for {0} images, and each image is paid for.', n));
    if (maxRetries + 1 > CONFIRM_ABOVE_ATTEMPTS)
      reasons.push(
        vscode.l10n.t(
          'imageGen.maxRetries is {0}, so a request that fails may be sent up to {1} times, and each attempt may be paid for.',
          maxRetries,
          maxRetries + 1,
        ),
      );
    if (reasons.length === 0) return true;
    this.deps.log.info(
      `Asking before sending: ${n} image(s), up to ${maxRetries + 1} attempt(s) per request`,
    );
    return this.deps.ui.confirm(reasons.join(' '), vscode.l10n.t('Generate'));
  }

  /** Fetches or decodes one image into the cache; a failure keeps the record with its URL. */
  private async keep(
    request: Omit<GenerationRequest, 'extraParameters'> & { parent?: string },
    image: { url?: string; b64Json?: string; revisedPrompt?: string },
    signal: AbortSignal,
    mayFetch: (url: URL) => Promise<boolean>,
    usage?: HistoryItem['usage'],
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
    if (usage) item.usage = usage;
    const fetched = image.b64Json
      ? decodeB64Image(image.b64Json, hostOf(config.baseUrl), MAX_IMAGE_BYTES)
      : await downloadImage(this.deps.fetch, image.url ?? '', {
          signal,
          timeoutMs: config.requestTimeoutSeconds * 1000,
          maxBytes: MAX_IMAGE_BYTES,
          log: this.deps.log.logFn,
          mayFetch,
        });
    // A download cut by the user's cancel is no download failure: the record keeps its URL.
    if (!fetched.ok && fetched.error.kind === 'cancelled') return { item };
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
      const declared = imageDimensions(fetched.value.bytes);
      if (declared) Object.assign(item, declared);
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
