// Provenance that travels with an image file (PRODUCT.md §11): what made it, so a teammate's
// checkout can show the prompt and regenerate. In a PNG it is an iTXt chunk; other formats get a
// sidecar `<file>.imagegen.json`. Pure: JSON in and out, bytes in and out.
import type { HistoryItem } from './history';
import { readPngText, writePngText } from './pngText';

/** The iTXt keyword; PNG readers that do not know it skip the chunk. */
export const PROVENANCE_KEYWORD = 'imagegen';
export const SIDECAR_SUFFIX = '.imagegen.json';
/** Bounds what is read back from a file someone else wrote. */
const MAX_TEXT = 64 * 1024;

export interface Provenance {
  prompt: string;
  model: string;
  size: string;
  revisedPrompt?: string;
  /** File name (or gallery id) of the image this one was edited from. */
  parent?: string;
  /** ISO 8601 time the image was made. */
  createdAt: string;
}

export function serializeProvenance(p: Provenance): string {
  const out: Record<string, unknown> = {
    generator: 'image-gen',
    prompt: p.prompt,
    model: p.model,
    size: p.size,
  };
  if (p.revisedPrompt) out.revisedPrompt = p.revisedPrompt;
  if (p.parent) out.parent = p.parent;
  out.createdAt = p.createdAt;
  return JSON.stringify(out);
}

/** Defensive parse: anything not shaped like our record is undefined, never trusted. */
export function parseProvenance(text: string | undefined): Provenance | undefined {
  if (typeof text !== 'string' || text.length > MAX_TEXT) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const str = (v: unknown, max = 32_000): string | undefined =>
    typeof v === 'string' && v.length <= max ? v : undefined;
  const prompt = str(o.prompt);
  const model = str(o.model, 200);
  const size = str(o.size, 40);
  if (prompt === undefined || !model || size === undefined) return undefined;
  const createdAt = str(o.createdAt, 40);
  return {
    prompt,
    model,
    size,
    revisedPrompt: str(o.revisedPrompt) || undefined,
    parent: str(o.parent, 1000) || undefined,
    createdAt: createdAt && !Number.isNaN(Date.parse(createdAt)) ? createdAt : '',
  };
}

/** The PNG with its provenance chunk (replacing an older one); undefined for bytes that are not a PNG. */
export function embedProvenance(png: Uint8Array, p: Provenance): Uint8Array | undefined {
  return writePngText(png, PROVENANCE_KEYWORD, serializeProvenance(p));
}

export function readEmbeddedProvenance(png: Uint8Array): Provenance | undefined {
  return parseProvenance(readPngText(png, PROVENANCE_KEYWORD));
}

export function sidecarPathOf(imagePath: string): string {
  return `${imagePath}${SIDECAR_SUFFIX}`;
}

export function provenanceOf(item: HistoryItem): Provenance {
  return {
    prompt: item.prompt,
    model: item.model,
    size: item.size,
    revisedPrompt: item.revisedPrompt,
    parent: item.parent,
    createdAt: new Date(item.createdAt).toISOString(),
  };
}

/**
 * The bytes to keep for an image: PNGs carry their provenance inside. Done once, when the image
 * enters the cache, so saving into the workspace stays a plain copy.
 */
export function withProvenance(bytes: Uint8Array, item: HistoryItem): Uint8Array {
  return embedProvenance(bytes, provenanceOf(item)) ?? bytes;
}
