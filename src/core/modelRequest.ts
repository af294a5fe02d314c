// A request checked against what its model can do (PRODUCT.md §13), before anything is sent:
// options the model does not take are dropped, a transparent background gets a format that can
// carry it, streaming is switched on where the model streams, and a size or value the model
// cannot do is refused with the nearest valid size.
import {
  DEFAULT_PARTIAL_IMAGES,
  OPTION_KEYS,
  OPTION_NAMES,
  nearestSize,
  sizeFits,
  type ModelCapabilities,
  type SizeRule,
} from './capabilities';
import { normalizeSize } from './catalog';
import type { GenerationRequest } from './types';

/** A change made to the request, shown to the user ("style dropped: gpt-image-1 does not take it"). */
export type CapabilityNote =
  { kind: 'dropped'; option: string } | { kind: 'changed'; option: string; from: string; to: string };

export type CapabilityProblem =
  | { kind: 'size'; size: string; nearest?: string; rule: SizeRule }
  | { kind: 'option'; option: string; value: string; allowed: readonly string[] };

export type CapabilityCheck =
  | {
      ok: true;
      /** The request to send: every parameter in `extraParameters`, `extra` cleared. */
      request: GenerationRequest;
      notes: CapabilityNote[];
      /** Whether the body asks for a server-sent event stream. */
      stream: boolean;
    }
  | { ok: false; problem: CapabilityProblem };

function plainObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Checks `request` for a model with `caps`. Unknown capabilities (undefined) check nothing and never
 * stream: the provider's own answer is the judge. `wantStream: false` keeps a request non-streaming.
 */
export function applyCapabilities(
  request: GenerationRequest,
  caps: ModelCapabilities | undefined,
  options: { wantStream?: boolean } = {},
): CapabilityCheck {
  const params = { ...plainObject(request.extraParameters), ...plainObject(request.extra) };
  const notes: CapabilityNote[] = [];
  const size = normalizeSize(request.size) ?? request.size;
  const done = (stream: boolean): CapabilityCheck => ({
    ok: true,
    request: { ...request, size, extraParameters: params, extra: undefined },
    notes,
    stream,
  });
  if (!caps) return done(params.stream === true);

  if (caps.sizeRule && !sizeFits(caps.sizeRule, size)) {
    return {
      ok: false,
      problem: { kind: 'size', size, nearest: nearestSize(caps.sizeRule, size), rule: caps.sizeRule },
    };
  }

  for (const name of OPTION_NAMES) {
    const key = OPTION_KEYS[name];
    if (!(key in params) || params[key] === undefined || params[key] === null) continue;
    const allowed = caps[name];
    if (name === 'outputCompression') {
      if (!allowed) {
        delete params[key];
        notes.push({ kind: 'dropped', option: key });
        continue;
      }
      const value = params[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
        return {
          ok: false,
          problem: { kind: 'option', option: key, value: text(value), allowed: ['0–100'] },
        };
      }
      continue;
    }
    if (!Array.isArray(allowed)) {
      delete params[key];
      notes.push({ kind: 'dropped', option: key });
      continue;
    }
    const value = params[key];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      return { ok: false, problem: { kind: 'option', option: key, value: text(value), allowed } };
    }
  }

  // Transparency needs a format with an alpha channel (png or webp).
  if (params.background === 'transparent' && params.output_format === 'jpeg') {
    params.output_format = 'png';
    notes.push({ kind: 'changed', option: 'output_format', from: 'jpeg', to: 'png' });
  }
  // Compression only means something for jpeg and webp; png is the default format.
  if ('output_compression' in params && (params.output_format ?? 'png') === 'png') {
    delete params.output_compression;
    notes.push({ kind: 'dropped', option: 'output_compression' });
  }
  // The GPT image models always answer base64 and refuse `response_format`.
  if (caps.outputFormat && 'response_format' in params) {
    delete params.response_format;
    notes.push({ kind: 'dropped', option: 'response_format' });
  }

  if (!caps.stream) {
    for (const key of ['stream', 'partial_images']) {
      if (key in params) {
        delete params[key];
        notes.push({ kind: 'dropped', option: key });
      }
    }
    return done(false);
  }
  const partial = params.partial_images;
  if (
    partial !== undefined &&
    (typeof partial !== 'number' || !Number.isInteger(partial) || partial < 0 || partial > 3)
  ) {
    return {
      ok: false,
      problem: { kind: 'option', option: 'partial_images', value: text(partial), allowed: ['0–3'] },
    };
  }
  // One stream carries one image: a split request (n > 1) is sent without it.
  const stream = options.wantStream !== false && params.stream !== false && request.n === 1;
  if (stream) {
    params.stream = true;
    if (partial === undefined) params.partial_images = DEFAULT_PARTIAL_IMAGES;
  } else {
    delete params.stream;
    delete params.partial_images;
  }
  return done(stream);
}
