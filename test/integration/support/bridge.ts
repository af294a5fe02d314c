// Lets a test in the extension host drive the browser page around it (code-server's workbench and
// the webviews inside it) through the Playwright-side server that scripts/integration.mjs starts.
// Functions passed to eval/wait run in the page: they are sent as source text, so they cannot use
// closures or imports, only their single JSON argument. Results come back as JSON.
import * as http from 'node:http';
import type { BridgeRequest, BridgeResponse, PageProblem, WebviewName } from './bridgeProtocol';

export type { PageProblem, WebviewName } from './bridgeProtocol';

type PageFunction<A, R> = ((arg: A) => R | Promise<R>) | string;

export class BridgeUnavailableError extends Error {
  constructor() {
    super('No browser bridge: IMAGE_GEN_BRIDGE_URL is unset (not running under scripts/integration.mjs)');
  }
}

export class BrowserBridge {
  constructor(private readonly baseUrl: string | undefined) {}

  /** False under @vscode/test-electron / desktop VS Code: UI tests then `this.skip()`. */
  available(): boolean {
    return !!this.baseUrl;
  }

  /** Runs `fn(arg)` in the content frame of a webview (waits up to timeoutMs for it to exist). */
  evalWebview<A, R>(view: WebviewName, fn: PageFunction<A, R>, arg?: A, timeoutMs?: number): Promise<R> {
    return this.send({ op: 'evalWebview', view, fn: String(fn), arg, timeoutMs }) as Promise<R>;
  }

  /** Polls `fn(arg)` in a webview until it returns something truthy, and returns that. */
  waitWebview<A, R>(view: WebviewName, fn: PageFunction<A, R>, arg?: A, timeoutMs = 15_000): Promise<R> {
    return this.send({ op: 'waitWebview', view, fn: String(fn), arg, timeoutMs }, timeoutMs) as Promise<R>;
  }

  /** Clicks like a user (Playwright waits for the element to be visible, stable and enabled). */
  async clickWebview(view: WebviewName, selector: string, timeoutMs?: number): Promise<void> {
    await this.send({ op: 'clickWebview', view, selector, timeoutMs }, timeoutMs);
  }

  /** Replaces an input's or textarea's value, firing input events. */
  async fillWebview(view: WebviewName, selector: string, text: string, timeoutMs?: number): Promise<void> {
    await this.send({ op: 'fillWebview', view, selector, text, timeoutMs }, timeoutMs);
  }

  /** Focuses the element and presses a key or chord, e.g. 'Control+Enter'. */
  async pressWebview(view: WebviewName, selector: string, key: string, timeoutMs?: number): Promise<void> {
    await this.send({ op: 'pressWebview', view, selector, key, timeoutMs }, timeoutMs);
  }

  /** Drags the real mouse over an element (e.g. paints on a canvas); points are fractions of its box. */
  async dragWebview(view: WebviewName, selector: string, points: [number, number][], timeoutMs?: number) {
    await this.send({ op: 'dragWebview', view, selector, points, timeoutMs }, timeoutMs);
  }

  /**
   * Drags a webview element with the real mouse (an HTML drag, its data set by the page) and drops
   * it where `target(arg)` says, a function run in the workbench page returning `{ x, y }`.
   */
  async dragToWorkbench<A>(
    view: WebviewName,
    selector: string,
    target: PageFunction<A, { x: number; y: number } | undefined>,
    arg?: A,
    timeoutMs?: number,
  ): Promise<void> {
    await this.send(
      { op: 'dragToWorkbench', view, selector, target: String(target), arg, timeoutMs },
      timeoutMs,
    );
  }

  /** Runs `fn(arg)` in the workbench page itself (e.g. to read `.notifications-toasts`). */
  evalWorkbench<A, R>(fn: PageFunction<A, R>, arg?: A): Promise<R> {
    return this.send({ op: 'evalWorkbench', fn: String(fn), arg }) as Promise<R>;
  }

  /** Polls `fn(arg)` in the workbench page until it returns something truthy, and returns that. */
  waitWorkbench<A, R>(fn: PageFunction<A, R>, arg?: A, timeoutMs = 15_000): Promise<R> {
    return this.send({ op: 'waitWorkbench', fn: String(fn), arg, timeoutMs }, timeoutMs) as Promise<R>;
  }

  async clickWorkbench(selector: string, timeoutMs?: number): Promise<void> {
    await this.send({ op: 'clickWorkbench', selector, timeoutMs }, timeoutMs);
  }

  /** Saves a PNG of the page, or of one webview, as test-results/screenshots/<name>.png; returns its path. */
  screenshot(name: string, view?: WebviewName): Promise<string> {
    return this.send({ op: 'screenshot', name, view }) as Promise<string>;
  }

  /** Page errors, console errors and CSP violations from all frames since the browser started. */
  errors(): Promise<PageProblem[]> {
    return this.send({ op: 'errors' }) as Promise<PageProblem[]>;
  }

  private send(request: BridgeRequest, opTimeoutMs = 15_000): Promise<unknown> {
    const baseUrl = this.baseUrl;
    if (!baseUrl) return Promise.reject(new BridgeUnavailableError());
    const body = JSON.stringify(request);
    return new Promise((resolve, reject) => {
      const req = http.request(
        baseUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          // The server enforces the operation's own timeout; this only guards against a dead server.
          timeout: opTimeoutMs + 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let response: BridgeResponse;
            try {
              response = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BridgeResponse;
            } catch {
              return reject(new Error(`bridge ${request.op}: unreadable answer (HTTP ${res.statusCode})`));
            }
            if (response.ok) resolve(response.result);
            else reject(new Error(`bridge ${request.op}: ${response.error}`));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`bridge ${request.op}: no answer`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The bridge of this test run, from IMAGE_GEN_BRIDGE_URL (unavailable when unset). */
export function browserBridge(): BrowserBridge {
  return new BrowserBridge(process.env.IMAGE_GEN_BRIDGE_URL || undefined);
}
