// The request of `POST /images/edits` (OpenAI's contract, which OpenAI-compatible gateways follow):
// multipart/form-data with `image` (one) or `image[]` (several), `mask`, `prompt`, `model`, `size`,
// `n` and the settings' extraParameters.
import { MAX_IMAGES_PER_REQUEST, normalizeSize } from './catalog';
import { sniffImageType } from './imageType';
import type { FormPart } from './multipart';

/** OpenAI takes up to 16 images per edit: the one edited plus 15 references. */
export const MAX_EDIT_IMAGES = 16;

export interface EditImageFile {
  /** Sent as the part's file name (the provider may use it to guess the type). */
  filename: string;
  bytes: Uint8Array;
}

export interface EditRequest {
  prompt: string;
  model: string;
  /** Left out of the request when absent: the provider keeps the source image's size. */
  size?: string;
  n: number;
  /** The image edited first, then any references. */
  images: EditImageFile[];
  /** PNG with the same size as the first image; transparent pixels are the area to change. */
  mask?: EditImageFile;
  extraParameters?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export type EditProblem =
  | 'emptyPrompt'
  | 'emptyModel'
  | 'badSize'
  | 'badCount'
  | 'noImage'
  | 'tooManyImages'
  | 'notImage'
  | 'maskNotPng';

const CORE_FIELDS = new Set(['prompt', 'model', 'size', 'n', 'image', 'image[]', 'mask']);

function plainObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** First problem of an edit before it is sent, or undefined when it looks sendable. */
export function validateEditRequest(req: EditRequest): EditProblem | undefined {
  if (typeof req.prompt !== 'string' || req.prompt.trim() === '') return 'emptyPrompt';
  if (typeof req.model !== 'string' || req.model.trim() === '') return 'emptyModel';
  if (req.size !== undefined && (typeof req.size !== 'string' || normalizeSize(req.size) === undefined))
    return 'badSize';
  if (!Number.isInteger(req.n) || req.n < 1 || req.n > MAX_IMAGES_PER_REQUEST) return 'badCount';
  if (!Array.isArray(req.images) || req.images.length === 0) return 'noImage';
  if (req.images.length > MAX_EDIT_IMAGES) return 'tooManyImages';
  if (req.images.some((image) => !sniffImageType(image.bytes))) return 'notImage';
  if (req.mask && sniffImageType(req.mask.bytes)?.ext !== 'png') return 'maskNotPng';
  return undefined;
}

/** A form value: strings as they are, other JSON values as JSON (numbers, booleans, objects). */
function formValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function filePart(name: string, file: EditImageFile): FormPart {
  return {
    name,
    filename: file.filename || 'image',
    contentType: sniffImageType(file.bytes)?.mime ?? 'application/octet-stream',
    data: file.bytes,
  };
}

/**
 * The form's parts: extraParameters, then the command's `extra` (which wins), then prompt, model,
 * size, n and the files, which always win. Undefined and null values are left out (a form has no null).
 */
export function buildEditForm(req: EditRequest): FormPart[] {
  const extras: Record<string, unknown> = { ...plainObject(req.extraParameters), ...plainObject(req.extra) };
  const parts: FormPart[] = [];
  for (const [name, value] of Object.entries(extras)) {
    if (CORE_FIELDS.has(name) || value === undefined || value === null) continue;
    parts.push({ name, value: formValue(value) });
  }
  parts.push({ name: 'prompt', value: req.prompt }, { name: 'model', value: req.model });
  if (req.size !== undefined) parts.push({ name: 'size', value: req.size });
  parts.push({ name: 'n', value: String(req.n) });
  const imageField = req.images.length > 1 ? 'image[]' : 'image';
  for (const image of req.images) parts.push(filePart(imageField, image));
  if (req.mask) parts.push(filePart('mask', req.mask));
  return parts;
}
