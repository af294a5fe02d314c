// The generator panel's option controls (PRODUCT.md §13): which options a model takes, what the
// user's choices mean as request parameters, and the corrections made visibly before sending.
// Pure, compiled into both the host and the page.
import type { ModelCapabilities } from '../../core/capabilities';

/** Options offered as a list of values, in display order. */
export const CHOICE_OPTIONS = ['quality', 'background', 'outputFormat', 'moderation', 'style'] as const;
export type ChoiceOption = (typeof CHOICE_OPTIONS)[number];

/** The request-body key of each control. */
export const OPTION_PARAMETERS: Readonly<Record<ChoiceOption | 'outputCompression', string>> = {
  quality: 'quality',
  background: 'background',
  outputFormat: 'output_format',
  moderation: 'moderation',
  style: 'style',
  outputCompression: 'output_compression',
};

/** What a model's controls offer; an absent field is an option the model does not take (no control). */
export interface ModelOptionsView {
  quality?: string[];
  background?: string[];
  outputFormat?: string[];
  moderation?: string[];
  style?: string[];
  outputCompression?: boolean;
  /** Streams partial images (for one image at a time). */
  partialImages?: boolean;
}

/** The user's choices; an unset field is the provider's default (nothing sent). */
export interface PanelOptions {
  quality?: string;
  background?: string;
  outputFormat?: string;
  moderation?: string;
  style?: string;
  /** 0–100, only with jpeg or webp. */
  outputCompression?: number;
  /** 0 = no streaming; 1–3 partial images before the final one. */
  partialImages?: number;
}

export const MAX_PARTIAL_IMAGES = 3;

/** The controls' words, localized on the host; `partialCaption` has `{0}` for 1, 2, 3. */
export interface OptionStrings {
  title: string;
  default: string;
  labels: Record<ChoiceOption | 'outputCompression' | 'partialImages', string>;
  /** Display names of option values (`hd`, `transparent`…); a value without one shows as is. */
  values: Record<string, string>;
  partialDefault: string;
  partialOff: string;
  partialOneImage: string;
  formatForTransparency: string;
  partialCaption: string;
}

/** The controls for a model's capabilities; undefined when it takes none of them (or nothing is known). */
export function optionsView(caps: ModelCapabilities | undefined): ModelOptionsView | undefined {
  if (!caps) return undefined;
  const view: ModelOptionsView = {};
  for (const name of CHOICE_OPTIONS) {
    const values = caps[name];
    if (values && values.length > 0) view[name] = [...values];
  }
  if (caps.outputCompression) view.outputCompression = true;
  if (caps.stream) view.partialImages = true;
  return Object.keys(view).length > 0 ? view : undefined;
}

/** Compression means something only for jpeg and webp (png is the models' default format). */
export function compressionApplies(options: PanelOptions): boolean {
  return options.outputFormat === 'jpeg' || options.outputFormat === 'webp';
}

/**
 * The choices a model can take: values it does not offer are dropped, and a transparent
 * background with jpeg becomes png (jpeg has no alpha channel), said in `corrected`.
 */
export function fitOptions(
  options: PanelOptions,
  view: ModelOptionsView | undefined,
): { options: PanelOptions; corrected?: 'formatForTransparency' } {
  const out: PanelOptions = {};
  if (!view) return { options: out };
  for (const name of CHOICE_OPTIONS) {
    const value = options[name];
    if (value !== undefined && view[name]?.includes(value)) out[name] = value;
  }
  let corrected: 'formatForTransparency' | undefined;
  if (out.background === 'transparent' && out.outputFormat === 'jpeg') {
    out.outputFormat = view.outputFormat?.includes('png') ? 'png' : undefined;
    corrected = 'formatForTransparency';
  }
  const compression = options.outputCompression;
  if (
    view.outputCompression &&
    compressionApplies(out) &&
    typeof compression === 'number' &&
    Number.isInteger(compression) &&
    compression >= 0 &&
    compression <= 100
  )
    out.outputCompression = compression;
  const partial = options.partialImages;
  if (
    view.partialImages &&
    typeof partial === 'number' &&
    Number.isInteger(partial) &&
    partial >= 0 &&
    partial <= MAX_PARTIAL_IMAGES
  )
    out.partialImages = partial;
  return corrected ? { options: out, corrected } : { options: out };
}

/** The request parameters of (already fitted) choices. */
export function optionParameters(options: PanelOptions): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const name of CHOICE_OPTIONS) {
    const value = options[name];
    if (value !== undefined) params[OPTION_PARAMETERS[name]] = value;
  }
  if (options.outputCompression !== undefined) params.output_compression = options.outputCompression;
  if (options.partialImages === 0) params.stream = false;
  else if (options.partialImages !== undefined) params.partial_images = options.partialImages;
  return params;
}
