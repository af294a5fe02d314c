// Messages between the generator panel (host, generatorPanel.ts) and its page
// (webview-src/generator/main.ts), each declared once: the page's in `generatorInbound` (type,
// validator and the host's handler map all come from it), the host's in `GeneratorEvents`.
import { notice, replyOf, request, validatorOf } from '../kernel/messages';
import type { EventOf, EventsOf, MessageOf, MessagesOf, RequestTypes } from '../kernel/messages';
import type { ItemView } from '../shared/itemView';
import {
  arrayOf,
  bytes,
  imageCount,
  int,
  itemId,
  literal,
  modelId,
  object,
  optional,
  promptText,
  requestId,
  str,
} from '../validate';
import type { Validator } from '../validate';
import { MAX_EDIT_IMAGE_BYTES, MAX_EDIT_IMAGES } from './limits';
import type { ModelOptionsView, OptionStrings, PanelOptions } from '../shared/modelOptions';

export const GENERATOR_VIEW_TYPE = 'imageGen.generator';

/** Localized on the host with `vscode.l10n.t`; `{0}`-style placeholders are filled in the page. */
export interface GeneratorStrings {
  /** The model option controls and partial images (optionStrings.ts). */
  options: OptionStrings;
  title: string;
  prompt: string;
  promptPlaceholder: string;
  /** `{0}` = the key chord, e.g. Ctrl+Enter. */
  generateHint: string;
  model: string;
  size: string;
  sizeInvalid: string;
  count: string;
  helpers: string;
  quality: string;
  style: string;
  lighting: string;
  chipLanguage: string;
  chipToggleAdd: string;
  chipToggleRemove: string;
  generate: string;
  cancel: string;
  /** `{0}` done, `{1}` total. */
  progress: string;
  generatedOne: string;
  /** `{0}` = count. */
  generatedMany: string;
  failed: string;
  cancelled: string;
  promptRequired: string;
  results: string;
  noResults: string;
  clearResults: string;
  insertFile: string;
  insertUrl: string;
  copyMarkdown: string;
  open: string;
  noLocalCopy: string;
  noUrl: string;
  imageUnavailable: string;
  imageOne: string;
  /** `{0}` = count. */
  imageMany: string;
  dragHint: string;
  /** Reference images and the mask brush (PRODUCT.md §11). */
  editing: EditingStrings;
}

export interface EditingStrings {
  images: string;
  addImages: string;
  dropHint: string;
  /** `{0}` = file name. */
  remove: string;
  paintMask: string;
  maskHint: string;
  brushSize: string;
  undo: string;
  clear: string;
  edit: string;
  /** `{0}` = the limit. */
  tooMany: string;
  notImage: string;
}

/** Images the page sends or receives: name and bytes (PNG, JPEG or WebP). */
export interface ImageFile {
  name: string;
  data: Uint8Array;
}

export { MAX_EDIT_IMAGE_BYTES, MAX_EDIT_IMAGES } from './limits';

export interface CatalogModel {
  /** The options this model takes, as controls; undefined = none (or not known). */
  options?: ModelOptionsView;
  id: string;
  label: string;
  sizes: string[];
  maxPerRequest: number;
}

export interface CatalogView {
  models: CatalogModel[];
  defaultModel: string;
  defaultSize: string;
  count: number;
}

/** What the page keeps with `vscode.setState`; the serializer hands it back after a reload. */
export interface GeneratorPageState {
  /** The model option choices. */
  options?: PanelOptions;
  prompt: string;
  model: string;
  size: string;
  n: number;
  resultIds: string[];
  /** The chip language the user chose, when not automatic. */
  chipLanguage?: 'zh' | 'en';
  /** Sizes of the generations in `resultIds`, newest first. */
  resultGroups?: number[];
}

export interface RunningGeneration {
  requestId: number;
  done: number;
  total: number;
}

const imageFile = object({
  name: str({ min: 1, max: 255 }),
  data: bytes({ min: 12, max: MAX_EDIT_IMAGE_BYTES }),
});

/** Option choices: short words (the host keeps only those the model offers) and two numbers. */
const optionWord = optional(str({ min: 1, max: 40, pattern: /^[a-z0-9_-]+$/ }));
const panelOptions = optional(
  object({
    quality: optionWord,
    background: optionWord,
    outputFormat: optionWord,
    moderation: optionWord,
    style: optionWord,
    outputCompression: optional(int({ min: 0, max: 100 })),
    partialImages: optional(int({ min: 0, max: 3 })),
  }),
);
/** The page normalizes what was typed; the host takes only the canonical form. */
const sizeField = str({ min: 3, max: 11, pattern: /^([1-9][0-9]{1,4}x[1-9][0-9]{1,4}|auto)$/ });
const onItem = { id: itemId };

