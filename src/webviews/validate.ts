// Validators for messages coming from a webview. No `vscode` import: unit-tested in plain Node.
// A webview is untrusted input: anything that does not match exactly is rejected, never coerced.

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || 'message'}: ${message}`);
  }
}

/** Returns the value typed as T, or throws a ValidationError naming where it went wrong. */
export type Validator<T> = (value: unknown, path: string) => T;

export type Infer<V> = V extends Validator<infer T> ? T : never;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function parse<T>(validator: Validator<T>, value: unknown): ParseResult<T> {
  try {
    return { ok: true, value: validator(value, '') };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, error: e.message };
    throw e;
  }
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function str(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Validator<string> {
  const { min = 0, max = 100_000, pattern } = opts;
  return (v, path) => {
    if (typeof v !== 'string') throw new ValidationError(path, `expected string, got ${describe(v)}`);
    if (v.length < min) throw new ValidationError(path, `shorter than ${min}`);
    if (v.length > max) throw new ValidationError(path, `longer than ${max}`);
    if (pattern && !pattern.test(v)) throw new ValidationError(path, `does not match ${pattern}`);
    return v;
  };
}

export function int(opts: { min?: number; max?: number } = {}): Validator<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = opts;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new ValidationError(path, `expected integer, got ${describe(v)}`);
    if (v < min || v > max) throw new ValidationError(path, `out of range ${min}..${max}`);
    return v;
  };
}

export const bool: Validator<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ValidationError(path, `expected boolean, got ${describe(v)}`);
  return v;
};

export function literal<const T extends string>(...values: T[]): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) {
      throw new ValidationError(path, `expected one of ${values.join(', ')}`);
    }
    return v as T;
  };
}

/** Accepts a missing key (undefined) as well as a valid value; null is still rejected. */
export function optional<T>(validator: Validator<T>): Validator<T | undefined> {
  return (v, path) => (v === undefined ? undefined : validator(v, path));
}

export function arrayOf<T>(item: Validator<T>, opts: { max?: number } = {}): Validator<T[]> {
  const { max = 10_000 } = opts;
  return (v, path) => {
    if (!Array.isArray(v)) throw new ValidationError(path, `expected array, got ${describe(v)}`);
    if (v.length > max) throw new ValidationError(path, `more than ${max} items`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

/** Binary data as webviews transfer it (typed array or ArrayBuffer); returned as a Uint8Array copy-free view. */
export function bytes(opts: { min?: number; max: number }): Validator<Uint8Array> {
  const { min = 1, max } = opts;
  return (v, path) => {
    let out: Uint8Array;
    if (v instanceof Uint8Array) out = v;
    else if (v instanceof ArrayBuffer) out = new Uint8Array(v);
    else if (ArrayBuffer.isView(v)) out = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    else throw new ValidationError(path, `expected binary data, got ${describe(v)}`);
    if (out.byteLength < min || out.byteLength > max)
      throw new ValidationError(path, `size ${out.byteLength} outside ${min}..${max}`);
    return out;
  };
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/** A plain object with exactly these keys (unknown keys are rejected). */
export function object<S extends Shape>(shape: S): Validator<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new ValidationError(path, `expected object, got ${describe(v)}`);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null)
      throw new ValidationError(path, 'expected a plain object');
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (!keys.includes(k)) throw new ValidationError(path, `unexpected key "${k}"`);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const value = shape[k](rec[k], path ? `${path}.${k}` : k);
      if (value !== undefined) out[k] = value;
    }
    return out as ObjectOf<S>;
  };
}

/** A union of object validators told apart by their string `type` field. */
export function tagged<M extends Record<string, Validator<{ type: string }>>>(
  variants: M,
): Validator<Infer<M[keyof M]>> {
  return (v, path) => {
    const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(variants, type)) {
      throw new ValidationError(
        path ? `${path}.type` : 'type',
        `unknown message type ${JSON.stringify(type)?.slice(0, 40)}`,
      );
    }
    return variants[type](v, path) as Infer<M[keyof M]>;
  };
}

// Shared field validators used by both webviews' schemas.

/** History ids are generated by the extension; anything path-like is refused outright. */
export const itemId = str({ min: 1, max: 128, pattern: /^[A-Za-z0-9_-]+$/ });
export const requestId = int({ min: 0 });
export const promptText = str({ min: 0, max: 32_000 });
export const modelId = str({ min: 1, max: 200 });
export const sizeText = str({ min: 3, max: 11, pattern: /^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$/ });
export const imageCount = int({ min: 1, max: 10 });
