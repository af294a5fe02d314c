// The one handle on the VS Code webview API: the kernel's page channel (src/webviews/kernel/
// pageChannel.ts) wired to it, typed by the view's message table.
import type { EventHandlers, Table } from '../../src/webviews/kernel/messages';
import { PageChannel } from '../../src/webviews/kernel/pageChannel';
import { INIT_DATA_ID } from '../../src/webviews/shared/initData';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostChannel<In extends Table, Out, State> extends PageChannel<In, Out> {
  constructor(private readonly api: VsCodeApi) {
    // Seeded from the clock so a reloaded page never reuses an id the host still answers.
    super((message) => api.postMessage(message), Date.now() % 1_000_000_000);
  }

  /** Whatever was saved last; unchecked, so the page verifies the shape before using it. */
  readonly savedState = (): unknown => this.api.getState();

  /** Bound, so it can be handed on as a function. */
  readonly saveState = (state: State): void => void this.api.setState(state);

  /**
   * Hands the host's messages to `handlers` (a complete map: a missing handler does not compile);
   * until `isInitialized()`, only `init` gets through.
   */
  listen(handlers: EventHandlers<Out>, isInitialized: () => boolean): void {
    const init = { init: (handlers as Record<string, unknown>).init } as Partial<EventHandlers<Out>>;
    window.addEventListener('message', (event: MessageEvent) =>
      this.receive(event.data, isInitialized() ? handlers : init),
    );
  }
}

export function connect<In extends Table, Out, State>(): HostChannel<In, Out, State> {
  return new HostChannel(acquireVsCodeApi());
}

/** The `init` the host wrote into the page's HTML, if it did (the page then paints before `ready`). */
export function initFromHtml<T>(): T | undefined {
  const text = document.getElementById(INIT_DATA_ID)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
