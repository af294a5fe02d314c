// What an agent may pass to the imageGen_generate and imageGen_edit tools: one JSON schema per tool
// (the same in package.json, where a unit test compares them, and in the MCP server) and one
// checker, since a model's arguments are input like any other.
import { MAX_IMAGES_PER_REQUEST, normalizeSize } from './catalog';
import { MAX_EDIT_IMAGES } from './editRequest';
import { err, ok, type Result } from './types';

export const GENERATE_TOOL = 'imageGen_generate';
export const EDIT_TOOL = 'imageGen_edit';
/** Agents ask for few images: more than this per call needs the user's own command. */
export const MAX_AGENT_IMAGES = 4;

export interface GenerateInput {
  prompt: string;
  model?: string;
  size?: string;
  n: number;
  path?: string;
}

export interface EditInput {
  image: string;
  prompt: string;
  mask?: string;
  references: string[];
  model?: string;
  size?: string;
  path?: string;
}

export type InputProblem =
  | { problem: 'notObject' }
  | { problem: 'missing'; field: string }
  | { problem: 'notString'; field: string }
  | { problem: 'badCount'; max: number }
  | { problem: 'badSize'; size: string }
  | { problem: 'tooManyReferences'; max: number };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(
  raw: Record<string, unknown>,
  field: string,
): Result<string | undefined, InputProblem> {
  const value = raw[field];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return err({ problem: 'notString', field });
  return ok(value.trim() === '' ? undefined : value.trim());
}

function requiredString(raw: Record<string, unknown>, field: string): Result<string, InputProblem> {
  const value = optionalString(raw, field);
  if (!value.ok) return value;
  return value.value === undefined ? err({ problem: 'missing', field }) : ok(value.value);
}

function checkedSize(raw: Record<string, unknown>): Result<string | undefined, InputProblem> {
  const size = optionalString(raw, 'size');
  if (!size.ok || size.value === undefined) return size;
  const normalized = normalizeSize(size.value);
  return normalized ? ok(normalized) : err({ problem: 'badSize', size: size.value });
}

/** Checks imageGen_generate's arguments; unknown fields are ignored. */
export function parseGenerateInput(raw: unknown): Result<GenerateInput, InputProblem> {
  if (!isRecord(raw)) return err({ problem: 'notObject' });
  const prompt = requiredString(raw, 'prompt');
  if (!prompt.ok) return prompt;
  const model = optionalString(raw, 'model');
  if (!model.ok) return model;
  const size = checkedSize(raw);
  if (!size.ok) return size;
  const path = optionalString(raw, 'path');
  if (!path.ok) return path;
  const n = raw.n ?? 1;
  const max = Math.min(MAX_AGENT_IMAGES, MAX_IMAGES_PER_REQUEST);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max)
    return err({ problem: 'badCount', max });
  return ok({ prompt: prompt.value, model: model.value, size: size.value, n, path: path.value });
}

/** Checks imageGen_edit's arguments; unknown fields are ignored. */
export function parseEditInput(raw: unknown): Result<EditInput, InputProblem> {
  if (!isRecord(raw)) return err({ problem: 'notObject' });
  const image = requiredString(raw, 'image');
  if (!image.ok) return image;
  const prompt = requiredString(raw, 'prompt');
  if (!prompt.ok) return prompt;
  const mask = optionalString(raw, 'mask');
  if (!mask.ok) return mask;
  const model = optionalString(raw, 'model');
  if (!model.ok) return model;
  const size = checkedSize(raw);
  if (!size.ok) return size;
  const path = optionalString(raw, 'path');
  if (!path.ok) return path;
  const refs = raw.references ?? [];
  if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string'))
    return err({ problem: 'notString', field: 'references' });
  const references = (refs as string[]).map((r) => r.trim()).filter((r) => r !== '');
  if (references.length > MAX_EDIT_IMAGES - 1)
    return err({ problem: 'tooManyReferences', max: MAX_EDIT_IMAGES - 1 });
  return ok({
    image: image.value,
    prompt: prompt.value,
    mask: mask.value,
    references,
    model: model.value,
    size: size.value,
    path: path.value,
  });
}
