import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type * as http from 'node:http';
import type { Readable } from 'node:stream';
import fetch from 'node-fetch';
import type { FetchLike } from '../core/apiClient';

const pipesOf = (stream: Readable): Readable[] =>
  (stream as unknown as { _readableState?: { pipes?: Readable[] } })._readableState?.pipes ?? [];

/** Whether `target` is `stream` or fed from it through pipes (node-fetch's PassThrough, a decompressor). */
function feeds(stream: Readable, target: Readable, depth = 0): boolean {
  return stream === target || (depth < 4 && pipesOf(stream).some((next) => feeds(next, target, depth + 1)));
}

// Node announces every response on this channel before the request's 'response' event.
const RESPONSE_CHANNEL = 'http.client.response.finish';

/**
 * node-fetch goes through Node's `http`/`https`, which VS Code patches for `http.proxy`, so
 * corporate proxies apply (global fetch/undici would bypass them).
 *
 * node-fetch v2 never ends nor fails a Content-Length body whose connection closes early (a reset or
 * a truncation), so its reader would wait for the whole timeout. The responses announced while this
 * fetch is in flight are noted (no agent of our own: VS Code's proxy support replaces it for every
 * host but localhost); the one piped into this fetch's body fails the body with ECONNRESET when it
 * closes incomplete. Other responses are only looked at, never touched.
 */
export const nodeFetch: FetchLike = async (url, init) => {
  const announced: http.IncomingMessage[] = [];
  const note = (message: unknown): void => {
    announced.push((message as { response: http.IncomingMessage }).response);
  };
  subscribe(RESPONSE_CHANNEL, note);
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(url, {
      method: init?.method,
      headers: init?.headers,
      body: init?.body,
      redirect: init?.redirect,
      follow: init?.follow,
      compress: init?.compress ?? true,
      // node-fetch's own AbortSignal type predates Node's; they are compatible at run time.
      signal: init?.signal as never,
    });
  } finally {
    unsubscribe(RESPONSE_CHANNEL, note);
  }
  const body = response.body as unknown as Readable;
  const source = announced.find((res) => feeds(res, body));
  if (source) {
    // node-fetch listens for errors on its body and rejects text() and reads with them.
    const cut = (): void => {
      if (!source.complete) body.destroy(Object.assign(new Error('Premature close'), { code: 'ECONNRESET' }));
    };
    if (source.destroyed) cut();
    else source.once('close', cut);
    // A reader that stops early (a body over its size limit, a cancel) closes the connection too,
    // so a server cannot keep streaming into buffers nobody reads.
    body.once('close', () => {
      if (!source.complete && !source.destroyed) source.destroy();
    });
  }
  return response;
};
