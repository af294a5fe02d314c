// Models and sizes: the built-in catalog from the provider's documentation, merged with settings
// and with what the provider lists; plus the size grammar and the request splitting for n.
import { BUILTIN_CAPABILITIES, builtinCapabilities, type ModelCapabilities } from './capabilities';
import { readCapabilityFields } from './capabilitySettings';
import type { ProviderModel } from './providerModels';
import type { ModelInfo } from './types';

/** Sizes the provider documents as common; square first, as it is the usual default. */
export const COMMON_SIZES: readonly string[] = Object.freeze([
  '1024x1024',
  '720x1280',
  '1280x720',
  '1024x1792',
  '1792x1024',
]);

/** The API's own limit on `n`. */
export const MAX_IMAGES_PER_REQUEST = 10;
export const MIN_SIZE_EDGE = 64;
export const MAX_SIZE_EDGE = 8192;

const builtin = (id: string, label: string, sizes: readonly string[], maxPerRequest: number): ModelInfo => {
  const capabilities: ModelCapabilities | undefined = BUILTIN_CAPABILITIES[id];
  return Object.freeze({
    id,
    label,
    sizes: Object.freeze([...sizes]) as string[],
    maxPerRequest,
    source: 'builtin' as const,
    // The seed's own models document no options: their capabilities stay unknown, nothing is checked.
    ...(capabilities && Object.keys(capabilities).length > 0 ? { capabilities } : {}),
  });
};

const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];

/** The seed's four models first (in its order), then OpenAI's image models. */
export const BUILTIN_MODELS: readonly ModelInfo[] = Object.freeze([
  builtin('qh-draw-x2-preview', '启航绘图 X2 Preview', COMMON_SIZES, MAX_IMAGES_PER_REQUEST),
  builtin('qh-draw-x1-pro', '启航绘图 X1 Pro', COMMON_SIZES, MAX_IMAGES_PER_REQUEST),
  builtin('dall-e-3', 'DALL·E 3', ['1024x1024', '1792x1024', '1024x1792'], 1),
  builtin('nano-banana-2', 'Nano Banana 2', COMMON_SIZES, MAX_IMAGES_PER_REQUEST),
  builtin('gpt-image-2', 'GPT Image 2', [...GPT_IMAGE_SIZES, '2048x1152', '3840x2160', '2160x3840'], 10),
  builtin('gpt-image-1.5', 'GPT Image 1.5', GPT_IMAGE_SIZES, 10),
  builtin('gpt-image-1', 'GPT Image 1', GPT_IMAGE_SIZES, 10),
  builtin('gpt-image-1-mini', 'GPT Image 1 Mini', GPT_IMAGE_SIZES, 10),
  builtin('dall-e-2', 'DALL·E 2', ['256x256', '512x512', '1024x1024'], 10),
]);

/** Provider model ids that look like image models (the list also holds chat and embedding models). */
const IMAGE_MODEL_ID =
  /image|draw|dall|banana|flux|diffusion|sd|midjourney|mj|imagen|kolors|seedream|cogview|gpt-image|recraft|ideogram/i;

export function looksLikeImageModel(id: string): boolean {
  return IMAGE_MODEL_ID.test(id);
}

/**
 * `1024x1024`, `1024X1024`, `1024×1024`, `1024*1024`, blanks around the parts, full-width digits;
 * each edge 64–8192. Anything else: undefined.
 */
export function parseSize(text: string): { width: number; height: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(\d{1,5})\s*[xX×*]\s*(\d{1,5})\s*$/.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const inRange = (edge: number): boolean => edge >= MIN_SIZE_EDGE && edge <= MAX_SIZE_EDGE;
  return inRange(width) && inRange(height) ? { width, height } : undefined;
}

/** Canonical `WxH`, or `auto` (accepted by the GPT image models); undefined when not a size. */
export function normalizeSize(text: string): string | undefined {
  if (typeof text === 'string' && text.trim().toLowerCase() === 'auto') return 'auto';
  const size = parseSize(text);
  return size ? `${size.width}x${size.height}` : undefined;
}

function copy(model: ModelInfo): ModelInfo {
  const out: ModelInfo = {
    id: model.id,
    label: model.label,
    sizes: [...model.sizes],
    maxPerRequest: model.maxPerRequest,
    source: model.source,
  };
  if (model.capabilities) out.capabilities = { ...model.capabilities };
  return out;
}

interface SettingsOverride {
  id: string;
  label?: string;
  sizes?: string[];
  maxPerRequest?: number;
  capabilities?: ModelCapabilities;
}

function readSettingsEntry(entry: unknown): SettingsOverride | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const record = entry as Record<string, unknown>;
  if (typeof record.id !== 'string' || record.id.trim() === '') return undefined;
  const out: SettingsOverride = { id: record.id.trim() };
  if (typeof record.label === 'string' && record.label.trim() !== '') out.label = record.label.trim();
  if (Array.isArray(record.sizes)) {
    const sizes: string[] = [];
    for (const size of record.sizes) {
      const normalized = typeof size === 'string' ? normalizeSize(size) : undefined;
      if (normalized && !sizes.includes(normalized)) sizes.push(normalized);
    }
    if (sizes.length > 0) out.sizes = sizes;
  }
  const max = record.maxPerRequest;
  if (typeof max === 'number' && Number.isInteger(max) && max >= 1 && max <= MAX_IMAGES_PER_REQUEST) {
    out.maxPerRequest = max;
  }
  const capabilities = readCapabilityFields(record);
  if (capabilities) out.capabilities = capabilities;
  return out;
}

