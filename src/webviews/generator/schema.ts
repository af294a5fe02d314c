// Validation of everything the generator page sends (and of the state it saved). No `vscode` import.
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
  tagged,
} from '../validate';
import type { Validator } from '../validate';
import { MAX_EDIT_IMAGE_BYTES, MAX_EDIT_IMAGES } from './protocol';
import type { GeneratorPageState, GeneratorRequest } from './protocol';

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

const itemAction = <T extends 'insertFile' | 'insertUrl' | 'copyMarkdown' | 'open'>(type: T) =>
  object({ type: literal(type), requestId, id: itemId });

export const generatorRequest: Validator<GeneratorRequest> = tagged({
  ready: object({ type: literal('ready') }),
  generate: object({
    type: literal('generate'),
    requestId,
    prompt: str({ min: 1, max: 32_000 }),
    model: modelId,
    // The page normalizes what was typed; the host takes only the canonical form.
    size: str({ min: 3, max: 11, pattern: /^([1-9][0-9]{1,4}x[1-9][0-9]{1,4}|auto)$/ }),
    n: imageCount,
    options: panelOptions,
  }),
  edit: object({
    type: literal('edit'),
    requestId,
    prompt: str({ min: 1, max: 32_000 }),
    model: modelId,
    size: optional(str({ min: 3, max: 11, pattern: /^([1-9][0-9]{1,4}x[1-9][0-9]{1,4}|auto)$/ })),
    n: imageCount,
    images: arrayOf(imageFile, { max: MAX_EDIT_IMAGES }),
    mask: optional(bytes({ min: 12, max: MAX_EDIT_IMAGE_BYTES })),
  }),
  pickImages: object({ type: literal('pickImages'), requestId }),
  cancel: object({ type: literal('cancel'), requestId }),
  insertFile: itemAction('insertFile'),
  insertUrl: itemAction('insertUrl'),
  copyMarkdown: itemAction('copyMarkdown'),
  open: itemAction('open'),
  clearResults: object({ type: literal('clearResults') }),
});

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
