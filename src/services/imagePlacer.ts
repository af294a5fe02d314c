import * as vscode from 'vscode';
import type { HistoryItem } from '../core/history';
import { dirname, extname, relativeLink } from '../core/paths';
import { placementStyle } from '../core/placement';
import {
  altTextFromPrompt,
  buildSnippet,
  latexUnsafePath,
  snippetLanguage,
  type SnippetLanguage,
} from '../core/snippets';
import { localError, type SaveProblem } from '../core/types';
import type { TrackedAnchor } from './anchorTracker';
import type { ConfigurationReader, SelectionBehavior } from './configuration';
import type { DocumentInserter } from './documentInserter';
import type { HistoryStore } from './historyStore';
import { isFile } from './localFiles';
import type { ImageSaver } from './imageSaver';
import type { GenerationPlaceholders } from './placeholders';
import type { ErrorPresenter } from './errorPresenter';
import type { UserInterface } from './ui';

/** Languages VS Code may not know (no AsciiDoc support built in), recognised by file extension. */
const BY_EXTENSION: Record<string, string> = {
  adoc: 'asciidoc',
  asciidoc: 'asciidoc',
  asc: 'asciidoc',
  rst: 'restructuredtext',
  tex: 'latex',
  latex: 'latex',
  htm: 'html',
  html: 'html',
  md: 'markdown',
  mdx: 'mdx',
};

/**
 * The file a document lives in: a notebook cell's is its notebook (images go beside the notebook,
 * links are relative to it), any other document's is itself.
 */
export function containerUri(uri: vscode.Uri): vscode.Uri {
  if (uri.scheme !== 'vscode-notebook-cell') return uri;
  const key = uri.toString();
  const notebook = vscode.workspace.notebookDocuments.find((nb) =>
    nb.getCells().some((cell) => cell.document.uri.toString() === key),
  );
  return notebook?.uri ?? uri.with({ scheme: 'file', fragment: '' });
}

export function snippetLanguageOf(document: { languageId: string; uri: vscode.Uri }): SnippetLanguage {
  const byExtension = BY_EXTENSION[extname(document.uri.path).replace(/^\./, '').toLowerCase()];
  return snippetLanguage(
    document.languageId === 'plaintext' && byExtension ? byExtension : document.languageId,
  );
}

export interface PlacementTarget {
  anchor: TrackedAnchor;
  selectedText: string;
  document: vscode.TextDocument;
  /** Overrides `imageGen.selectionBehavior` (Illustrate Document never replaces a heading). */
  behavior?: SelectionBehavior;
}

interface UntitledSession {
  dismissed: boolean;
  folder?: vscode.Uri;
}

interface Link {
  link?: string;
  saved?: vscode.Uri;
}

export interface PlacedImage {
  uri?: string;
  markdown?: string;
}

/**
 * Saves images where `imageGen.destination` says (or asks, for untitled documents), builds the
 * snippet for the document's language and inserts them under the prompt. Used by the commands
 * and by the webviews, so both behave the same.
 */
export class ImagePlacer {
  constructor(
    private readonly deps: {
      config: ConfigurationReader;
      saver: ImageSaver;
      inserter: DocumentInserter;
      placeholders: GenerationPlaceholders;
      history: HistoryStore;
      ui: UserInterface;
      /** Where a save that failed is said (kind 'save'). */
      presenter: Pick<ErrorPresenter, 'show'>;
    },
  ) {}

  /** `imageGen.insertAs: ask`: file or URL, once the image has arrived; undefined when dismissed. */
  async askMode(): Promise<'file' | 'url' | undefined> {
    const chosen = await this.deps.ui.pick<'file' | 'url'>(
      [
        { label: vscode.l10n.t('Save into the workspace and link it'), value: 'file' },
        {
          label: vscode.l10n.t('Insert the image URL'),
          description: vscode.l10n.t('expires after about an hour'),
          value: 'url',
        },
      ],
      { title: vscode.l10n.t('Insert the image as') },
    );
    return chosen && 'value' in chosen ? chosen.value : undefined;
  }

