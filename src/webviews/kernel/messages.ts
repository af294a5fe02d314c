// The webview kernel's message tables. Each view declares the messages its page may send ONCE, as
// a table of field validators; the table yields the TypeScript union, the validator the host runs
// on every inbound message, and the handler map the compiler holds complete. No `vscode` import:
// compiled into the pages too and unit-tested in plain Node.
import { literal, object, requestId as requestIdField, tagged } from '../validate';
import type { ObjectOf, Validator } from '../validate';

type Fields = Record<string, Validator<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A message the page sends and forgets (it may still carry ids of its own among its fields). */
export interface Notice<F extends Fields = Fields> {
  readonly kind: 'notice';
  readonly fields: F;
}
/** A request: carries a `requestId` and is answered by exactly one `reply` carrying it back. */
export interface Request<F extends Fields = Fields, R = unknown> {
  readonly kind: 'request';
  readonly fields: F;
  /** Type only: what the reply's `value` holds. */
  readonly replyValue?: R;
}
export type Entry = Notice | Request;
export type Table = Record<string, Entry>;

export const notice = <F extends Fields>(fields: F): Notice<F> => ({ kind: 'notice', fields });
/** `request(fields)`, or `request(fields, replyOf<T>())` when the reply carries a value. */
export const request = <F extends Fields, R = undefined>(
  fields: F,
  _value?: ReplyValueMarker<R>,
): Request<F, R> => ({
  kind: 'request',
  fields,
});
declare const replyMarker: unique symbol;
export type ReplyValueMarker<R> = { readonly [replyMarker]?: R };
/** Names the type of a request's reply value in its table entry (a marker: nothing at run time). */
export const replyOf = <R>(): ReplyValueMarker<R> => ({});

type PayloadOf<E> =
  E extends Request<infer F, unknown>
    ? ObjectOf<F> & { requestId: number }
    : E extends Notice<infer F>
      ? ObjectOf<F>
      : never;

/** One message of the table, as the host receives it after validation. */
export type MessageOf<T extends Table, K extends keyof T & string> = Simplify<{ type: K } & PayloadOf<T[K]>>;
/** Every message of the table: the union the host's handlers are typed by. */
export type MessagesOf<T extends Table> = { [K in keyof T & string]: MessageOf<T, K> }[keyof T & string];
export type RequestTypes<T extends Table> = {
  [K in keyof T & string]: T[K] extends Request ? K : never;
}[keyof T & string];
export type NoticeTypes<T extends Table> = Exclude<keyof T & string, RequestTypes<T>>;
export type ReplyValueOf<E> = E extends Request<Fields, infer R> ? R : never;

/** What a request's handler answers; the kernel sends it back as a `reply` with the request's id. */
export interface Reply<R = undefined> {
  ok: boolean;
  /** A localized status for the page to announce. */
  message?: string;
  value?: R;
}
/** The one host → page message every view shares. `error` set: the handler failed (the page rejects). */
export interface ReplyMessage<R = unknown> extends Reply<R> {
  type: 'reply';
  requestId: number;
  error?: string;
}

/** Host → page messages, declared as a map from type to fields (the page trusts the host). */
export type EventsOf<M> = { [K in keyof M & string]: Simplify<{ type: K } & M[K]> }[keyof M & string];
export type EventOf<M, K extends keyof M & string> = Simplify<{ type: K } & M[K]>;
/** A handler for every event: a missing one is a compile error. */
export type EventHandlers<M> = { [K in keyof M & string]: (message: EventOf<M, K>) => void };

/** The table's validator: a tagged union of exact objects; requests get their `requestId`. */
export function validatorOf<T extends Table>(table: T): Validator<MessagesOf<T>> {
  const variants: Record<string, Validator<{ type: string }>> = {};
  for (const [type, entry] of Object.entries(table)) {
    const shape: Record<string, Validator<unknown>> = { type: literal(type), ...entry.fields };
    if (entry.kind === 'request') shape.requestId = requestIdField;
    variants[type] = object(shape) as Validator<{ type: string }>;
  }
  return tagged(variants) as unknown as Validator<MessagesOf<T>>;
}

/**
 * The id of a request that failed validation, when it names one the page could be waiting on
 * (a request type of the table and a well-formed id), so it can still get its one reply.
 */
export function refusedRequestId(table: Table, raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, requestId } = raw as { type?: unknown; requestId?: unknown };
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) return undefined;
  if (table[type].kind !== 'request') return undefined;
  return Number.isSafeInteger(requestId) && (requestId as number) >= 0 ? (requestId as number) : undefined;
}
