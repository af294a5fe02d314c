import * as vscode from 'vscode';
import type { SelectionBehavior } from './configuration';
import type { TrackedAnchor } from './anchorTracker';

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

/**
 * Inserts snippets where a generation started, wherever that position has moved since. Works
 * on closed documents too: a `WorkspaceEdit` reopens them in the background and leaves them dirty.
 */
export class DocumentInserter {
  /** Inserts into one document run one after the other, so each sees the others' lines. */
  private readonly queues = new Map<string, Promise<unknown>>();

  insert(
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
  ): Promise<boolean> {
    if (snippets.length === 0) return Promise.resolve(false);
    const key = target.anchor.uri.toString();
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.insertNow(target, snippets, behavior),
    );
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
   * VS Code refuses an edit made against a document version that changed meanwhile (the user
   * typed): the anchor has followed that change, so the edit is rebuilt and tried again.
   */
  private async insertNow(
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
  ): Promise<boolean> {
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const document = await documentFor(target.anchor.uri);
        if (await vscode.workspace.applyEdit(this.buildEdit(document, target, snippets, behavior)))
          return true;
      }
    } catch {
      // The document was deleted or renamed meanwhile: the caller says the link could not be inserted.
    }
    return false;
  }

  private buildEdit(
    document: vscode.TextDocument,
    target: InsertionTarget,
    snippets: readonly string[],
    behavior: SelectionBehavior,
  ): vscode.WorkspaceEdit {
    const { start, end } = target.anchor.current();
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    const body = snippets.join('\n');
    const edit = new vscode.WorkspaceEdit();

    if (!target.selectedText) {
      edit.insert(document.uri, range.start, body);
    } else if (behavior === 'replace' && document.getText(range) === target.selectedText) {
      edit.replace(document.uri, range, body);
    } else {
      // The image gets its own paragraph below the prompt's last line.
      let line = range.end.line;
      if (range.end.character === 0 && line > range.start.line) line--;
      const lineEnd = document.lineAt(line).range.end;
      const next = line + 1 < document.lineCount ? document.lineAt(line + 1) : undefined;
      const after = next && !next.isEmptyOrWhitespace ? '\n' : '';
      edit.insert(document.uri, lineEnd, `\n\n${body}${after}`);
    }
    return edit;
  }
}
