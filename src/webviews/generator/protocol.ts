// Messages between the generator panel (host, generatorPanel.ts) and its page
// (webview-src/generator/main.ts). Types only: the host validates every page message with schema.ts.
import type { ItemView } from '../shared/itemView';

export const GENERATOR_VIEW_TYPE = 'imageGen.generator';

/** Localized on the host with `vscode.l10n.t`; `{0}`-style placeholders are filled in the page. */
export interface GeneratorStrings {
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
}

export interface CatalogModel {
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
  prompt: string;
  model: string;
  size: string;
  n: number;
  resultIds: string[];
  /** The chip language the user chose, when not automatic. */
  chipLanguage?: 'zh' | 'en';
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
  ReadyMessage | GenerateMessage | CancelMessage | ItemActionMessage | ClearResultsMessage;

// Host → page.

export interface InitMessage {
  type: 'init';
  strings: GeneratorStrings;
  /** VS Code's display language (`en`, `zh-cn`). */
  language: string;
  catalog: CatalogView;
  /** Newest first. */
  results: ItemView[];
  /** A prompt to put in the box, replacing what the page had (Reuse prompt, selection). */
  prompt?: string;
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
  /** When it failed: the reason in the same words as the notification, to show next to Generate. */
  error?: string;
}
/** The shown results changed outside the page (deleted in the gallery, cache cleared). */
export interface ResultsMessage {
  type: 'results';
  results: ItemView[];
}
/** Answer to an item action; `message` is a localized status to announce. */
export interface ReplyMessage {
  type: 'reply';
  requestId: number;
  ok: boolean;
  message?: string;
}

export type GeneratorEvent =
  InitMessage | SetPromptMessage | ProgressMessage | GenerateDoneMessage | ResultsMessage | ReplyMessage;
