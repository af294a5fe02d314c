import * as vscode from 'vscode';
import { landingLine, type PlacementStyle } from '../core/placement';
import type { TrackedAnchor } from './anchorTracker';
import type { SelectionBehavior } from './configuration';

/** What one editor shows for one placeholder: the line it marks and its text. */
export interface ShownPlaceholder {
  uri: string;
  line: number;
  text: string;
}

/** One generation on its way into a document. */
interface Pending {
  document: vscode.TextDocument;
  anchor: TrackedAnchor;
  selectedText: string;
  behavior: SelectionBehavior;
  style: PlacementStyle;
  text: string;
  hover: vscode.MarkdownString;
}

/**
 * "Generating…" marks where images will land while their generations run (PRODUCT.md §15). A mark
 * is an editor decoration, never text of the document: the document is not dirtied, its undo
 * history holds only the final insert, and a failure or a cancel leaves nothing to clean up. The
 * line is worked out again after every edit from the same tracked anchor the insert will use.
 */
export class GenerationPlaceholders implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      fontStyle: 'italic',
      margin: '0 0 0 2ch',
    },
    isWholeLine: false,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly pending = new Map<string, Set<Pending>>();
  /** What each visible editor was last given, for `shown()`. */
  private readonly applied = new Map<vscode.TextEditor, ShownPlaceholder[]>();
  private readonly stale = new Set<string>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      // The tracked anchor moves in its own listener of this event: redraw once all have run.
      vscode.workspace.onDidChangeTextDocument((e) => this.later(e.document.uri.toString())),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        for (const editor of this.applied.keys())
          if (!vscode.window.visibleTextEditors.includes(editor)) this.applied.delete(editor);
        for (const key of this.pending.keys()) this.redraw(key);
      }),
    ];
  }

  /**
   * Marks where an image for `target` will land until the returned handle is disposed (the image
   * is inserted, or the generation failed or was cancelled). The anchor stays the caller's.
   */
  show(
    target: {
      document: vscode.TextDocument;
      anchor: TrackedAnchor;
      selectedText: string;
      behavior: SelectionBehavior;
      style: PlacementStyle;
    },
    prompt: string,
  ): vscode.Disposable {
    const short = prompt.replace(/\s+/g, ' ').trim();
    const clipped = [...short].length > 40 ? `${[...short].slice(0, 40).join('')}…` : short;
    const entry: Pending = {
      ...target,
      text: `⟳ ${vscode.l10n.t('Image Gen: generating "{0}"', clipped)}`,
      hover: new vscode.MarkdownString(
        vscode.l10n.t('The image for "{0}" will be inserted here when it arrives.', short),
      ),
    };
    entry.hover.isTrusted = false;
    const key = target.anchor.uri.toString();
    let set = this.pending.get(key);
    if (!set) this.pending.set(key, (set = new Set()));
    set.add(entry);
    this.redraw(key);
    return {
      dispose: () => {
        if (!set.delete(entry)) return;
        if (set.size === 0 && this.pending.get(key) === set) this.pending.delete(key);
        this.redraw(key);
      },
    };
  }

  /** What the visible editors show now (the test hooks read it). */
  shown(uri?: vscode.Uri): ShownPlaceholder[] {
    const key = uri?.toString();
    return [...this.applied.entries()]
      .filter(([editor]) => !key || editor.document.uri.toString() === key)
      .flatMap(([, marks]) => marks);
  }

  private later(key: string): void {
    if (!this.pending.has(key) || this.stale.has(key)) return;
    this.stale.add(key);
    void Promise.resolve().then(() => {
      this.stale.delete(key);
      this.redraw(key);
    });
  }

  private redraw(key: string): void {
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key);
    if (editors.length === 0) return;
    const document = editors[0].document;
    const text = document.getText();
    const marks = [...(this.pending.get(key) ?? [])].map((p) => {
      const line = landingLine(text, {
        anchor: p.anchor.current(),
        selectedText: p.selectedText,
        behavior: p.behavior,
        style: p.style,
      });
      return { line, text: p.text, hover: p.hover };
    });
    // Several images landing on one line: one mark each, side by side.
    const options = marks.map<vscode.DecorationOptions>((m) => {
      const end = document.lineAt(m.line).range.end;
      return {
        range: new vscode.Range(end, end),
        hoverMessage: m.hover,
        renderOptions: { after: { contentText: m.text } },
      };
    });
    for (const editor of editors) {
      editor.setDecorations(this.type, options);
      if (marks.length === 0) this.applied.delete(editor);
      else
        this.applied.set(
          editor,
          marks.map((m) => ({ uri: key, line: m.line, text: m.text })),
        );
    }
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.type.dispose();
    this.pending.clear();
    this.applied.clear();
  }
}