  /**
   * Marks where the image for `target` will land while it is generated (PRODUCT.md §15), until
   * the handle is disposed. A decoration, not text: the document stays exactly as it is.
   */
  showPlaceholder(target: PlacementTarget, prompt: string): vscode.Disposable {
    return this.deps.placeholders.show(
      {
        document: target.document,
        anchor: target.anchor,
        selectedText: target.selectedText,
        behavior: target.behavior ?? this.deps.config.get().selectionBehavior,
        style: placementStyle(snippetLanguageOf(target.document)),
      },
      prompt,
    );
  }

  /** The alt text `imageGen.altText` asks for. */
  async altText(prompt: string): Promise<string> {
    const mode = this.deps.config.get().altText;
    const fromPrompt = altTextFromPrompt(prompt);
    if (mode === 'empty') return '';
    if (mode === 'prompt') return fromPrompt;
    // Escape keeps the prompt-based text: the image is already paid for, so it is still inserted.
    const typed = await this.deps.ui.input({
      title: vscode.l10n.t('Alternative text for the image'),
      value: fromPrompt,
    });
    return typed === undefined ? fromPrompt : typed.trim();
  }

  async place(
    items: readonly HistoryItem[],
    mode: 'file' | 'url',
    alt: string,
    target: PlacementTarget,
  ): Promise<PlacedImage[]> {
    const language = snippetLanguageOf(target.document);
    const untitled = target.anchor.uri.scheme === 'untitled';
    const session: UntitledSession = { dismissed: false };
    // Files of a saved document are written in parallel; an untitled one asks once, then reuses the folder.
    let links: Link[] = [];
    const docUri = containerUri(target.anchor.uri);
    if (untitled) for (const item of items) links.push(await this.linkOne(item, mode, docUri, session));
    else links = await Promise.all(items.map((item) => this.linkOne(item, mode, docUri, session)));
    let unsafeLatex = false;
    const placed: PlacedImage[] = links.map((l) => {
      if (!l.link) return {};
      // \includegraphics cannot load a path with %, # or \: refused rather than inserted broken.
      if (language === 'latex' && latexUnsafePath(l.link)) {
        unsafeLatex = true;
        return { uri: l.saved?.toString() };
      }
      return { uri: l.saved?.toString(), markdown: buildSnippet(language, l.link, alt) };
    });
    if (unsafeLatex) this.report('latexPath');
    const snippets = placed.flatMap((p) => (p.markdown ? [p.markdown] : []));
    if (snippets.length === 0) return placed;
    const inserted = await this.deps.inserter.insert(
      target,
      snippets,
      target.behavior ?? this.deps.config.get().selectionBehavior,
      placementStyle(language),
    );
    if (!inserted) {
      this.report('insertFailed', target.document.fileName);
      return placed.map((p) => ({ uri: p.uri }));
    }
    return placed;
  }

  /**
   * A copy of the image already saved in this workspace that is still there (PRODUCT.md §15:
   * re-inserting links it instead of writing a duplicate). Fresh generations have none: no look-up.
   */
  async savedCopy(item: HistoryItem, document: vscode.Uri): Promise<vscode.Uri | undefined> {
    const current = this.deps.history.get(item.id)?.savedUris ?? item.savedUris;
    for (const saved of current) {
      const uri = vscode.Uri.parse(saved);
      const sameSide = document.scheme === 'untitled' || uri.scheme === document.scheme;
      if (sameSide && vscode.workspace.getWorkspaceFolder(uri) && (await isFile(uri))) return uri;
    }
    return undefined;
  }

