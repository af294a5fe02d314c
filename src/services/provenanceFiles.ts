import * as vscode from 'vscode';
import type { HistoryItem } from '../core/history';
import { sniffImageType } from '../core/imageType';
import {
  parseProvenance,
  provenanceOf,
  readEmbeddedProvenance,
  serializeProvenance,
  sidecarPathOf,
  type Provenance,
} from '../core/provenance';
import type { HistoryStore } from './historyStore';

/** Bytes read from a workspace image to find its provenance; bigger files are not read for it. */
const MAX_READ_BYTES = 60 * 1024 * 1024;
/** Our sidecars are a few hundred bytes; anything far larger is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;

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

  async readFromFile(uri: vscode.Uri): Promise<Provenance | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size <= MAX_READ_BYTES) {
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (sniffImageType(bytes)?.ext === 'png') {
          const embedded = readEmbeddedProvenance(bytes);
          if (embedded) return embedded;
        }
      }
    } catch {
      return undefined;
    }
    try {
      // A sidecar is a file of a cloned repository like any other: sized before it is read.
      const sidecar = uri.with({ path: sidecarPathOf(uri.path) });
      if ((await vscode.workspace.fs.stat(sidecar)).size > MAX_SIDECAR_BYTES) return undefined;
      const bytes = await vscode.workspace.fs.readFile(sidecar);
      return bytes.byteLength <= MAX_SIDECAR_BYTES
        ? parseProvenance(new TextDecoder().decode(bytes))
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Formats without a text chunk of ours get a sidecar beside the saved file. */
  async writeSidecar(saved: vscode.Uri, item: HistoryItem): Promise<void> {
    const sidecar = saved.with({ path: sidecarPathOf(saved.path) });
    const text = `${JSON.stringify(JSON.parse(serializeProvenance(provenanceOf(item))), null, 2)}\n`;
    await vscode.workspace.fs.writeFile(sidecar, new TextEncoder().encode(text));
  }
}
