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

/** Reads fields in order and keeps the first problem (later reads of a bad input are not looked at). */
function fieldReader(raw: Record<string, unknown>) {
  let problem: InputProblem | undefined;
  const fail = (p: InputProblem): undefined => {
    problem ??= p;
    return undefined;
  };
  const optional = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null || problem) return undefined;
    if (typeof value !== 'string') return fail({ problem: 'notString', field });
    return value.trim() === '' ? undefined : value.trim();
  };
  return {
    get problem() {
      return problem;
    },
    optional,
    required(field: string): string {
      const value = optional(field);
      if (value === undefined) fail({ problem: 'missing', field });
      return value ?? '';
    },
    size(): string | undefined {
      const size = optional('size');
      if (size === undefined) return undefined;
      return normalizeSize(size) ?? fail({ problem: 'badSize', size });
    },
  };
}

/** Checks imageGen_generate's arguments; unknown fields are ignored. */
export function parseGenerateInput(raw: unknown): Result<GenerateInput, InputProblem> {
  if (!isRecord(raw)) return err({ problem: 'notObject' });
  const r = fieldReader(raw);
  const input = {
    prompt: r.required('prompt'),
    model: r.optional('model'),
    size: r.size(),
    path: r.optional('path'),
  };
  if (r.problem) return err(r.problem);
  const n = raw.n ?? 1;
  const max = Math.min(MAX_AGENT_IMAGES, MAX_IMAGES_PER_REQUEST);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max)
    return err({ problem: 'badCount', max });
  return ok({ ...input, n });
}

/** Checks imageGen_edit's arguments; unknown fields are ignored. */
export function parseEditInput(raw: unknown): Result<EditInput, InputProblem> {
  if (!isRecord(raw)) return err({ problem: 'notObject' });
  const r = fieldReader(raw);
  const input = {
    image: r.required('image'),
    prompt: r.required('prompt'),
    mask: r.optional('mask'),
    model: r.optional('model'),
    size: r.size(),
    path: r.optional('path'),
  };
  if (r.problem) return err(r.problem);
  const refs = raw.references ?? [];
  if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string'))
    return err({ problem: 'notString', field: 'references' });
  const references = (refs as string[]).map((r) => r.trim()).filter((r) => r !== '');
  if (references.length > MAX_EDIT_IMAGES - 1)
    return err({ problem: 'tooManyReferences', max: MAX_EDIT_IMAGES - 1 });
  return ok({ ...input, references });
}
