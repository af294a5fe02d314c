import { channel } from 'node:diagnostics_channel';
import { finished, type Readable } from 'node:stream';
import fetch from 'node-fetch';
import type { FetchLike } from '../core/apiClient';

// node-fetch v2 hands the body over with `res.pipe(passThrough)`, and pipe() does not pass on a
// connection that dies mid-body: the body then neither ends nor fails, so a reset or truncated
// answer looked like "no answer in N s" after the whole timeout. While a fetch is in flight, the
// responses Node announces are watched for one tick to learn what they are piped into; once the
// fetch resolves, a premature end of its own response fails its body.
const responseChannel = channel('http.client.response.finish');
const pipedFrom = new WeakMap<object, Readable>();
const watched = new WeakSet<object>();

function watchPipes(source: Readable): void {
  if (watched.has(source)) return;
  watched.add(source);
  const pipe = source.pipe;
  source.pipe = function <T extends NodeJS.WritableStream>(this: Readable, destination: T, options?: { end?: boolean }): T {
    pipedFrom.set(destination, source);
    if (typeof (destination as unknown as Readable).pipe === 'function') watchPipes(destination as unknown as Readable);
    return pipe.call(this, destination, options) as T;
  };
  // node-fetch pipes synchronously right after the announcement; other streams are left as they were.
  process.nextTick(() => delete (source as { pipe?: unknown }).pipe);
}

const onResponse = (message: unknown): void => watchPipes((message as { response: Readable }).response);

/**
 * node-fetch goes through Node's `http`/`https`, which VS Code patches for `http.proxy`, so
 * corporate proxies apply (global fetch/undici would bypass them).
 */
export const nodeFetch: FetchLike = async (url, init) => {
  responseChannel.subscribe(onResponse);
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
    responseChannel.unsubscribe(onResponse);
  }
  const body = response.body as unknown as Readable;
  let source: Readable | undefined = pipedFrom.get(body);
  while (source && pipedFrom.has(source)) source = pipedFrom.get(source);
  // node-fetch listens for errors on its body and rejects text()/reads with them.
  if (source) finished(source, { writable: false }, (error) => error && body.destroy(error));
  return response;
};
