import { ImageApiClient, type FetchLike } from '../core/apiClient';
import { mergeCatalog } from '../core/catalog';
import { originOf } from '../core/origin';
import type { ModelInfo } from '../core/types';
import type { ApiKeyStore } from './apiKeys';
import type { ConfigurationReader } from './configuration';
import type { Logger } from './logger';

const REMOTE_TTL_MS = 10 * 60 * 1000;
const REMOTE_WAIT_MS = 3000;

/**
 * The model catalog: built-ins, then `imageGen.models`, then what `GET /models` of the provider
 * lists (cached per origin; a failure is silent and falls back).
 */
export class CatalogService {
  private readonly remote = new Map<string, { at: number; ids: Promise<string[] | undefined> }>();

  constructor(
    private readonly deps: { config: ConfigurationReader; keys: ApiKeyStore; fetch: FetchLike; log: Logger },
  ) {}

  async models(options: { fetchRemote: boolean }): Promise<ModelInfo[]> {
    const config = this.deps.config.get();
    const origin = originOf(config.baseUrl);
    let ids: string[] | undefined;
    if (origin) {
      const cached = this.remote.get(config.baseUrl);
      if (cached && Date.now() - cached.at < REMOTE_TTL_MS) ids = await cached.ids;
      else if (options.fetchRemote) ids = await this.fetchRemote(config.baseUrl, origin);
    }
    return mergeCatalog(config.models, ids);
  }

  /** Lists the provider's models with a short wait, so a slow `/models` never blocks the picker. */
  private async fetchRemote(baseUrl: string, origin: string): Promise<string[] | undefined> {
    const key = await this.deps.keys.get(origin);
    if (!key) return undefined;
    this.deps.log.addSecret(key);
    const config = this.deps.config.get();
    const ids = new ImageApiClient({
      fetch: this.deps.fetch,
      baseUrl,
      apiKey: key,
      timeoutMs: Math.min(config.requestTimeoutSeconds * 1000, 15_000),
      maxRetries: 0,
      log: this.deps.log.logFn,
    })
      .listModels()
      .then((r) => {
        if (r.ok) return r.value;
        this.deps.log.debug(`GET /models failed (${r.error.kind}); using the built-in catalog`);
        this.remote.delete(baseUrl);
        return undefined;
      });
    this.remote.set(baseUrl, { at: Date.now(), ids });
    return Promise.race([ids, new Promise<undefined>((r) => setTimeout(() => r(undefined), REMOTE_WAIT_MS))]);
  }

  invalidate(): void {
    this.remote.clear();
  }
}
