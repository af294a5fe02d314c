import * as vscode from 'vscode';
import { knownToEdit } from '../core/editCapability';
import { basename } from '../core/paths';
import type { Result } from '../core/types';
import type { HistoryStore } from '../services/historyStore';
import type { GenerationOutcome, ImageGenerator } from '../services/imageGenerator';
import type { HistoryItem } from '../core/history';
import type { ReferenceEditing } from './illustrate';

/**
 * A series that looks alike (PRODUCT.md §14): the later images of a batch are made by
 * `POST /images/edits` with the first one's cached bytes as the reference image. Offered only for
 * models known to accept edits (§13's capabilities); the cache copy is read, never the workspace
 * file, so a link the writer has meanwhile moved or deleted does not matter.
 */
export class HistoryReferenceEditing implements ReferenceEditing {
  constructor(
    private readonly deps: {
      generator: Pick<ImageGenerator, 'generate' | 'edit'>;
      history: Pick<HistoryStore, 'cacheUri'>;
    },
  ) {}

  canEdit(model: string): boolean {
    return knownToEdit({ id: model });
  }

  async generateWithReference(
    request: { prompt: string; model: string; size: string; n: number },
    reference: HistoryItem,
    signal: AbortSignal,
  ): Promise<Result<GenerationOutcome>> {
    const uri = this.deps.history.cacheUri(reference);
    let bytes: Uint8Array | undefined;
    try {
      if (uri) bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      bytes = undefined;
    }
    // Without the reference's bytes the section is still illustrated, from its prompt alone.
    if (!uri || !bytes) return this.deps.generator.generate(request, signal);
    return this.deps.generator.edit(
      { ...request, images: [{ filename: basename(uri.path), bytes }] },
      signal,
    );
  }
}
