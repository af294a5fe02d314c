import * as vscode from 'vscode';
import type { HistoryItem } from '../core/history';
import { provenanceOf, serializeProvenance, sidecarPathOf, type Provenance } from '../core/provenance';
import type { HistoryStore } from './historyStore';
import { readProvenanceFromFile } from './provenanceReader';

export interface KnownImage {
  provenance?: Provenance;
  /** The gallery item, when this file was saved from one. */
  item?: HistoryItem;
}

/**
 * What made an image file: the gallery's record when it knows the file, else the PNG's own iTXt
 * chunk, else the sidecar `<file>.imagegen.json` (a teammate's checkout has no gallery of ours).
 */
export class ProvenanceFiles {
  constructor(private readonly history: HistoryStore) {}

  /** The gallery item a workspace file was saved from, or whose cached copy it is. */
  async itemFor(uri: vscode.Uri): Promise<HistoryItem | undefined> {
    await this.history.ready();
    const key = uri.toString();
    return this.history
      .list()
      .find((i) => i.savedUris.includes(key) || this.history.cacheUri(i)?.toString() === key);
  }

  async read(uri: vscode.Uri): Promise<KnownImage> {
    const item = await this.itemFor(uri);
    if (item) return { item, provenance: provenanceOf(item) };
    return { provenance: await this.readFromFile(uri) };
  }

  readFromFile(uri: vscode.Uri): Promise<Provenance | undefined> {
    return readProvenanceFromFile(uri);
  }

  /** Formats without a text chunk of ours get a sidecar beside the saved file. */
  async writeSidecar(saved: vscode.Uri, item: HistoryItem): Promise<void> {
    const sidecar = saved.with({ path: sidecarPathOf(saved.path) });
    const text = `${JSON.stringify(JSON.parse(serializeProvenance(provenanceOf(item))), null, 2)}\n`;
    await vscode.workspace.fs.writeFile(sidecar, new TextEncoder().encode(text));
  }
}