  /** Saves one image where it belongs (when a file is wanted) and says what to link to. */
  private async linkOne(
    item: HistoryItem,
    mode: 'file' | 'url',
    /** The document's container (`containerUri`). */
    docUri: vscode.Uri,
    session: UntitledSession,
  ): Promise<Link> {
    const untitled = docUri.scheme === 'untitled';
    const wantFile = mode === 'file' || !item.remoteUrl;
    if (wantFile && item.savedUris.length > 0) {
      const existing = await this.savedCopy(item, docUri);
      if (existing) return { link: this.linkFor(existing, docUri), saved: existing };
    }
    if (wantFile && item.cacheFile && !(untitled && session.dismissed)) {
      const place = untitled
        ? await this.untitledTarget(item, session.folder)
        : this.deps.saver.destinationFor(item, docUri, this.deps.config.get().destination);
      if (place === undefined) session.dismissed = true;
      else if (!place.ok) this.report(place.error);
      else {
        // A document in no workspace folder keeps its images in its own folder.
        const written = await this.deps.saver.save(
          item,
          place.value,
          docUri.with({ path: dirname(docUri.path), query: '', fragment: '' }),
        );
        if (written.ok) {
          const saved = written.value;
          if (untitled) session.folder ??= saved.with({ path: dirname(saved.path) });
          const current = this.deps.history.get(item.id)?.savedUris ?? item.savedUris;
          void this.deps.history.update(item.id, { savedUris: [...current, saved.toString()] });
          return { link: this.linkFor(saved, docUri), saved };
        }
        this.report(
          written.error,
          written.error === 'linksOutside'
            ? vscode.workspace.asRelativePath(place.value.with({ path: dirname(place.value.path) }), false)
            : undefined,
        );
      }
    }
    // A URL is the fallback only where the user asked for it or dismissed the save dialog, and
    // never for an image that failed to download (a 404 or not an image): the gallery keeps why.
    if (item.remoteUrl && !item.problem && (mode === 'url' || (untitled && session.dismissed)))
      return { link: item.remoteUrl };
    return {};
  }

  /**
   * Drag and drop: saves the image as Insert as file does (links the copy already in the
   * workspace, the URL when no copy is left) and returns the snippet, for the drop to insert where
   * it landed. Undefined when there is nothing to link, or a LaTeX path \includegraphics cannot load.
   */
  async snippetForDrop(
    item: HistoryItem,
    document: vscode.TextDocument,
    alt: string,
  ): Promise<{ text: string; language: SnippetLanguage } | undefined> {
    const { link } = await this.linkOne(
      item,
      item.cacheFile || item.savedUris.length > 0 ? 'file' : 'url',
      containerUri(document.uri),
      {
        dismissed: false,
      },
    );
    const language = snippetLanguageOf(document);
    if (!link || (language === 'latex' && latexUnsafePath(link))) return undefined;
    return { text: buildSnippet(language, link, alt), language };
  }

  /** The snippet for Copy Markdown: a relative link to a saved copy when there is one, else the URL. */
  snippetFor(
    item: HistoryItem,
    document: { languageId: string; uri: vscode.Uri } | undefined,
    alt: string,
  ): string | undefined {
    const language = document ? snippetLanguageOf(document) : 'markdown';
    const saved = item.savedUris.map((u) => vscode.Uri.parse(u));
    const local =
      document && document.uri.scheme !== 'untitled'
        ? saved.find((u) => u.scheme === document.uri.scheme)
        : undefined;
    const link =
      local && document ? this.linkFor(local, document.uri) : (item.remoteUrl ?? saved[0]?.toString());
    return link ? buildSnippet(language, link, alt) : undefined;
  }

  /** Untitled documents: a save dialog once, then the same folder for the other images (PRODUCT.md §5.8). */
  private async untitledTarget(item: HistoryItem, folder: vscode.Uri | undefined) {
    const name = this.deps.saver.fileNameFor(item);
    if (folder) return { ok: true as const, value: vscode.Uri.joinPath(folder, name) };
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await this.deps.ui.saveDialog({
      title: vscode.l10n.t('Save the generated image'),
      defaultUri: root ? vscode.Uri.joinPath(root, 'images', name) : undefined,
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp', 'gif'] },
    });
    return chosen ? { ok: true as const, value: chosen } : undefined;
  }

  /** Relative to the document's folder; for untitled documents to the workspace folder, or a file: URI. */
  private linkFor(saved: vscode.Uri, document: vscode.Uri): string {
    const base =
      document.scheme !== 'untitled'
        ? dirname(document.path)
        : vscode.workspace.getWorkspaceFolder(saved)?.uri.path;
    return (base !== undefined && relativeLink(base, saved.path)) || saved.toString();
  }

  private report(problem: SaveProblem, file?: string): void {
    void this.deps.presenter.show(localError('save', { saveProblem: problem, file }));
  }
}
