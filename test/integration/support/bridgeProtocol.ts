// Wire format between test/integration/support/bridge.ts (in the extension host) and the
// browser bridge server in scripts/integration.mjs (beside Playwright). One POST per operation.

/** A webview page of this extension, by its `<body data-image-gen-view="…">`. */
export type WebviewName = 'generator' | 'gallery' | (string & {});

export type BridgeRequest =
  | { op: 'evalWebview'; view: WebviewName; fn: string; arg: unknown; timeoutMs?: number }
  | { op: 'waitWebview'; view: WebviewName; fn: string; arg: unknown; timeoutMs?: number }
  | { op: 'clickWebview'; view: WebviewName; selector: string; timeoutMs?: number }
  | { op: 'fillWebview'; view: WebviewName; selector: string; text: string; timeoutMs?: number }
  | { op: 'pressWebview'; view: WebviewName; selector: string; key: string; timeoutMs?: number }
  /** Presses the mouse at the first point, moves through the others, releases: fractions of the element's box. */
  | { op: 'dragWebview'; view: WebviewName; selector: string; points: [number, number][]; timeoutMs?: number }
  /**
   * Drags an element of a webview with the real mouse and drops it on the workbench, at the
   * point (page coordinates) that `target(arg)`, run in the workbench page, returns.
   */
  | {
      op: 'dragToWorkbench';
      view: WebviewName;
      selector: string;
      target: string;
      arg: unknown;
      timeoutMs?: number;
    }
  | { op: 'evalWorkbench'; fn: string; arg: unknown }
  | { op: 'waitWorkbench'; fn: string; arg: unknown; timeoutMs?: number }
  | { op: 'clickWorkbench'; selector: string; timeoutMs?: number }
  | { op: 'screenshot'; name: string; view?: WebviewName }
  | { op: 'errors' };

export type BridgeResponse = { ok: true; result: unknown } | { ok: false; error: string };

/** A problem seen in the page or any of its frames since the browser started. */
export interface PageProblem {
  /** `pageerror`: uncaught exception; `csp`: a Content Security Policy violation; `console`: any other console.error. */
  kind: 'pageerror' | 'console' | 'csp';
  text: string;
  /** URL of the frame (or, for browser-generated messages, of the resource) it came from. */
  url: string;
  /** Whether it came from a webview frame rather than the workbench itself. */
  webview: boolean;
  time: number;
}
