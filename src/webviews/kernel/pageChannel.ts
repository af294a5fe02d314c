// The page side of the webview kernel: posts the table's messages, matches every reply to the
// request that announced its id, and hands every other host message to the page's handler map.
// No DOM and no `vscode`: webview-src/shared/vscode.ts wires it to the webview API; unit-tested in Node.
import type {
  EventHandlers,
  EventsOf,
  MessageOf,
  NoticeTypes,
  Reply,
  ReplyMessage,
  ReplyValueOf,
  RequestTypes,
  Table,
} from './messages';

/** The host said the request failed (its handler threw); the page shows nothing more than before. */
export class HostError extends Error {}

type NoticeFields<T extends Table, K extends keyof T & string> = Omit<MessageOf<T, K>, 'type'>;
type RequestFields<T extends Table, K extends keyof T & string> = Omit<MessageOf<T, K>, 'type' | 'requestId'>;

interface Pending {
  resolve(reply: Reply<unknown>): void;
  reject(error: Error): void;
}

export class PageChannel<In extends Table, Out> {
  private readonly pending = new Map<number, Pending>();
  private lastId: number;

  /**
   * `send` posts to the host; `seed` starts the request ids (from the clock in a page, so a
   * reloaded page never reuses an id the host may still answer).
   */
  constructor(
    private readonly send: (message: unknown) => void,
    seed: number,
  ) {
    this.lastId = seed;
  }

  /** A request id unique in this page, for a notice that names its own (generate, cancel). */
  nextRequestId(): number {
    return ++this.lastId;
  }

  post<K extends NoticeTypes<In>>(type: K, fields: NoticeFields<In, K>): void {
    this.send({ ...fields, type });
  }

  /** Sends a request; settles once, when the host's reply with its id arrives. */
  request<K extends RequestTypes<In>>(
    type: K,
    fields: RequestFields<In, K>,
  ): Promise<Reply<ReplyValueOf<In[K]>>> {
    const requestId = this.nextRequestId();
    const settled = new Promise<Reply<ReplyValueOf<In[K]>>>((resolve, reject) =>
      this.pending.set(requestId, { resolve: resolve as Pending['resolve'], reject }),
    );
    this.send({ ...fields, type, requestId });
    return settled;
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * One message from the host: a reply settles its request (a reply to an id this page did not
   * announce, e.g. from before a reload, is dropped); anything else goes to the handler of its type.
   */
  receive(data: unknown, handlers: Partial<EventHandlers<Out>>): void {
    if (typeof data !== 'object' || data === null) return;
    const type = (data as { type?: unknown }).type;
    if (typeof type !== 'string') return;
    if (type === 'reply') return this.settle(data as ReplyMessage);
    if (!Object.prototype.hasOwnProperty.call(handlers, type)) return;
    (handlers as unknown as Record<string, (m: EventsOf<Out>) => void>)[type]?.(data as EventsOf<Out>);
  }

  private settle(reply: ReplyMessage): void {
    const waiting = this.pending.get(reply.requestId);
    if (!waiting) return;
    this.pending.delete(reply.requestId);
    if (reply.error !== undefined) waiting.reject(new HostError(reply.error));
    else waiting.resolve({ ok: reply.ok, message: reply.message, value: reply.value });
  }
}
