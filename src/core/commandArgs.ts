// Reading the argument object of a command run from a script, a keybinding or a test (PRODUCT.md
// §2, §11, §14): each field is checked for its type and a field of the wrong type is reported by
// name, never guessed. Absent fields stay undefined.
import { normalizeSize } from './catalog';

export interface ArgReader {
  /** The first field found wrong, in the order the fields were read. */
  readonly problem: string | undefined;
  /** A string, trimmed; blank is wrong unless `blank` allows it (then it is kept as given). */
  text(name: string, options?: { blank?: boolean }): string | undefined;
  /** A size, normalized (`1024×1024` → `1024x1024`, `auto`). */
  size(name: string): string | undefined;
  /** An integer from `min` to `max`. */
  integer(name: string, min: number, max: number): number | undefined;
  /** One of `choices`. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  flag(name: string): boolean | undefined;
  /** Strings, trimmed, none blank, at most `max`. */
  texts(name: string, max: number): string[] | undefined;
  /** A plain object (not an array). */
  record(name: string): Record<string, unknown> | undefined;
}

/** The reader over an argument object. */
export function argReader(o: Record<string, unknown>): ArgReader {
  let problem: string | undefined;
  const wrong = (name: string): undefined => {
    problem ??= name;
    return undefined;
  };
  const isBlank = (v: unknown): boolean => typeof v !== 'string' || v.trim() === '';
  return {
    get problem() {
      return problem;
    },
    text(name, options = {}) {
      const v = o[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') return wrong(name);
      if (options.blank) return v;
      return v.trim() ? v.trim() : wrong(name);
    },
    size(name) {
      const v = o[name];
      if (v === undefined) return undefined;
      return (typeof v === 'string' ? normalizeSize(v) : undefined) ?? wrong(name);
    },
    integer(name, min, max) {
      const v = o[name];
      if (v === undefined) return undefined;
      return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : wrong(name);
    },
    choice(name, choices) {
      const v = o[name];
      if (v === undefined) return undefined;
      return choices.includes(v as never) ? (v as (typeof choices)[number]) : wrong(name);
    },
    flag(name) {
      const v = o[name];
      if (v === undefined) return undefined;
      return typeof v === 'boolean' ? v : wrong(name);
    },
    texts(name, max) {
      const v = o[name];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length > max || v.some(isBlank)) return wrong(name);
      return v.map((s: string) => s.trim());
    },
    record(name) {
      const v = o[name];
      if (v === undefined) return undefined;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : wrong(name);
    },
  };
}

/** The object without its undefined fields, so an absent argument stays absent (`'model' in args` is false). */
export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
