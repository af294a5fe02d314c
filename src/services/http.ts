import fetch from 'node-fetch';
import type { FetchLike } from '../core/apiClient';

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
    // node-fetch's own AbortSignal type predates Node's; they are compatible at run time.
    signal: init?.signal as never,
  });
