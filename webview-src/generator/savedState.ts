// The form the page keeps with `setState`, read back leniently: each field only with its type.
import type { GeneratorPageState } from '../../src/webviews/generator/protocol';
import type { PanelOptions } from '../../src/webviews/shared/modelOptions';

export /** Accepts the saved state only when every field has the expected type. */
function readSavedState(s: unknown): Partial<GeneratorPageState> {
  if (typeof s !== 'object' || s === null) return {};
  const o = s as Record<string, unknown>;
  const out: Partial<GeneratorPageState> = {};
  if (typeof o.prompt === 'string') out.prompt = o.prompt;
  if (typeof o.model === 'string') out.model = o.model;
  if (typeof o.size === 'string') out.size = o.size;
  if (typeof o.n === 'number' && Number.isInteger(o.n) && o.n >= 1 && o.n <= 10) out.n = o.n;
  if (Array.isArray(o.resultIds))
    out.resultIds = o.resultIds.filter((x): x is string => typeof x === 'string');
  if (o.chipLanguage === 'zh' || o.chipLanguage === 'en') out.chipLanguage = o.chipLanguage;
  if (Array.isArray(o.resultGroups))
    out.resultGroups = o.resultGroups.filter((x): x is number => Number.isInteger(x) && x > 0);
  // Fitted to the model before use: values it does not offer are dropped.
  if (typeof o.options === 'object' && o.options !== null) out.options = o.options as PanelOptions;
  return out;
}
