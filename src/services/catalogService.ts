import { ImageApiClient, type FetchLike } from '../core/apiClient';
import { mergeCatalog } from '../core/catalog';
import { apiKeyProblem } from '../core/apiKey';
import { baseUrlProblem, originOf } from '../core/origin';
import type { ProviderModel } from '../core/providerModels';
import type { ModelInfo } from '../core/types';
import type { ApiKeyStore } from './apiKeys';
import type { ConfigurationReader } from './configuration';
import type { Logger } from './logger';

const REMOTE_TTL_MS = 10 * 60 * 1000;
const REMOTE_WAIT_MS = 3000;

/** The list if it arrives within REMOTE_WAIT_MS, else undefined (it still lands in the cache later). */
function withDeadline(ids: Promise<ProviderModel[] | undefined>): Promise<ProviderModel[] | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), REMOTE_WAIT_MS)));
  return Promise.race([ids, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The model catalog: built-ins, then `imageGen.models`, then what `GET /models` of the provider
 * lists (cached per origin; a failure is silent and falls back).
 */
export class CatalogService {
  private readonly remote = new Map<
    string,
    { at: number; ids: Promise<ProviderModel[] | undefined>; settled?: ProviderModel[] }
  >();

  constructor(
    private readonly deps: {
      config: ConfigurationReader;
      keys: ApiKeyStore;
      fetch: FetchLike;
      log: Logger;
      /** Whether the key may travel to this origin (plain http needs the user's yes first). */
      mayUseKeyFor: (origin: string) => boolean;
    },
  ) {}

  /**
   * With `fetchRemote`, waits at most a few seconds for the provider's list; without it, uses only
   * a list that has already arrived, so a slow `/models` never holds up a generation.
   */
  async models(options: { fetchRemote: boolean }): Promise<ModelInfo[]> {
    const config = this.deps.config.get();
    const origin = originOf(config.baseUrl);
    let ids: ProviderModel[] | undefined;
    // A base URL with user:password@ is never called, not even for the model list.
    if (origin && !baseUrlProblem(config.baseUrl)) {
      const cached = this.remote.get(config.baseUrl);
      const fresh = cached && Date.now() - cached.at < REMOTE_TTL_MS ? cached : undefined;
      if (fresh?.settled || !options.fetchRemote) ids = fresh?.settled;
      else ids = await withDeadline(fresh?.ids ?? this.fetchRemote(config.baseUrl, origin));
    }
    return mergeCatalog(config.models, ids);
  }

  private fetchRemote(baseUrl: string, origin: string): Promise<ProviderModel[] | undefined> {
    if (!this.deps.mayUseKeyFor(origin)) return Promise.resolve(undefined);
    const entry: { at: number; ids: Promise<ProviderModel[] | undefined>; settled?: ProviderModel[] } = {
      at: Date.now(),
      ids: this.list(baseUrl, origin).then((ids) => {
        if (ids) entry.settled = ids;
        else if (this.remote.get(baseUrl) === entry) this.remote.delete(baseUrl);
        return ids;
      }),
    };
    this.remote.set(baseUrl, entry);
    return entry.ids;
  }

  private async list(baseUrl: string, origin: string): Promise<ProviderModel[] | undefined> {
    const key = await this.deps.keys.get(origin);
    if (!key || apiKeyProblem(key)) return undefined;
    this.deps.log.addSecret(key);
    const config = this.deps.config.get();
    const r = await new ImageApiClient({
      fetch: this.deps.fetch,
      baseUrl,
      apiKey: key,
      timeoutMs: Math.min(config.requestTimeoutSeconds * 1000, 15_000),
      maxRetries: 0,
      log: this.deps.log.logFn,
    }).listModelEntries();
    if (r.ok) return r.value;
    this.deps.log.debug(`GET /models failed (${r.error.kind}); using the built-in catalog`);
    return undefined;
  }

  invalidate(): void {
    this.remote.clear();
  }
}
