// The capability fields of an `imageGen.models` entry, read leniently: a field that is not the
// right shape is ignored, the rest still applies.
import type { ModelCapabilities, SizeRule } from './capabilities';

const LIST_FIELDS = [
  'quality',
  'background',
  'outputFormat',
  'moderation',
  'style',
  'inputFidelity',
] as const;
const FLAG_FIELDS = ['outputCompression', 'stream', 'edits'] as const;

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  return out.length > 0 || value.length === 0 ? [...new Set(out)] : undefined;
}

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;

/** `{multipleOf, maxRatio, maxEdge, maxPixels, auto?}`: all four numbers, or nothing. */
function readSizeRule(value: unknown): SizeRule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  const multipleOf = positive(r.multipleOf);
  const maxRatio = positive(r.maxRatio);
  const maxEdge = positive(r.maxEdge);
  const maxPixels = positive(r.maxPixels) ?? (maxEdge ? maxEdge * maxEdge : undefined);
  if (!multipleOf || !Number.isInteger(multipleOf) || !maxRatio || maxRatio < 1 || !maxEdge || !maxPixels) {
    return undefined;
  }
  return { kind: 'grid', multipleOf, maxRatio, maxEdge, maxPixels, auto: r.auto === true };
}

/**
 * Capability fields of a settings entry; undefined when it has none. An empty list means "takes
 * none of these values", i.e. the option is not offered.
 */
export function readCapabilityFields(record: Record<string, unknown>): ModelCapabilities | undefined {
  const caps: Record<string, unknown> = {};
  for (const field of LIST_FIELDS) {
    const list = stringList(record[field]);
    if (list) caps[field] = list.length > 0 ? list : undefined;
  }
  for (const field of FLAG_FIELDS) {
    if (typeof record[field] === 'boolean') caps[field] = record[field];
  }
  const rule = readSizeRule(record.sizeRule);
  if (rule) caps.sizeRule = rule;
  return Object.keys(caps).length > 0 ? (caps as ModelCapabilities) : undefined;
}
