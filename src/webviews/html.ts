// The HTML shell of both webviews. No `vscode` import: the host passes in the webview URIs.
import { randomBytes } from 'node:crypto';
import { INIT_DATA_ID } from './shared/initData';

export type ViewName = 'generator' | 'gallery';

/**
 * The page's own script and stylesheets as text, written into the shell (under the nonce) instead
 * of loaded by URI: a webview fetches every resource through its service worker and the workbench,
 * which costs the first screen tens of milliseconds warm and over a hundred cold.
 */
export interface InlineAssets {
  script: string;
  /** codicon.css (its font already pointing at a webview URI), then the page's stylesheet. */
  styles: string[];
}

export interface ShellOptions {
  view: ViewName;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** Webview URIs (`asWebviewUri`) of the page's script, its stylesheet and codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  language: string;
  title: string;
  /** When given, the script and styles are written inline and the URIs above are not used. */
  inline?: InlineAssets;
  /** What the page renders its first screen from at once (its `init` message), as JSON. */
  initData?: unknown;
}

/** A fresh, unguessable nonce for every render. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string, inlineStyles = false): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    // Inline styles only under this render's nonce (never 'unsafe-inline').
    `style-src ${cspSource}${inlineStyles ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** JSON that cannot end its `<script>` element or open a comment, whatever strings it holds. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const closes = (text: string, tag: 'script' | 'style') => new RegExp(`</${tag}`, 'i').test(text);

/** Whether the assets can be written inline: none of them holds the end of its own element. */
export function canInline(assets: InlineAssets): boolean {
  return !closes(assets.script, 'script') && !assets.styles.some((css) => closes(css, 'style'));
}

/** Text for a `<script>`/`<style>` element: refused when it could close the element early. */
function elementText(text: string, tag: 'script' | 'style'): string {
  if (closes(text, tag)) throw new Error(`the ${tag} cannot be written inline`);
  return text;
}

/** The page renders itself from its `init` (inline or the host's answer to `ready`). */
export function renderShell(o: ShellOptions): string {
  const a = escapeAttr;
  const nonce = a(o.nonce);
  const styles = o.inline
    ? o.inline.styles.map((css) => `<style nonce="${nonce}">${elementText(css, 'style')}</style>`).join('\n')
    : `<link rel="stylesheet" href="${a(o.codiconsUri)}">\n<link rel="stylesheet" href="${a(o.styleUri)}">`;
  const data =
    o.initData === undefined
      ? ''
      : `<script nonce="${nonce}" type="application/json" id="${INIT_DATA_ID}">${scriptJson(o.initData)}</script>\n`;
  const script = o.inline
    ? `<script nonce="${nonce}">${elementText(o.inline.script, 'script')}</script>`
    : `<script nonce="${nonce}" src="${a(o.scriptUri)}"></script>`;
  return `<!DOCTYPE html>
<html lang="${a(o.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(o.cspSource, o.nonce, !!o.inline))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${a(o.title)}</title>
</head>
<body data-image-gen-view="${a(o.view)}">
<div id="app" class="app"></div>
${data}${script}
</body>
</html>`;
}
