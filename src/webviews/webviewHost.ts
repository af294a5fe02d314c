// Host-side plumbing shared by both webviews: options, HTML, item views and checked messages.
import * as vscode from 'vscode';
import type { HistoryItem } from '../core/history';
import type { DownloadProblem } from '../core/types';
import type { LocalFiles, WebviewDeps } from './deps';
import { canInline, createNonce, renderShell } from './html';
import type { InlineAssets, ViewName } from './html';
import { MAX_PREVIEW_PIXELS, type ItemView } from './shared/itemView';

/** Scripts on; resources only from the built webview folder and the image cache (not the history file). */
export function webviewOptions(deps: WebviewDeps): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews'), ...deps.cacheDirs],
  };
}

/** What a render of the page holds besides its shell. */
export interface PageContent {
  /** The window title of the page. */
  title: string;
  /** The page's script and styles written into the HTML (else loaded by URI). */
  inline?: InlineAssets;
  /** The page's `init`, rendered at once without waiting for the `ready` round trip. */
  initData?: unknown;
}

export function renderHtml(
  webview: vscode.Webview,
  deps: WebviewDeps,
  view: ViewName,
  page: PageContent,
): string {
  const asset = (...path: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webviews', ...path)).toString();
  return renderShell({
    view,
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asset(`${view}.js`),
    styleUri: asset(`${view}.style.css`),
    codiconsUri: asset('codicons', 'codicon.css'),
    language: vscode.env.language,
    title: page.title,
    inline: page.inline,
    initData: page.initData,
  });
}

/**
 * A page's script and stylesheets as text for the shell, read once (they do not change while the
 * extension runs); undefined when they cannot be read or written inline, and the shell loads them by URI.
 */
export class PageAssets {
  private texts: Promise<{ script: string; codicons: string; style: string } | undefined> | undefined;

  constructor(
    private readonly deps: WebviewDeps,
    private readonly view: ViewName,
  ) {}

  async inline(webview: vscode.Webview): Promise<InlineAssets | undefined> {
    const texts = await (this.texts ??= this.read());
    if (!texts) return undefined;
    const font = webview.asWebviewUri(this.uri('codicons', 'codicon.ttf')).toString();
    return {
      script: texts.script,
      styles: [texts.codicons.split('./codicon.ttf').join(font), texts.style],
    };
  }

  private uri(...path: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews', ...path);
  }

  private async read() {
    const text = async (...path: string[]) =>
      new TextDecoder()
        .decode(await this.deps.files.readBytes(this.uri(...path)))
        // The source map's relative URL would resolve against the page, not dist/webviews/.
        .replace(/\n(\/\/# sourceMappingURL=\S*|\/\*# sourceMappingURL=\S* \*\/)\s*$/, '\n');
    try {
      const [script, codicons, style] = await Promise.all([
        text(`${this.view}.js`),
        text('codicons', 'codicon.css'),
        text(`${this.view}.style.css`),
      ]);
      if (!canInline({ script, styles: [codicons, style] }))
        throw new Error('they would end their element early');
      return { script, codicons, style };
    } catch (e) {
      this.deps.log.warn(`The ${this.view} page loads its script by URI: ${errorText(e)}`);
      return undefined;
    }
  }
}

function problemText(problem: DownloadProblem, deps: WebviewDeps): string {
  return vscode.l10n.t('No local copy was kept: {0}.', deps.downloadReason(problem));
}

const joinNotes = (...notes: Array<string | undefined>): string | undefined =>
  notes.filter((n): n is string => !!n).join(' ') || undefined;

/**
 * Which stored thumbnails exist, looked up only for the items sent to a page (one `stat` each,
 * in parallel, remembered until the history changes in a way that may take files away), so the
 * page is never handed a thumbnail URI that would not load and a 10,000-item history costs no
 * more than its first screen.
 */
export class ThumbnailIndex {
  private known = new Map<string, boolean>();

  constructor(private readonly files: LocalFiles) {}

  async ensure(uris: readonly vscode.Uri[]): Promise<void> {
    // What a lookup finds after an `invalidate` may already be wrong: it goes into the old map.
    const known = this.known;
    const unknown = uris.filter((uri) => !known.has(uri.toString()));
    const found = await Promise.all(unknown.map((uri) => this.files.isFile(uri)));
    // A thumbnail stored meanwhile (`add`) is not taken back by a look that began before it.
    unknown.forEach((uri, i) => {
      if (!known.has(uri.toString())) known.set(uri.toString(), found[i]);
    });
  }

  /** Forget what was looked up (the history changed: thumbnails may have been deleted or restored). */
  invalidate(): void {
    this.known = new Map();
  }

  has(uri: vscode.Uri): boolean {
    return this.known.get(uri.toString()) ?? false;
  }

  add(uri: vscode.Uri): void {
    this.known.set(uri.toString(), true);
  }
}

/**
 * What a page may know about an item: webview URIs for images, flags for the actions, no paths.
 * `thumbnails` tells which stored thumbnails exist; without it no thumbnail is offered.
 */
export function toItemView(
  item: HistoryItem,
  webview: vscode.Webview,
  deps: WebviewDeps,
  thumbnails?: ThumbnailIndex,
): ItemView {
  const cached = deps.history.cacheUri(item);
  // An image whose header declares a pixel bomb is never handed to a page to decode.
  const tooManyPixels =
    item.width !== undefined && item.height !== undefined && item.width * item.height > MAX_PREVIEW_PIXELS;
  const cache = tooManyPixels ? undefined : cached;
  const thumbUri = cache && thumbnails ? deps.history.thumbnailUri(item) : undefined;
  const thumb = thumbUri && thumbnails?.has(thumbUri) ? thumbUri : undefined;
  return {
    id: item.id,
    prompt: item.prompt,
    revisedPrompt: item.revisedPrompt,
    model: item.model,
    size: item.size,
    createdAt: item.createdAt,
    src: cache && webview.asWebviewUri(cache).toString(),
    thumb: thumb && webview.asWebviewUri(thumb).toString(),
    cached: !!cached,
    hasUrl: !!item.remoteUrl,
    saved: item.savedUris.length > 0,
    usage:
      item.usage?.total_tokens !== undefined
        ? vscode.l10n.t(
            '{0} tokens (input {1}, output {2})',
            item.usage.total_tokens,
            item.usage.input_tokens ?? '?',
            item.usage.output_tokens ?? '?',
          )
        : undefined,
    problem: joinNotes(
      item.cancelled
        ? vscode.l10n.t('Cancelled after the provider answered: kept here, not inserted.')
        : undefined,
      tooManyPixels
        ? vscode.l10n.t(
            'No preview: the image declares {0} × {1} pixels, more than 50 megapixels.',
            item.width ?? 0,
            item.height ?? 0,
          )
        : cached
          ? undefined
          : item.problem
            ? problemText(item.problem, deps)
            : item.remoteUrl
              ? vscode.l10n.t('No local copy is kept; only the remote URL, which may have expired.')
              : undefined,
    ),
  };
}

export function findItem(deps: WebviewDeps, id: string): HistoryItem | undefined {
  return deps.history.list().find((i) => i.id === id);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
