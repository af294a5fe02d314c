import * as vscode from 'vscode';
import { normalizeSize } from '../core/catalog';
import type { LinkPosition } from './editSource';

/** References besides the edited image (OpenAI takes 16 images per edit). */
export const MAX_REFERENCES = 15;

/** The argument of `imageGen.editImage` (PRODUCT.md §11). */
export interface EditArgs {
  /** File Uri (or workspace path) or gallery id. */
  image?: string;
  prompt?: string;
  model?: string;
  size?: string;
  n?: number;
  /** PNG Uri: transparent where the image should change. */
  mask?: string;
  references?: string[];
  insertAs?: 'file' | 'url' | 'none' | 'replace';
  /** Set by the CodeLens: which link to the image it sits on. */
  at?: LinkPosition;
}

const INSERT_AS = ['file', 'url', 'none', 'replace'];

/** Reads the argument; a field of the wrong type is reported, not guessed. The explorer passes a Uri. */
export function parseEditArgs(arg: unknown): { args: EditArgs; problem?: string } {
  if (arg instanceof vscode.Uri) return { args: { image: arg.toString() } };
  if (arg === undefined || arg === null) return { args: {} };
  if (typeof arg !== 'object' || Array.isArray(arg)) return { args: {}, problem: 'argument' };
  const o = arg as Record<string, unknown>;
  const args: EditArgs = {};
  const text = (name: 'image' | 'prompt' | 'model' | 'mask'): boolean => {
    if (o[name] === undefined) return true;
    if (typeof o[name] !== 'string' || !(o[name] as string).trim()) return false;
    args[name] = (o[name] as string).trim();
    return true;
  };
  for (const name of ['image', 'prompt', 'model', 'mask'] as const)
    if (!text(name)) return { args, problem: name };
  if (o.size !== undefined) {
    const size = typeof o.size === 'string' ? normalizeSize(o.size) : undefined;
    if (!size) return { args, problem: 'size' };
    args.size = size;
  }
  if (o.n !== undefined) {
    if (typeof o.n !== 'number' || !Number.isInteger(o.n) || o.n < 1 || o.n > 10)
      return { args, problem: 'n' };
    args.n = o.n;
  }
  if (o.references !== undefined) {
    const refs = o.references;
    if (
      !Array.isArray(refs) ||
      refs.length > MAX_REFERENCES ||
      refs.some((r) => typeof r !== 'string' || !r.trim())
    )
      return { args, problem: 'references' };
    args.references = refs.map((r: string) => r.trim());
  }
  if (o.insertAs !== undefined) {
    if (typeof o.insertAs !== 'string' || !INSERT_AS.includes(o.insertAs))
      return { args, problem: 'insertAs' };
    args.insertAs = o.insertAs as EditArgs['insertAs'];
  }
  if (o.at !== undefined) {
    const at = o.at as Record<string, unknown> | null;
    if (!at || typeof at.document !== 'string' || typeof at.offset !== 'number')
      return { args, problem: 'at' };
    args.at = { document: at.document, offset: at.offset };
  }
  return { args };
}
