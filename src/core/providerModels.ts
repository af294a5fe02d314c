// What a provider's `GET /models` says about each model. Gateways such as 启航 AI mark their
// models with `tags`, `group` or a type ("绘图"); OpenAI's own list says nothing of the kind.

export interface ProviderModel {
  id: string;
  /** true/false when the entry says whether it draws images; undefined when it says nothing. */
  image?: boolean;
}

const KIND_FIELDS = [
  'tags',
  'tag',
  'group',
  'groups',
  'type',
  'model_type',
  'category',
  'supported_endpoint_types',
];

const IMAGE_KIND =
  /绘图|绘画|画图|生图|图像生成|图片生成|文生图|image[-_ ]?(generation|gen)|text[-_ ]?to[-_ ]?image|\bimages?\b|draw|paint/i;

function words(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(/[,，;；|/]/)
      .map((w) => w.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.flatMap(words);
  if (typeof value === 'object' && value !== null) {
    const named = (value as Record<string, unknown>).name ?? (value as Record<string, unknown>).label;
    return words(named);
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the entry's own kind fields call it an image model; undefined when it has none. */
export function imageKindOf(entry: Record<string, unknown>): boolean | undefined {
  const found = KIND_FIELDS.filter((f) => f in entry && entry[f] !== null && entry[f] !== undefined);
  if (found.length === 0) return undefined;
  return found.some((f) => words(entry[f]).some((w) => IMAGE_KIND.test(w)));
}

/** `{data: [...]}`, `{models: [...]}` or a bare array, of ids or objects with `id`; undefined when none of those. */
export function parseProviderModels(json: unknown): ProviderModel[] | undefined {
  const list = Array.isArray(json) ? json : isRecord(json) ? (json.data ?? json.models) : undefined;
  if (!Array.isArray(list)) return undefined;
  const out: ProviderModel[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const id =
      typeof item === 'string' ? item : isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
    const trimmed = id?.trim();
    if (!trimmed || seen.has(trimmed)) continue;
    seen.add(trimmed);
    const entry: ProviderModel = { id: trimmed };
    const image = isRecord(item) ? imageKindOf(item) : undefined;
    if (image !== undefined) entry.image = image;
    out.push(entry);
  }
  return out;
}
