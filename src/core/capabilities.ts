// What each model can do (PRODUCT.md §13): its size rule and the options it takes. Pure; the
// catalog attaches these to ModelInfo, the request check and the panel's controls read them.

/** `WxH` as normalized by the catalog; the catalog imports this file, so no import back from it. */
function parseSize(size: string): { width: number; height: number } | undefined {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** Sizes as a list (plus `auto` where allowed), or a rule like gpt-image-2's. */
export type SizeRule =
  | { kind: 'list'; sizes: readonly string[]; auto?: boolean }
  | {
      kind: 'grid';
      /** Both edges divisible by this. */
      multipleOf: number;
      /** Long edge / short edge at most this (3 = 1:3–3:1). */
      maxRatio: number;
      /** Longest edge allowed. */
      maxEdge: number;
      /** Width × height at most this. */
      maxPixels: number;
      auto?: boolean;
    };

/**
 * The options a model takes. A list holds the values it accepts; an absent field means the model
 * does not take that option. `undefined` capabilities on a model mean "not known": nothing is
 * checked and nothing is offered as a control.
 */
export interface ModelCapabilities {
  sizeRule?: SizeRule;
  quality?: readonly string[];
  background?: readonly string[];
  outputFormat?: readonly string[];
  /** `output_compression` 0–100 (only with jpeg/webp). */
  outputCompression?: boolean;
  moderation?: readonly string[];
  style?: readonly string[];
  /** `stream: true` with `partial_images` 0–3. */
  stream?: boolean;
  /** `POST /images/edits` (and variations) accept this model. */
  edits?: boolean;
  inputFidelity?: readonly string[];
}

/** The request-body key of each option the panel can show, in display order. */
export const OPTION_KEYS = Object.freeze({
  quality: 'quality',
  background: 'background',
  outputFormat: 'output_format',
  outputCompression: 'output_compression',
  moderation: 'moderation',
  style: 'style',
  inputFidelity: 'input_fidelity',
} as const);

export type OptionName = keyof typeof OPTION_KEYS;
export const OPTION_NAMES = Object.keys(OPTION_KEYS) as OptionName[];

/** Streaming asks for this many partial images unless the request says otherwise. */
export const DEFAULT_PARTIAL_IMAGES = 2;

const GPT_SIZES = ['1024x1024', '1536x1024', '1024x1536'] as const;

const gptImage = (inputFidelity: boolean): ModelCapabilities =>
  Object.freeze<ModelCapabilities>({
    sizeRule: { kind: 'list', sizes: GPT_SIZES, auto: true },
    quality: ['auto', 'low', 'medium', 'high'],
    background: ['auto', 'transparent', 'opaque'],
    outputFormat: ['png', 'jpeg', 'webp'],
    outputCompression: true,
    moderation: ['auto', 'low'],
    stream: true,
    edits: true,
    ...(inputFidelity ? { inputFidelity: ['low', 'high'] } : {}),
  });

/** Capabilities by built-in model id. The seed's own models document only prompt, model and size. */
export const BUILTIN_CAPABILITIES: Readonly<Record<string, ModelCapabilities>> = Object.freeze({
  'qh-draw-x2-preview': {},
  'qh-draw-x1-pro': {},
  'nano-banana-2': {},
  'dall-e-3': {
    sizeRule: { kind: 'list', sizes: ['1024x1024', '1792x1024', '1024x1792'] },
    quality: ['standard', 'hd'],
    style: ['vivid', 'natural'],
    edits: false,
  },
  'dall-e-2': {
    sizeRule: { kind: 'list', sizes: ['256x256', '512x512', '1024x1024'] },
    edits: true,
  },
  'gpt-image-1': gptImage(true),
  'gpt-image-1-mini': gptImage(false),
  'gpt-image-1.5': gptImage(true),
  'gpt-image-2': {
    ...gptImage(true),
    sizeRule: {
      kind: 'grid',
      multipleOf: 16,
      maxRatio: 3,
      maxEdge: 3840,
      maxPixels: 3840 * 2160,
      auto: true,
    },
  },
});

/** Built-in capabilities for an id or a dated snapshot of it (`gpt-image-2-2026-04-21`). */
export function builtinCapabilities(id: string): ModelCapabilities | undefined {
  const own = BUILTIN_CAPABILITIES[id];
  if (own) return own;
  const snapshot = /^(.+?)-\d{4}-\d{2}-\d{2}$/.exec(id);
  return snapshot ? BUILTIN_CAPABILITIES[snapshot[1]] : undefined;
}

/** Whether `size` (already normalized `WxH` or `auto`) fits the rule; no rule accepts any size. */
export function sizeFits(rule: SizeRule | undefined, size: string): boolean {
  if (!rule) return true;
  if (size === 'auto') return rule.auto === true;
  const parsed = parseSize(size);
  if (!parsed) return false;
  if (rule.kind === 'list') return rule.sizes.includes(`${parsed.width}x${parsed.height}`);
  const { width, height } = parsed;
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  return (
    width % rule.multipleOf === 0 &&
    height % rule.multipleOf === 0 &&
    long <= rule.maxEdge &&
    long <= short * rule.maxRatio &&
    width * height <= rule.maxPixels
  );
}

/** Aspect distance first, then area distance, both on a log scale. */
function distance(a: { width: number; height: number }, b: { width: number; height: number }): number {
  const ratio = Math.abs(Math.log(a.width / a.height) - Math.log(b.width / b.height));
  const area = Math.abs(Math.log((a.width * a.height) / (b.width * b.height)));
  return ratio * 10 + area;
}

/**
 * The valid size closest to `size` (same shape first, then same area), or undefined when the rule
 * accepts it already or nothing sensible can be said (`auto` not allowed and no list).
 */
export function nearestSize(rule: SizeRule | undefined, size: string): string | undefined {
  if (!rule || sizeFits(rule, size)) return undefined;
  const wanted = parseSize(size) ?? (size === 'auto' ? { width: 1024, height: 1024 } : undefined);
  if (!wanted) return rule.kind === 'list' ? rule.sizes[0] : '1024x1024';
  if (rule.kind === 'list') {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of rule.sizes) {
      const parsed = parseSize(candidate);
      if (!parsed) continue;
      const d = distance(wanted, parsed);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
  // Clamp the shape into the allowed ratio, shrink into the edge and pixel limits, snap to the grid.
  const step = rule.multipleOf;
  let ratio = wanted.width / wanted.height;
  ratio = Math.min(rule.maxRatio, Math.max(1 / rule.maxRatio, ratio));
  let height = Math.sqrt((wanted.width * wanted.height) / ratio);
  let width = height * ratio;
  const scale = Math.min(
    1,
    rule.maxEdge / Math.max(width, height),
    Math.sqrt(rule.maxPixels / (width * height)),
  );
  width *= scale;
  height *= scale;
  const snap = (edge: number): number => Math.max(step, Math.round(edge / step) * step);
  let w = snap(width);
  let h = snap(height);
  // Rounding may step over a limit; walk down the grid until it fits.
  for (let i = 0; i < 64 && !sizeFits(rule, `${w}x${h}`); i++) {
    if (w >= h) w -= step;
    else h -= step;
    if (w < step || h < step) return undefined;
  }
  return sizeFits(rule, `${w}x${h}`) ? `${w}x${h}` : undefined;
}

/** One sentence in words of the rule, for messages and the panel (the caller localizes the frame). */
export function describeSizeRule(rule: SizeRule): string {
  if (rule.kind === 'list') return [...rule.sizes, ...(rule.auto ? ['auto'] : [])].join(', ');
  const long = rule.maxEdge;
  const short = Math.floor(rule.maxPixels / long);
  return `W×H ÷${rule.multipleOf}, 1:${rule.maxRatio}–${rule.maxRatio}:1, ≤ ${long}×${short}`;
}
