import * as vscode from 'vscode';
import {
  mapOffsetThroughEdit,
  planInsertion,
  type PlacementStyle,
  type PlannedEdit,
} from '../core/placement';
import type { AnchorTracker, TrackedAnchor } from './anchorTracker';
import type { SelectionBehavior } from './configuration';

/** Where a generation started: the document, the tracked selection (or cursor), and its text then. */
export interface InsertionTarget {
  anchor: TrackedAnchor;
  /** The selected prompt text when the command started; empty for a bare cursor. */
  selectedText: string;
}

/** A "generating…" note in the document where the image will go, followed through edits. */
export interface Placeholder {
  /** The whole inserted text, blank lines included: what removing it takes away. */
  readonly whole: TrackedAnchor;
  /** The note itself, which the image replaces. */
  readonly note: TrackedAnchor;
  readonly text: string;
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

  constructor(private readonly tracker: AnchorTracker) {}

  insert(
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
    style: PlacementStyle,
    placeholder?: Placeholder,
  ): Promise<boolean> {
    if (snippets.length === 0) return Promise.resolve(false);
    return this.enqueue(target.anchor.uri, async () => {
      const document = await documentFor(target.anchor.uri).catch(() => undefined);
      if (!document) return false;
      if (placeholder && this.intact(document, placeholder)) {
        const { start, end } = placeholder.note.current();
        // The note already sits in its own paragraph: the snippets take its place (one undo with it).
        const body = snippets.join(style === 'paragraph' ? eolOf(document).repeat(2) : eolOf(document));
        const replaced = await this.apply(target.anchor.uri, () => ({ start, end, text: body }), true);
        if (replaced) {
          placeholder.whole.dispose();
          placeholder.note.dispose();
          return true;
        }
      }
      if (placeholder) await this.removeNow(placeholder);
      return this.apply(target.anchor.uri, (doc) => this.plan(doc, target, snippets, behavior, style));
    });
  }

  /** Puts `text` where the image will go; undefined when the document could not be edited. */
  showPlaceholder(
    target: InsertionTarget,
    text: string,
    style: PlacementStyle,
  ): Promise<Placeholder | undefined> {
    return this.enqueue(target.anchor.uri, async () => {
      let planned: PlannedEdit | undefined;
      const applied = await this.apply(
        target.anchor.uri,
        (doc) => (planned = this.plan(doc, target, [text], 'insertAfter', style)),
        false,
        'open',
      );
      if (!applied || !planned) return undefined;
      const document = await documentFor(target.anchor.uri);
      const range = (from: number, to: number) =>
        new vscode.Range(document.positionAt(from), document.positionAt(to));
      const start = planned.start;
      return {
        whole: this.tracker.track(document, range(start, start + planned.text.length)),
        note: this.tracker.track(document, range(start + planned.bodyStart, start + planned.bodyEnd)),
        text,
      };
    });
  }

  /** Takes the placeholder out again (failure, cancel), leaving the document as it was before it. */
  removePlaceholder(placeholder: Placeholder): Promise<void> {
    return this.enqueue(placeholder.whole.uri, () => this.removeNow(placeholder));
  }

  private async removeNow(placeholder: Placeholder): Promise<void> {
    try {
      const document = await documentFor(placeholder.whole.uri);
      if (this.intact(document, placeholder)) {
        await this.apply(placeholder.whole.uri, () => ({ ...placeholder.whole.current(), text: '' }), true);
      }
    } finally {
      placeholder.whole.dispose();
      placeholder.note.dispose();
    }
  }

  private intact(document: vscode.TextDocument, placeholder: Placeholder): boolean {
    const { start, end } = placeholder.note.current();
    return (
      !document.isClosed &&
      document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end))) ===
        placeholder.text
    );
  }

  private plan(
    document: vscode.TextDocument,
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
    style: PlacementStyle,
  ): PlannedEdit {
    const { start, end } = target.anchor.current();
    const selected = document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end)));
    const replace = behavior === 'replace' && !!target.selectedText && selected === target.selectedText;
    return planInsertion(document.getText(), snippets, {
      start,
      end: target.selectedText ? end : start,
      replace,
      style,
    });
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
   * again. `joinUndo`: this edit closes the undo step the placeholder opened, so one undo takes
   * the image (or the note and its removal) away together; `open` leaves that step open.
   */
  private async apply(
    uri: vscode.Uri,
    build: (document: vscode.TextDocument) => Change,
    joinUndo = false,
    undo: 'open' | 'close' = 'close',
  ): Promise<boolean> {
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const document = await documentFor(uri);
        const change = build(document);
        const range = new vscode.Range(document.positionAt(change.start), document.positionAt(change.end));
        const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
        const before = editors.map((e) => e.selections.map((s) => keep(document, s, change)));
        const editor = editors[0];
        let applied: boolean;
        if (editor && (joinUndo || undo === 'open')) {
          applied = await editor.edit((b) => b.replace(range, change.text), {
            undoStopBefore: !joinUndo,
            undoStopAfter: undo === 'close',
          });
        } else {
          const edit = new vscode.WorkspaceEdit();
          edit.replace(uri, range, change.text);
          applied = await vscode.workspace.applyEdit(edit);
        }
        if (!applied) continue;
        editors.forEach((e, i) => restoreSelections(e, before[i]));
        return true;
      }
    } catch {
      // The document was deleted or renamed meanwhile: the caller says the link could not be inserted.
    }
    return false;
  }
}

function eolOf(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** A selection's anchor and active offsets as they should be after `change`. */
function keep(document: vscode.TextDocument, s: vscode.Selection, change: Change): [number, number] {
  return [
    mapOffsetThroughEdit(document.offsetAt(s.anchor), change),
    mapOffsetThroughEdit(document.offsetAt(s.active), change),
  ];
}

function restoreSelections(editor: vscode.TextEditor, wanted: readonly [number, number][]): void {
  if (editor.document.isClosed) return;
  const doc = editor.document;
  const next = wanted.map(([a, b]) => new vscode.Selection(doc.positionAt(a), doc.positionAt(b)));
  const same =
    next.length === editor.selections.length && next.every((s, i) => s.isEqual(editor.selections[i]));
  if (!same) editor.selections = next;
}
