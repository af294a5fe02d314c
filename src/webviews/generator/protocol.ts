// Messages between the generator panel (host, generatorPanel.ts) and its page
// (webview-src/generator/main.ts). Types only: the host validates every page message with schema.ts.
import type { ItemView } from '../shared/itemView';
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

/** At most this many images per edit (OpenAI): the one edited plus 15 references. */
export const MAX_EDIT_IMAGES = 16;
/** Largest image the page may send (OpenAI's limit per file). */
export const MAX_EDIT_IMAGE_BYTES = 50 * 1024 * 1024;

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

// Page → host.

export interface ReadyMessage {
  type: 'ready';
}
export interface GenerateMessage {
  type: 'generate';
  requestId: number;
  prompt: string;
  model: string;
  size: string;
  n: number;
  /** The model option choices (fitted again on the host). */
  options?: PanelOptions;
}
/** Generate with images: the first is edited (with the mask, when painted), the others guide it. */
export interface EditMessage {
  type: 'edit';
  requestId: number;
  prompt: string;
  model: string;
  /** Absent: the provider keeps the image's size. */
  size?: string;
  n: number;
  images: ImageFile[];
  /** PNG of the first image's size; transparent where it should change. */
  mask?: Uint8Array;
}
/** Asks the host for an open dialog; it answers with `imagesPicked`. */
export interface PickImagesMessage {
  type: 'pickImages';
  requestId: number;
}
export interface CancelMessage {
  type: 'cancel';
  requestId: number;
}
export interface ItemActionMessage {
  type: 'insertFile' | 'insertUrl' | 'copyMarkdown' | 'open';
  requestId: number;
  id: string;
}
export interface ClearResultsMessage {
  type: 'clearResults';
}

export type GeneratorRequest =
  | ReadyMessage
  | GenerateMessage
  | EditMessage
  | PickImagesMessage
  | CancelMessage
  | ItemActionMessage
  | ClearResultsMessage;

// Host → page.

export interface InitMessage {
  type: 'init';
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
}
export interface SetPromptMessage {
  type: 'setPrompt';
  prompt: string;
  model?: string;
  size?: string;
}
export interface ProgressMessage {
  type: 'progress';
  requestId: number;
  done: number;
  total: number;
}
export interface GenerateDoneMessage {
  type: 'generateDone';
  requestId: number;
  status: 'done' | 'failed' | 'cancelled';
  /** How many new images this generation added. */
  added: number;
  results: ItemView[];
  groups: number[];
  /** When it failed: the reason in the same words as the notification, to show next to Generate. */
  error?: string;
}
/** The shown results changed outside the page (deleted in the gallery, cache cleared). */
export interface ResultsMessage {
  type: 'results';
  results: ItemView[];
  groups: number[];
}
/** Answer to an item action; `message` is a localized status to announce. */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  message?: string;
}

/** A partial image of the running streamed generation, written beside the image cache. */
export interface PartialMessage {
  type: 'partial';
  requestId: number;
  index: number;
  src: string;
}

/** Images the user picked in the host's open dialog. */
export interface ImagesPickedMessage {
  type: 'imagesPicked';
  requestId: number;
  files: ImageFile[];
}

export type GeneratorEvent =
  | InitMessage
  | SetPromptMessage
  | ProgressMessage
  | GenerateDoneMessage
  | ResultsMessage
  | ReplyMessage
  | ImagesPickedMessage
  | PartialMessage;
