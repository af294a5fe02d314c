import * as vscode from 'vscode';
import { MAX_IMAGES_PER_REQUEST } from '../core/catalog';
import { argReader, withoutUndefined } from '../core/commandArgs';
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

const INSERT_AS = ['file', 'url', 'none', 'replace'] as const;

/** Reads the argument; a field of the wrong type is reported, not guessed. The explorer passes a Uri. */
export function parseEditArgs(arg: unknown): { args: EditArgs; problem?: string } {
  if (arg instanceof vscode.Uri) return { args: { image: arg.toString() } };
  if (arg === undefined || arg === null) return { args: {} };
  if (typeof arg !== 'object' || Array.isArray(arg)) return { args: {}, problem: 'argument' };
  const o = arg as Record<string, unknown>;
  const r = argReader(o);
  const args: EditArgs = withoutUndefined({
    image: r.text('image'),
    prompt: r.text('prompt'),
    model: r.text('model'),
    mask: r.text('mask'),
    size: r.size('size'),
    n: r.integer('n', 1, MAX_IMAGES_PER_REQUEST),
    references: r.texts('references', MAX_REFERENCES),
    insertAs: r.choice('insertAs', INSERT_AS),
  });
  if (r.problem) return { args, problem: r.problem };
  if (o.at !== undefined) {
    const at = o.at as Record<string, unknown> | null;
    if (!at || typeof at.document !== 'string' || typeof at.offset !== 'number')
      return { args, problem: 'at' };
    args.at = { document: at.document, offset: at.offset };
  }
  return { args };
}
