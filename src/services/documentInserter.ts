import * as vscode from 'vscode';
import { mapSelectionThroughEdit, planAtTarget, type PlacementStyle } from '../core/placement';
import type { TrackedAnchor } from './anchorTracker';
import type { SelectionBehavior } from './configuration';

/** Where a generation started: the document, the tracked selection (or cursor), and its text then. */
export interface InsertionTarget {
  anchor: TrackedAnchor;
  /** The selected prompt text when the command started; empty for a bare cursor. */
  selectedText: string;
}

async function documentFor(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return (
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ??
    vscode.workspace.openTextDocument(uri)
  );
}

/** One edit, in offsets of the document as it is now. */
interface Change {
  start: number;
  end: number;
  text: string;
}

/**
 * Inserts snippets where a generation started, wherever that position has moved since, as
 * `core/placement` says (a paragraph or a line of its own). Works on closed documents too: a
 * `WorkspaceEdit` reopens them in the background and leaves them dirty. Editors showing the
 * document keep their selections (the edit neither extends them nor moves the cursor into it).
 */
export class DocumentInserter {
  /** Inserts into one document run one after the other, so each sees the others' lines. */
  private readonly queues = new Map<string, Promise<unknown>>();

  insert(
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
    style: PlacementStyle,
  ): Promise<boolean> {
    if (snippets.length === 0) return Promise.resolve(false);
    return this.enqueue(target.anchor.uri, () =>
      this.apply(target.anchor.uri, (doc) =>
        planAtTarget(doc.getText(), snippets, {
          anchor: target.anchor.current(),
          selectedText: target.selectedText,
          behavior,
          style,
        }),
      ),
    );
  }

  private enqueue<T>(uri: vscode.Uri, task: () => Promise<T>): Promise<T> {
    const key = uri.toString();
    const run = (this.queues.get(key) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return run;
  }

  /**
   * Applies the change `build` computes from the document as it is. VS Code refuses an edit made
   * against a version that changed meanwhile (the user typed): the change is rebuilt and tried
   * again. One `WorkspaceEdit` is one undo step: one Undo takes the whole insert away.
   */
  private async apply(uri: vscode.Uri, build: (document: vscode.TextDocument) => Change): Promise<boolean> {
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const document = await documentFor(uri);
        const change = build(document);
        const range = new vscode.Range(document.positionAt(change.start), document.positionAt(change.end));
        const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
        const before = editors.map((e) => e.selections.map((s) => keep(document, s, change)));
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, range, change.text);
        if (!(await vscode.workspace.applyEdit(edit))) continue;
        editors.forEach((e, i) => restoreSelections(e, before[i]));
        return true;
      }
    } catch {
      // The document was deleted or renamed meanwhile: the caller says the link could not be inserted.
    }
    return false;
  }
}

/** A selection's anchor and active offsets as they should be after `change`. */
function keep(document: vscode.TextDocument, s: vscode.Selection, change: Change): [number, number] {
  return mapSelectionThroughEdit(document.offsetAt(s.anchor), document.offsetAt(s.active), change);
}

function restoreSelections(editor: vscode.TextEditor, wanted: readonly [number, number][]): void {
  if (editor.document.isClosed) return;
  const doc = editor.document;
  const next = wanted.map(([a, b]) => new vscode.Selection(doc.positionAt(a), doc.positionAt(b)));
  const same =
    next.length === editor.selections.length && next.every((s, i) => s.isEqual(editor.selections[i]));
  if (!same) editor.selections = next;
}
