import * as vscode from 'vscode';
import { adjustAnchorForChanges, type Anchor } from '../core/anchor';

/** A range of one document that follows the edits made to it until disposed. */
export interface TrackedAnchor extends vscode.Disposable {
  readonly uri: vscode.Uri;
  current(): Anchor;
}

/**
 * One listener for all the places generations will insert into, so an image lands under its
 * prompt even after typing above it, other generations' inserts, or a switch of editor.
 */
export class AnchorTracker implements vscode.Disposable {
  private readonly anchors = new Map<string, Set<{ anchor: Anchor }>>();
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeTextDocument((e) => {
      const set = this.anchors.get(e.document.uri.toString());
      if (!set || e.contentChanges.length === 0) return;
      for (const entry of set) entry.anchor = adjustAnchorForChanges(entry.anchor, e.contentChanges);
    });
  }

  track(document: vscode.TextDocument, range: vscode.Range): TrackedAnchor {
    const key = document.uri.toString();
    const entry = { anchor: { start: document.offsetAt(range.start), end: document.offsetAt(range.end) } };
    let set = this.anchors.get(key);
    if (!set) this.anchors.set(key, (set = new Set()));
    set.add(entry);
    return {
      uri: document.uri,
      current: () => entry.anchor,
      dispose: () => {
        set.delete(entry);
        if (set.size === 0 && this.anchors.get(key) === set) this.anchors.delete(key);
      },
    };
  }

  dispose(): void {
    this.listener.dispose();
    this.anchors.clear();
  }
}
