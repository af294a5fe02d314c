// The body of `POST /images/generations` and the pre-flight check of a request.
import { MAX_IMAGES_PER_REQUEST, normalizeSize } from './catalog';
import type { GenerationRequest } from './types';

export type RequestProblem = 'emptyPrompt' | 'emptyModel' | 'badSize' | 'badCount';

function plainObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * `{ ...extraParameters, ...extra, prompt, model, size, n }`: the command argument's `extra` beats
 * the settings' `extraParameters`, and the four core fields always win. Undefined values are dropped
 * (null is kept: a provider may want it).
 */
export function buildRequestBody(req: GenerationRequest): Record<string, unknown> {
  // Spread defines own properties, so a `__proto__` key from JSON settings stays a plain key.
  const body: Record<string, unknown> = {
    ...plainObject(req.extraParameters),
    ...plainObject(req.extra),
    prompt: req.prompt,
    model: req.model,
    size: req.size,
    n: req.n,
  };
  for (const key of Object.keys(body)) {
    if (body[key] === undefined) delete body[key];
  }
  return body;
}

/** First problem of a request before it is sent, or undefined when it looks sendable. */
export function validateRequest(req: GenerationRequest): RequestProblem | undefined {
  if (typeof req.prompt !== 'string' || req.prompt.trim() === '') return 'emptyPrompt';
  if (typeof req.model !== 'string' || req.model.trim() === '') return 'emptyModel';
  if (typeof req.size !== 'string' || normalizeSize(req.size) === undefined) return 'badSize';
  if (!Number.isInteger(req.n) || req.n < 1 || req.n > MAX_IMAGES_PER_REQUEST) return 'badCount';
  return undefined;
}