/** A model not in the built-in list: a dated snapshot inherits its family's capabilities. */
function newEntry(id: string, source: ModelInfo['source']): ModelInfo {
  const model: ModelInfo = {
    id,
    label: id,
    sizes: [...COMMON_SIZES],
    maxPerRequest: MAX_IMAGES_PER_REQUEST,
    source,
  };
  const capabilities = builtinCapabilities(id);
  if (capabilities && Object.keys(capabilities).length > 0) {
    model.capabilities = { ...capabilities };
    if (capabilities.sizeRule?.kind === 'list') {
      model.sizes = [...capabilities.sizeRule.sizes, ...(capabilities.sizeRule.auto ? ['auto'] : [])];
    }
  }
  return model;
}

/**
 * Built-ins, then models added in settings, then the provider's image models.
 * A settings entry `{id, label?, sizes?, maxPerRequest?, …capability fields}` overrides an existing
 * entry field by field (its source becomes 'settings'; capability fields replace the built-in's one
 * by one) or adds one (label = id, COMMON_SIZES, 10 per request); invalid entries and invalid fields
 * are ignored. Built-ins stay even when the provider does not list them.
 * Provider entries: when any of them says what kind of model it is (tags, group, type), only those
 * marked as image models are added; otherwise ids that look like image models are.
 */
export function mergeCatalog(
  settingsModels: unknown,
  providerModels?: readonly (string | ProviderModel)[],
): ModelInfo[] {
  const catalog = BUILTIN_MODELS.map(copy);
  const byId = new Map(catalog.map((m) => [m.id, m]));

  const added: ModelInfo[] = [];
  if (Array.isArray(settingsModels)) {
    for (const raw of settingsModels) {
      const entry = readSettingsEntry(raw);
      if (!entry) continue;
      let model = byId.get(entry.id);
      if (!model) {
        model = newEntry(entry.id, 'settings');
        byId.set(entry.id, model);
        added.push(model);
      }
      model.source = 'settings';
      if (entry.label !== undefined) model.label = entry.label;
      if (entry.sizes !== undefined) model.sizes = [...entry.sizes];
      if (entry.maxPerRequest !== undefined) model.maxPerRequest = entry.maxPerRequest;
      // Sizes typed in settings widen a built-in list rule, unless the entry gives its own rule.
      if (
        entry.sizes !== undefined &&
        model.capabilities?.sizeRule?.kind === 'list' &&
        !entry.capabilities?.sizeRule
      ) {
        const sizes = entry.sizes.filter((s) => s !== 'auto');
        model.capabilities = {
          ...model.capabilities,
          sizeRule: { kind: 'list', sizes, auto: entry.sizes.includes('auto') },
        };
      }
      if (entry.capabilities !== undefined) {
        model.capabilities = { ...(model.capabilities ?? {}), ...entry.capabilities };
      }
    }
  }

  const entries: ProviderModel[] = (providerModels ?? []).flatMap((raw) =>
    typeof raw === 'string' ? [{ id: raw }] : raw && typeof raw.id === 'string' ? [raw] : [],
  );
  const tagged = entries.some((e) => e.image !== undefined);
  const fromProvider: ModelInfo[] = [];
  for (const entry of entries) {
    const id = entry.id.trim();
    if (id === '' || byId.has(id)) continue;
    if (tagged ? entry.image !== true : !looksLikeImageModel(id)) continue;
    const model = newEntry(id, 'provider');
    byId.set(id, model);
    fromProvider.push(model);
  }

  return [...catalog, ...added, ...fromProvider];
}

/**
 * The catalog entry for `id` (exact, then trimmed). An unknown id (typed in by the user) gets a
 * synthetic entry labelled with the id, COMMON_SIZES and 10 per request, with source 'settings'
 * because it came from the user rather than the provider.
 */
export function findModel(catalog: readonly ModelInfo[], id: string): ModelInfo {
  const trimmed = id.trim();
  const found = catalog.find((m) => m.id === id) ?? catalog.find((m) => m.id === trimmed);
  if (found) return found;
  return newEntry(trimmed, 'settings');
}

/** Splits `n` images into requests of at most `maxPerRequest`: (5, 2) → [2, 2, 1]. */
export function splitCount(n: number, maxPerRequest: number): number[] {
  const total = Number.isFinite(n) ? Math.floor(n) : 0;
  const per = Number.isFinite(maxPerRequest) ? Math.max(1, Math.floor(maxPerRequest)) : 1;
  const out: number[] = [];
  for (let left = total; left > 0; left -= per) out.push(Math.min(per, left));
  return out;
}

/**
 * Runs the tasks with at most `limit` in flight; results in task order. Rejects with the first
 * error (tasks not started by then are never started); core tasks return `Result`s instead.
 */
export function runWithConcurrency<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const width = Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1));
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  return new Promise<T[]>((resolve, reject) => {
    if (tasks.length === 0) {
      resolve(results);
      return;
    }
    let done = 0;
    const launch = (): void => {
      if (failed || next >= tasks.length) return;
      const index = next++;
      let promise: Promise<T>;
      try {
        promise = Promise.resolve(tasks[index]());
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => {
          results[index] = value;
          done++;
          if (done === tasks.length) resolve(results);
          else launch();
        },
        (error: unknown) => {
          failed = true;
          reject(error);
        },
      );
    };
    for (let i = 0; i < Math.min(width, tasks.length); i++) launch();
  });
}
