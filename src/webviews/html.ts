// The HTML shell of both webviews. No `vscode` import: the host passes in the webview URIs.
import { randomBytes } from 'node:crypto';

export type ViewName = 'generator' | 'gallery';

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
}

/** A fresh, unguessable nonce for every render. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
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

/** The page renders itself from the `init` message; the shell only loads styles and the script. */
export function renderShell(o: ShellOptions): string {
  const a = escapeAttr;
  return `<!DOCTYPE html>
<html lang="${a(o.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(o.codiconsUri)}">
<link rel="stylesheet" href="${a(o.styleUri)}">
<title>${a(o.title)}</title>
</head>
<body data-image-gen-view="${a(o.view)}">
<div id="app" class="app"></div>
<script nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
</body>
</html>`;
}
