// The one handle on the VS Code webview API, typed by each page's protocol.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel<Out, State> {
  post(message: Out): void;
  /** Whatever was saved last; unchecked, so the page verifies the shape before using it. */
  savedState(): unknown;
  saveState(state: State): void;
  /** Listens to the host's messages (only objects with a string `type`). */
  onMessage(handler: (message: { type: string }) => void): void;
  /** A request id unique across reloads of this page, for matching replies. */
  nextRequestId(): number;
}

export function connect<Out, State>(): HostChannel<Out, State> {
  const api = acquireVsCodeApi();
  // Seeded from the clock so a reloaded page never reuses an id the host still answers.
  let requestId = Date.now() % 1_000_000_000;
  return {
    post: (message) => api.postMessage(message),
    savedState: () => api.getState(),
    saveState: (state) => void api.setState(state),
    onMessage(handler) {
      window.addEventListener('message', (event: MessageEvent) => {
        const data: unknown = event.data;
        if (
          typeof data === 'object' &&
          data !== null &&
          typeof (data as { type?: unknown }).type === 'string'
        ) {
          handler(data as { type: string });
        }
      });
    },
    nextRequestId: () => ++requestId,
  };
}
