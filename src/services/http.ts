import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import fetch from 'node-fetch';
import type { FetchLike } from '../core/apiClient';

const pipesOf = (stream: Readable): Readable[] =>
  (stream as unknown as { _readableState?: { pipes?: Readable[] } })._readableState?.pipes ?? [];

/**
 * Fails the streams the response was piped into (node-fetch's body, through a decompressor when
 * the answer is encoded): the last one, which its reader listens to, gets the error; the ones in
 * between are closed quietly, since nobody listens for their errors.
 */
function failDownstream(stream: Readable, error: Error, seen = new Set<unknown>()): void {
  for (const next of pipesOf(stream)) {
    if (seen.has(next)) continue;
    seen.add(next);
    if (pipesOf(next).length > 0) {
      failDownstream(next, error, seen);
      next.destroy();
    } else next.destroy(error);
  }
}

/**
 * The global agent with one addition: node-fetch v2 never ends or fails a Content-Length body whose
 * connection closes early (reset or truncation), so the reader would hang until its timeout. Here a
 * response that closes incomplete fails its body with ECONNRESET at once.
 */
function watchingAgent<T extends http.Agent>(inner: T): T {
  const agent = Object.create(inner) as T & { addRequest(req: http.ClientRequest, options: unknown): void };
  const addRequest = (inner as unknown as { addRequest(req: http.ClientRequest, options: unknown): void })
    .addRequest;
  agent.addRequest = (req, options) => {
    req.once('response', (res: http.IncomingMessage) => {
      res.once('close', () => {
        if (!res.complete)
          failDownstream(res, Object.assign(new Error('Premature close'), { code: 'ECONNRESET' }));
      });
    });
    return addRequest.call(inner, req, options);
  };
  return agent;
}

const httpAgent = watchingAgent(http.globalAgent);
const httpsAgent = watchingAgent(https.globalAgent);

/**
 * node-fetch goes through Node's `http`/`https`, which VS Code patches for `http.proxy`, so
 * corporate proxies apply (global fetch/undici would bypass them).
 */
export const nodeFetch: FetchLike = (url, init) =>
  fetch(url, {
    method: init?.method,
    headers: init?.headers,
    body: init?.body,
    redirect: init?.redirect,
    follow: init?.follow,
    compress: init?.compress ?? true,
    agent: (parsed: URL) => (parsed.protocol === 'https:' ? httpsAgent : httpAgent),
    // node-fetch's own AbortSignal type predates Node's; they are compatible at run time.
    signal: init?.signal as never,
  });