/** Page → host. */
export const generatorInbound = {
  ready: notice({}),
  /**
   * Starts a generation; the page names its id (it is shown as running until the `generateDone`
   * with this id, which the host always sends, refused or not).
   */
  generate: notice({
    requestId,
    prompt: str({ min: 1, max: 32_000 }),
    model: modelId,
    size: sizeField,
    n: imageCount,
    /** The model option choices (fitted again on the host). */
    options: panelOptions,
  }),
  /** Generate with images: the first is edited (with the mask, when painted), the others guide it. */
  edit: notice({
    requestId,
    prompt: str({ min: 1, max: 32_000 }),
    model: modelId,
    /** Absent: the provider keeps the image's size. */
    size: optional(sizeField),
    n: imageCount,
    images: arrayOf(imageFile, { max: MAX_EDIT_IMAGES }),
    /** PNG of the first image's size; transparent where it should change. */
    mask: optional(bytes({ min: 12, max: MAX_EDIT_IMAGE_BYTES })),
  }),
  /** Stops the running generation with this id. */
  cancel: notice({ requestId }),
  clearResults: notice({}),
  /** The host's open dialog; the reply carries the images picked. */
  pickImages: request({}, replyOf<ImageFile[]>()),
  insertFile: request(onItem),
  insertUrl: request(onItem),
  copyMarkdown: request(onItem),
  open: request(onItem),
};
export type GeneratorInbound = typeof generatorInbound;
export type GeneratorRequest = MessagesOf<GeneratorInbound>;
export const generatorRequest = validatorOf(generatorInbound);
export type GenerateMessage = MessageOf<GeneratorInbound, 'generate'>;
export type EditMessage = MessageOf<GeneratorInbound, 'edit'>;
/** The actions on one result (its buttons). */
export type GeneratorItemAction = Exclude<RequestTypes<GeneratorInbound>, 'pickImages'>;

/** Lenient on form fields (a half-typed size is fine to restore), strict on types. */
export const generatorPageState: Validator<GeneratorPageState> = object({
  prompt: promptText,
  model: str({ max: 200 }),
  size: str({ max: 40 }),
  n: imageCount,
  resultIds: arrayOf(itemId, { max: 200 }),
  chipLanguage: optional(literal('zh', 'en')),
  options: panelOptions,
  resultGroups: optional(arrayOf(int({ min: 1, max: 200 }), { max: 200 })),
});

/** Host → page (besides the kernel's `reply`). */
export interface GeneratorEvents {
  init: {
    strings: GeneratorStrings;
    /** VS Code's display language (`en`, `zh-cn`). */
    language: string;
    catalog: CatalogView;
    /** Newest first. */
    results: ItemView[];
    /** Sizes of the generations in `results`, newest first. */
    groups: number[];
    /** A prompt to put in the box, replacing what the page had (Reuse prompt, selection). */
    prompt?: string;
    /** With a reused prompt: the model and size it was generated with. */
    model?: string;
    size?: string;
    running?: RunningGeneration;
    /**
     * The form the serializer revived the panel with (checked on the host); the page uses it when
     * it has no `getState()` of its own.
     */
    restored?: GeneratorPageState;
  };
  setPrompt: { prompt: string; model?: string; size?: string };
  progress: { requestId: number; done: number; total: number };
  generateDone: {
    requestId: number;
    status: 'done' | 'failed' | 'cancelled';
    /** How many new images this generation added. */
    added: number;
    results: ItemView[];
    groups: number[];
    /** When it failed: the reason in the same words as the notification, to show next to Generate. */
    error?: string;
  };
  /** The shown results changed outside the page (deleted in the gallery, cache cleared). */
  results: { results: ItemView[]; groups: number[] };
  /** A partial image of the running streamed generation, written beside the image cache. */
  partial: { requestId: number; index: number; src: string };
}
export type GeneratorEvent = EventsOf<GeneratorEvents>;
export type InitMessage = EventOf<GeneratorEvents, 'init'>;
export type GenerateDoneMessage = EventOf<GeneratorEvents, 'generateDone'>;
export type PartialMessage = EventOf<GeneratorEvents, 'partial'>;
