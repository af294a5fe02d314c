// The host side of the webview kernel, shared by the generator panel and the gallery: disposables,
// the `ready` handshake, posts queued until the page is ready, inbound validation against the
// view's table, and request/reply matched by id (exactly one reply for every request id).
import * as vscode from 'vscode';
import type { HistoryItem } from '../../core/history';
import type { WebviewDeps } from '../deps';
import type { ViewName } from '../html';
import { parse } from '../validate';
import type { Validator } from '../validate';
import { errorText, findItem, renderHtml } from '../webviewHost';
import type { PageContent } from '../webviewHost';
import { refusedRequestId, validatorOf } from './messages';
import type {
  EventOf,
  EventsOf,
  MessageOf,
  MessagesOf,
  Reply,
  ReplyMessage,
  ReplyValueOf,
  Request,
  Table,
} from './messages';

/** What the page says first, and the host answers with `init` (the page ignores anything before it). */
type Handshake = { ready: Table[string] };
type InitEvents = { init: object };

/**
 * A handler for every message of the table (a missing one is a compile error): `ready` answers
 * with the page's `init`, a request with its reply, a notice with nothing.
 */
export type Handlers<In extends Table, Out extends InitEvents> = {
  [K in keyof In & string]: K extends 'ready'
    ? (message: MessageOf<In, K>) => Promise<EventOf<Out, 'init'>>
    : In[K] extends Request
      ? (message: MessageOf<In, K>) => Promise<Reply<ReplyValueOf<In[K]>>>
      : (message: MessageOf<In, K>) => Promise<void> | void;
};

/** Posts kept while the page is away (hidden or loading); beyond this the oldest go. */
const MAX_QUEUED = 100;

export abstract class WebviewHost<In extends Table & Handshake, Out extends InitEvents>
  implements vscode.Disposable
{
  private readonly lifetime: vscode.Disposable[] = [];
  private readonly pageScoped: vscode.Disposable[] = [];
  private readonly validate: Validator<MessagesOf<In>>;
  private webview: vscode.Webview | undefined;
  private ready = false;
  private handshaking = false;
  private queue: Array<EventsOf<Out> | ReplyMessage> = [];
  private disposed = false;
  protected abstract readonly handlers: Handlers<In, Out>;

  protected constructor(
    protected readonly deps: WebviewDeps,
    private readonly viewName: ViewName,
    /** How the log names this view ("Gallery", "Generator panel"). */
    private readonly label: string,
    private readonly table: In,
  ) {
    this.validate = validatorOf(table);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The `init` is being built: changes meanwhile reach the page after it. */
  protected get isHandshaking(): boolean {
    return this.handshaking;
  }

  /** Kept until the view is disposed. */
  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.lifetime.push(d);
    return d;
  }

  /** Renders the page into `webview` and listens to it; a previous page's listeners are dropped. */
  protected attach(webview: vscode.Webview, page: PageContent, ...scoped: vscode.Disposable[]): void {
    this.detach();
    this.webview = webview;
    this.ready = false;
    this.render(webview, page);
    this.pageScoped.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      ...scoped,
    );
  }

  /** Sets the page's HTML (again): a view's page that is not shown loads it when it comes back. */
  protected render(webview: vscode.Webview, page: PageContent): void {
    webview.html = renderHtml(webview, this.deps, this.viewName, page);
  }

  protected detach(): void {
    this.ready = false;
    this.webview = undefined;
    while (this.pageScoped.length) this.pageScoped.pop()?.dispose();
  }

  /** The page went away (hidden and not retained): posts queue until it says `ready` again. */
  protected pageGone(): void {
    this.ready = false;
  }

  protected get currentWebview(): vscode.Webview | undefined {
    return this.webview;
  }

  /** Sends now when the page is ready, otherwise after its next `init`. */
  protected post(message: EventsOf<Out> | ReplyMessage): Thenable<boolean> {
    if (this.ready) return this.send(message);
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
    return Promise.resolve(false);
  }

  /** For messages whose state the next `init` carries anyway: dropped while the page is away. */
  protected postIfReady(message: EventsOf<Out>): Thenable<boolean> {
    return this.ready ? this.send(message) : Promise.resolve(false);
  }

  private send(message: unknown): Thenable<boolean> {
    if (this.disposed || !this.webview) return Promise.resolve(false);
    return this.webview.postMessage(message);
  }

  /** Looks the item up; a request about one deleted meanwhile is answered, not dropped. */
  protected async withItem<R = undefined>(
    id: string,
    act: (item: HistoryItem) => Promise<Reply<R>>,
  ): Promise<Reply<R>> {
    const item = findItem(this.deps, id);
    if (item) return act(item);
    this.deps.log.warn(`${this.label}: no gallery item ${id} (deleted meanwhile?)`);
    return { ok: false, message: vscode.l10n.t('This image is no longer in the gallery.') };
  }

  /** Runs work a handler started but does not wait for (its reply is already on the way). */
  protected later(what: string, work: () => Promise<unknown>): void {
    void work().catch((e) => this.deps.log.error(`${this.label}: ${what} failed: ${errorText(e)}`));
  }

  /** A message that failed validation: a request still gets its one reply (the page stops waiting). */
  protected refused(raw: unknown): void {
    const requestId = refusedRequestId(this.table, raw);
    if (requestId !== undefined) void this.post({ type: 'reply', requestId, ok: false, error: 'invalid' });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parse(this.validate, raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Ignored an invalid message from the ${this.viewName} webview: ${parsed.error}`);
      return this.refused(raw);
    }
    const message = parsed.value as { type: keyof In & string; requestId?: number };
    const handler = this.handlers[message.type] as (m: unknown) => Promise<unknown> | unknown;
    if (message.type === 'ready') return this.handshake(handler, message);
    if (this.table[message.type].kind !== 'request') {
      try {
        await handler(message);
      } catch (e) {
        this.deps.log.error(`${this.label}: ${message.type} failed: ${errorText(e)}`);
      }
      return;
    }
    const requestId = message.requestId as number;
    let reply: ReplyMessage;
    try {
      reply = { type: 'reply', requestId, ...((await handler(message)) as Reply) };
    } catch (e) {
      this.deps.log.error(`${this.label}: ${message.type} failed: ${errorText(e)}`);
      reply = { type: 'reply', requestId, ok: false, error: 'failed' };
    }
    await this.post(reply);
  }

  /** `ready` → `init`, then whatever was posted while the page was away, in order. */
  private async handshake(handler: (m: unknown) => unknown, message: unknown): Promise<void> {
    this.ready = false;
    this.handshaking = true;
    try {
      const init = (await handler(message)) as EventOf<Out, 'init'>;
      await this.send(init);
      this.ready = true;
    } catch (e) {
      this.deps.log.error(`${this.label}: the page could not be set up: ${errorText(e)}`);
      return;
    } finally {
      this.handshaking = false;
    }
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) void this.send(m);
    this.afterReady();
  }

  /** Called once the page has its `init` and the queued posts. */
  protected afterReady(): void {}

  dispose(): void {
    if (this.disposed) return;
    this.detach();
    this.disposed = true;
    this.queue = [];
    while (this.lifetime.length) this.lifetime.pop()?.dispose();
  }
}
