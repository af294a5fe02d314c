import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import nodeFetch from 'node-fetch';
import type { FetchInit, FetchLike, FetchResponseLike, LogFn } from '../../../src/core/apiClient';
import {
  decodeB64Image,
  downloadImage,
  ImageApiClient,
  linkSignals,
  networkCause,
} from '../../../src/core/apiClient';
import { backoffDelay } from '../../../src/core/retry';
import type { GenerationRequest, ImageGenError, Result } from '../../../src/core/types';

const KEY = 'sk-test-SECRET-0123456789abcdef';
const BASE = 'https://api.qhaigc.net/v1';
const REQ: GenerationRequest = {
  prompt: '一只可爱的小猫 🐱 (oil painting)',
  model: 'qh-draw-x2-preview',
  size: '720x1280',
  n: 1,
  extraParameters: { quality: 'hd' },
};
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const OK_BODY = JSON.stringify({ created: 1, data: [{ url: 'https://cdn.qhaigc.net/a.png' }] });

type Handler = (url: string, init: FetchInit) => Promise<FetchResponseLike> | FetchResponseLike;

interface Call {
  url: string;
  init: FetchInit;
}

/** A fetch that answers from a script, one handler per call, and records every call. */
function scriptedFetch(handlers: Handler[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const queue = [...handlers];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init: init ?? {} });
    const handler = queue.shift();
    if (!handler) throw new Error(`unexpected fetch #${calls.length} to ${url}`);
    return handler(url, init ?? {});
  };
  return { fetch, calls };
}

function response(
  status: number,
  body: string | Buffer = '',
  headers: Record<string, string> = {},
): FetchResponseLike {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    status,
    headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null },
    body: Readable.from([bytes]),
    text: async () => bytes.toString('utf8'),
  };
}

const reply =
  (status: number, body: string | Buffer = '', headers: Record<string, string> = {}): Handler =>
  () =>
    response(status, body, headers);

function networkError(code: string, message = `request to ${BASE} failed, reason: connect ${code}`): Handler {
  return () => {
    const error = Object.assign(new Error(message), {
      code,
      errno: code,
      type: 'system',
      name: 'FetchError',
    });
    throw error;
  };
}

/** Never answers, but rejects like node-fetch when its signal aborts. */
const hang: Handler = (_url, init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () =>
      reject(
        Object.assign(new Error('The user aborted a request.'), { name: 'AbortError', type: 'aborted' }),
      ),
    );
  });

/** Never answers and ignores the signal (a badly behaved fetch). */
const deaf: Handler = () => new Promise(() => undefined);

interface Harness {
  client: ImageApiClient;
  calls: Call[];
  delays: number[];
  logs: Array<[string, string]>;
}

function harness(
  handlers: Handler[],
  options: {
    maxRetries?: number;
    timeoutMs?: number;
    baseUrl?: string;
    random?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    userAgent?: string;
  } = {},
): Harness {
  const { fetch, calls } = scriptedFetch(handlers);
  const delays: number[] = [];
  const logs: Array<[string, string]> = [];
  const log: LogFn = (level, message) => logs.push([level, message]);
  const client = new ImageApiClient({
    fetch,
    baseUrl: options.baseUrl ?? BASE,
    apiKey: KEY,
    timeoutMs: options.timeoutMs ?? 5000,
    maxRetries: options.maxRetries ?? 2,
    random: options.random ?? (() => 0),
    sleep:
      options.sleep ??
      (async (ms) => {
        delays.push(ms);
      }),
    log,
    userAgent: options.userAgent,
  });
  return { client, calls, delays, logs };
}

function failure<T>(result: Result<T>): ImageGenError {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  return (result as { ok: false; error: ImageGenError }).error;
}

function assertNoKeyLogged(logs: Array<[string, string]>): void {
  for (const [, message] of logs)
    assert.ok(!message.includes(KEY) && !message.includes('SECRET'), `key leaked into log: ${message}`);
}

suite('core/apiClient', () => {
  suite('ImageApiClient.generate: request', () => {
    test('POSTs the JSON body to {baseUrl}/images/generations with the key, manual redirects', async () => {
      const h = harness([reply(200, OK_BODY, { 'content-type': 'application/json' })]);
      const result = await h.client.generate(REQ);
      assert.deepEqual(result, {
        ok: true,
        value: { created: 1, images: [{ url: 'https://cdn.qhaigc.net/a.png' }] },
      });
      assert.equal(h.calls.length, 1);
      const { url, init } = h.calls[0];
      assert.equal(url, 'https://api.qhaigc.net/v1/images/generations');
      assert.equal(init.method, 'POST');
      assert.equal(init.redirect, 'manual');
      assert.equal(init.headers?.Authorization, `Bearer ${KEY}`);
      assert.equal(init.headers?.Accept, 'application/json');
      assert.equal(init.headers?.['Content-Type'], 'application/json');
      assert.ok(init.signal, 'a signal is always passed (timeout)');
      assert.deepEqual(JSON.parse(String(init.body ?? '')), {
        quality: 'hd',
        prompt: '一只可爱的小猫 🐱 (oil painting)',
        model: 'qh-draw-x2-preview',
        size: '720x1280',
        n: 1,
      });
    });

    test('trailing slashes of baseUrl are trimmed', async () => {
      const h = harness([reply(200, OK_BODY)], { baseUrl: 'http://127.0.0.1:8787/v1///' });
      await h.client.generate(REQ);
      assert.equal(h.calls[0].url, 'http://127.0.0.1:8787/v1/images/generations');
    });

    test('User-Agent only when given', async () => {
      const withUa = harness([reply(200, OK_BODY)], { userAgent: 'image-gen/0.1.0' });
      await withUa.client.generate(REQ);
      assert.equal(withUa.calls[0].init.headers?.['User-Agent'], 'image-gen/0.1.0');
      const without = harness([reply(200, OK_BODY)]);
      await without.client.generate(REQ);
      assert.ok(!('User-Agent' in (without.calls[0].init.headers ?? {})));
    });

    test('b64_json responses', async () => {
      const h = harness([
        reply(200, JSON.stringify({ data: [{ b64_json: PNG.toString('base64'), revised_prompt: 'a cat' }] })),
      ]);
      const result = await h.client.generate(REQ);
      assert.deepEqual(result, {
        ok: true,
        value: { images: [{ b64Json: PNG.toString('base64'), revisedPrompt: 'a cat' }] },
      });
    });

    test('HTML with status 200 is badResponse, with the excerpt, not retried', async () => {
      const h = harness([
        reply(200, '<html><body>Login required</body></html>', { 'content-type': 'text/html' }),
      ]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.host, 'api.qhaigc.net');
      assert.equal(error.bodyExcerpt, '<html><body>Login required</body></html>');
      assert.equal(h.calls.length, 1);
    });
  });

  suite('ImageApiClient.generate: HTTP errors', () => {
    test('401 → auth, not retried', async () => {
      const h = harness([reply(401, '{"error":{"message":"Invalid API key"}}')]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.equal(error.providerMessage, 'Invalid API key');
      assert.equal(h.calls.length, 1);
      assert.deepEqual(h.delays, []);
    });

    test('400 → badRequest with the provider message, not retried', async () => {
      const h = harness([reply(400, '{"error":{"message":"不支持的尺寸 10x10"}}')]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'badRequest');
      assert.equal(error.providerMessage, '不支持的尺寸 10x10');
      assert.equal(h.calls.length, 1);
    });

    test('404 → notFound', async () => {
      const h = harness([reply(404, 'Not Found')]);
      assert.equal(failure(await h.client.generate(REQ)).kind, 'notFound');
      assert.equal(h.calls.length, 1);
    });
  });

  suite('ImageApiClient.generate: retries', () => {
    test('503 then 200: retried once after the backoff', async () => {
      const h = harness([reply(503, 'busy'), reply(200, OK_BODY)], { random: () => 0.5 });
      const result = await h.client.generate(REQ);
      assert.equal(result.ok, true);
      assert.equal(h.calls.length, 2);
      assert.deepEqual(h.delays, [backoffDelay(0, () => 0.5)]);
      assert.equal(h.calls[1].init.body, h.calls[0].init.body, 'same body');
      assert.equal(h.calls[1].init.headers?.Authorization, `Bearer ${KEY}`);
    });

    test('every retryable status is retried', async () => {
      for (const status of [408, 429, 500, 502, 503, 504]) {
        const h = harness([reply(status), reply(200, OK_BODY)]);
        assert.equal((await h.client.generate(REQ)).ok, true, String(status));
        assert.equal(h.calls.length, 2, String(status));
      }
    });

    test('429 until the end → rateLimit after maxRetries + 1 attempts with growing waits', async () => {
      const h = harness([reply(429), reply(429), reply(429)], { maxRetries: 2 });
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'rateLimit');
      assert.equal(error.status, 429);
      assert.equal(h.calls.length, 3);
      assert.deepEqual(h.delays, [250, 500]);
    });

    test('5xx until the end → unavailable', async () => {
      const h = harness([reply(502, '<html>Bad Gateway</html>'), reply(502), reply(502)]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.status, 502);
      assert.equal(h.calls.length, 3);
    });

    test('maxRetries 0: one attempt only', async () => {
      const h = harness([reply(503)], { maxRetries: 0 });
      assert.equal(failure(await h.client.generate(REQ)).kind, 'unavailable');
      assert.equal(h.calls.length, 1);
      assert.deepEqual(h.delays, []);
    });

    test('Retry-After in seconds is honoured', async () => {
      const h = harness([reply(429, '', { 'Retry-After': '7' }), reply(200, OK_BODY)]);
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.deepEqual(h.delays, [7000]);
    });

    test('Retry-After as an HTTP-date is honoured', async () => {
      const date = new Date(Date.now() + 30_000).toUTCString();
      const h = harness([reply(503, '', { 'retry-after': date }), reply(200, OK_BODY)]);
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.equal(h.delays.length, 1);
      assert.ok(h.delays[0] > 25_000 && h.delays[0] <= 30_000, String(h.delays[0]));
    });

    test('Retry-After beyond 120 s: no retry, the error at once', async () => {
      const h = harness([
        reply(429, '{"error":{"message":"quota exceeded"}}', { 'Retry-After': '3600' }),
        reply(200, OK_BODY),
      ]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'rateLimit');
      assert.equal(error.providerMessage, 'quota exceeded');
      assert.equal(h.calls.length, 1);
      assert.deepEqual(h.delays, []);
    });

    test('connection refused until the end → unavailable with the cause', async () => {
      const h = harness([
        networkError('ECONNREFUSED'),
        networkError('ECONNREFUSED'),
        networkError('ECONNREFUSED'),
      ]);
      const error = failure(await h.client.generate(REQ));
      assert.deepEqual(error, { kind: 'unavailable', host: 'api.qhaigc.net', cause: 'ECONNREFUSED' });
      assert.equal(h.calls.length, 3);
      assert.deepEqual(h.delays, [250, 500]);
    });

    test('reset, DNS and socket hang up before any response are retried', async () => {
      const h = harness([networkError('ECONNRESET'), networkError('ENOTFOUND'), reply(200, OK_BODY)], {
        maxRetries: 3,
      });
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.equal(h.calls.length, 3);
      const hangUp = harness([() => Promise.reject(new Error('socket hang up')), reply(200, OK_BODY)]);
      assert.equal((await hangUp.client.generate(REQ)).ok, true);
      assert.equal(hangUp.calls.length, 2);
      const eai = harness([networkError('EAI_AGAIN'), networkError('EPIPE'), reply(200, OK_BODY)]);
      assert.equal((await eai.client.generate(REQ)).ok, true);
    });

    test('an unknown network failure (e.g. a bad certificate) is not retried', async () => {
      const h = harness([networkError('CERT_HAS_EXPIRED', 'certificate has expired'), reply(200, OK_BODY)]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.cause, 'CERT_HAS_EXPIRED');
      assert.equal(h.calls.length, 1);
    });

    test('a failing body after a 200 began is unavailable and never retried', async () => {
      const broken: Handler = () => ({
        ...response(200),
        body: new Readable({
          read() {
            this.destroy(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
          },
        }),
      });
      const h = harness([broken, reply(200, OK_BODY)]);
      const error = failure(await h.client.generate(REQ));
      assert.deepEqual(error, {
        kind: 'unavailable',
        host: 'api.qhaigc.net',
        status: 200,
        cause: 'ERR_STREAM_PREMATURE_CLOSE',
      });
      assert.equal(h.calls.length, 1);
    });

    test('the default sleep is used when none is injected', async () => {
      const { fetch, calls } = scriptedFetch([reply(503), reply(200, OK_BODY)]);
      const client = new ImageApiClient({
        fetch,
        baseUrl: BASE,
        apiKey: KEY,
        timeoutMs: 5000,
        maxRetries: 1,
        random: () => 0,
      });
      const started = Date.now();
      assert.equal((await client.generate(REQ)).ok, true);
      assert.ok(Date.now() - started >= 200, 'waited the 250 ms backoff');
      assert.equal(calls.length, 2);
    });
  });

  suite('ImageApiClient.generate: redirects', () => {
    test('a same-origin redirect is followed with the same method, body and key', async () => {
      const h = harness([reply(307, '', { Location: '/v2/images/generations' }), reply(200, OK_BODY)]);
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.equal(h.calls.length, 2);
      assert.equal(h.calls[1].url, 'https://api.qhaigc.net/v2/images/generations');
      assert.equal(h.calls[1].init.method, 'POST');
      assert.equal(h.calls[1].init.body, h.calls[0].init.body);
      assert.equal(h.calls[1].init.headers?.Authorization, `Bearer ${KEY}`);
      assert.equal(h.calls[1].init.redirect, 'manual');
    });

    test('an absolute same-origin Location (default port spelled out) is followed', async () => {
      const h = harness([
        reply(308, '', { location: 'https://API.qhaigc.net:443/v1/images/generations/' }),
        reply(200, OK_BODY),
      ]);
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.equal(h.calls.length, 2);
    });

    for (const [label, location] of [
      ['another host', 'https://evil.example.com/collect'],
      ['another port', 'https://api.qhaigc.net:8443/v1/images/generations'],
      ['a downgrade to http', 'http://api.qhaigc.net/v1/images/generations'],
      ['a subdomain', 'https://cdn.api.qhaigc.net/v1/images/generations'],
    ]) {
      test(`a redirect to ${label} is refused and the key never sent there`, async () => {
        const h = harness([reply(302, '', { Location: location }), reply(200, OK_BODY)]);
        const error = failure(await h.client.generate(REQ));
        assert.equal(error.kind, 'badResponse');
        assert.equal(error.cause, 'crossOriginRedirect');
        assert.equal(error.status, 302);
        assert.equal(h.calls.length, 1, 'nothing is sent to the other origin');
        assert.deepEqual(h.delays, []);
      });
    }

    test('at most 5 hops', async () => {
      const loop = Array.from({ length: 10 }, (_, i) => reply(301, '', { Location: `/v1/hop${i}` }));
      const h = harness(loop);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.cause, 'tooManyRedirects');
      assert.equal(h.calls.length, 6);
    });

    test('five hops are fine', async () => {
      const hops = Array.from({ length: 5 }, (_, i) => reply(302, '', { Location: `/v1/hop${i}` }));
      const h = harness([...hops, reply(200, OK_BODY)]);
      assert.equal((await h.client.generate(REQ)).ok, true);
      assert.equal(h.calls.length, 6);
    });

    test('a redirect without Location is badResponse', async () => {
      const h = harness([reply(302)]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.cause, 'badRedirect');
    });
  });

  suite('ImageApiClient.generate: timeout', () => {
    test('no headers in time → timeout with the seconds, never retried', async () => {
      const h = harness([hang, reply(200, OK_BODY)], { timeoutMs: 40, maxRetries: 2 });
      const error = failure(await h.client.generate(REQ));
      assert.deepEqual(error, { kind: 'timeout', host: 'api.qhaigc.net', timeoutSeconds: 0.04 });
      assert.equal(h.calls.length, 1);
    });

    test('a fetch that ignores its signal still times out', async () => {
      const h = harness([deaf], { timeoutMs: 40 });
      assert.equal(failure(await h.client.generate(REQ)).kind, 'timeout');
    });

    test('the timeout covers the body too', async () => {
      const slowBody: Handler = () => ({
        ...response(200),
        body: new Readable({ read() {} }),
        text: () => new Promise<string>(() => undefined),
      });
      const h = harness([slowBody, reply(200, OK_BODY)], { timeoutMs: 40 });
      assert.equal(failure(await h.client.generate(REQ)).kind, 'timeout');
      assert.equal(h.calls.length, 1);
    });

    test('the timeout is per attempt: slow but successful attempts are not cut', async () => {
      const slowOk: Handler = () =>
        new Promise((resolve) => setTimeout(() => resolve(response(200, OK_BODY)), 30));
      const slow503: Handler = () => new Promise((resolve) => setTimeout(() => resolve(response(503)), 30));
      const h = harness([slow503, slowOk], { timeoutMs: 50 });
      assert.equal((await h.client.generate(REQ)).ok, true);
    });
  });

  suite('ImageApiClient.generate: cancellation', () => {
    test('an already aborted signal: cancelled, nothing sent', async () => {
      const controller = new AbortController();
      controller.abort();
      const h = harness([reply(200, OK_BODY)]);
      assert.deepEqual(failure(await h.client.generate(REQ, controller.signal)), {
        kind: 'cancelled',
        host: 'api.qhaigc.net',
      });
      assert.equal(h.calls.length, 0);
    });

    test('abort while waiting for the answer', async () => {
      const controller = new AbortController();
      const h = harness([hang]);
      setTimeout(() => controller.abort(), 10);
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
      assert.equal(h.calls.length, 1);
    });

    test('abort while a deaf fetch hangs', async () => {
      const controller = new AbortController();
      const h = harness([deaf]);
      setTimeout(() => controller.abort(), 10);
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
    });

    test('abort while reading the body', async () => {
      const controller = new AbortController();
      const slowBody: Handler = () => ({
        ...response(200),
        body: new Readable({ read() {} }),
        text: () => new Promise<string>(() => undefined),
      });
      const h = harness([slowBody]);
      setTimeout(() => controller.abort(), 10);
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
    });

    test('abort during a retry wait (injected sleep): cancelled, no further attempt', async () => {
      const controller = new AbortController();
      const h = harness([reply(503), reply(200, OK_BODY)], {
        sleep: async () => {
          controller.abort();
        },
      });
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
      assert.equal(h.calls.length, 1);
    });

    test('abort during a retry wait (real sleep) ends the wait at once', async () => {
      const controller = new AbortController();
      const { fetch, calls } = scriptedFetch([reply(429, '', { 'Retry-After': '60' }), reply(200, OK_BODY)]);
      const client = new ImageApiClient({
        fetch,
        baseUrl: BASE,
        apiKey: KEY,
        timeoutMs: 5000,
        maxRetries: 2,
      });
      setTimeout(() => controller.abort(), 20);
      assert.equal(failure(await client.generate(REQ, controller.signal)).kind, 'cancelled');
      assert.equal(calls.length, 1);
    });

    test('a failure racing the abort is still reported as cancelled', async () => {
      const controller = new AbortController();
      const failing: Handler = () => {
        controller.abort();
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      };
      const h = harness([failing, reply(200, OK_BODY)]);
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
      assert.equal(h.calls.length, 1);
      const h2 = harness([
        () => {
          controller.abort();
          return response(500);
        },
      ]);
      assert.equal(failure(await h2.client.generate(REQ, controller.signal)).kind, 'cancelled');
    });

    test('a caller abort is never mistaken for a timeout', async () => {
      const controller = new AbortController();
      const h = harness([hang], { timeoutMs: 30 });
      setTimeout(() => controller.abort(), 5);
      assert.equal(failure(await h.client.generate(REQ, controller.signal)).kind, 'cancelled');
    });
  });

  suite('ImageApiClient: resources', () => {
    test('a long-lived caller signal keeps no listeners and no timers stay behind', async () => {
      const session = new AbortController();
      const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      // Mocha arms its own test timer after the first await: count from there.
      await new Promise((resolve) => setImmediate(resolve));
      const before = timeouts();
      const handlers: Handler[] = [];
      for (let i = 0; i < 50; i++)
        handlers.push(reply(200, OK_BODY), reply(503), networkError('ECONNRESET'), reply(401));
      const h = harness(handlers, { maxRetries: 0 });
      for (let i = 0; i < 200; i++) await h.client.generate(REQ, session.signal);
      for (let i = 0; i < 20; i++) {
        const { fetch } = scriptedFetch([reply(200, PNG)]);
        await downloadImage(fetch, 'https://x.com/a.png', {
          signal: session.signal,
          timeoutMs: 5000,
          maxBytes: 1024,
        });
      }
      assert.equal(getEventListeners(session.signal, 'abort').length, 0);
      assert.equal(timeouts(), before);
    });
  });

  suite('ImageApiClient: logging', () => {
    test('each attempt is logged with method, URL, status and ms; the key never', async () => {
      const h = harness([reply(503), reply(200, OK_BODY)]);
      await h.client.generate(REQ);
      const lines = h.logs.map(([, m]) => m);
      const attempts = lines.filter((m) => m.startsWith('POST https://api.qhaigc.net/v1/images/generations'));
      assert.equal(attempts.length, 2, lines.join('\n'));
      assert.match(attempts[0], /→ 503 in \d+ ms \(attempt 1\/3\)/);
      assert.match(attempts[1], /→ 200 in \d+ ms \(attempt 2\/3\)/);
      assert.ok(lines.some((m) => /retrying in 250 ms/.test(m)));
      assertNoKeyLogged(h.logs);
    });

    test('a body echoing the key is redacted in the log', async () => {
      const h = harness([reply(200, `<html>your key ${KEY} is wrong; Authorization: Bearer ${KEY}</html>`)]);
      const error = failure(await h.client.generate(REQ));
      assert.equal(error.kind, 'badResponse');
      assert.ok(h.logs.some(([level]) => level === 'warn'));
      assertNoKeyLogged(h.logs);
    });

    test('failures are logged with their cause', async () => {
      const h = harness([networkError('ECONNREFUSED')], { maxRetries: 0 });
      await h.client.generate(REQ);
      assert.ok(h.logs.some(([level, m]) => level === 'warn' && m.includes('ECONNREFUSED')));
    });

    test('a refused cross-origin redirect is logged with the origin only', async () => {
      const h = harness([reply(302, '', { Location: 'https://evil.example.com/steal?token=abc' })]);
      await h.client.generate(REQ);
      const line = h.logs.find(([, m]) => m.includes('another origin'));
      assert.ok(line);
      assert.ok(line[1].includes('https://evil.example.com'));
      assert.ok(!line[1].includes('token=abc'));
    });
  });

  suite('ImageApiClient.listModels', () => {
    test('GETs {baseUrl}/models with the key and parses the ids', async () => {
      const h = harness([reply(200, JSON.stringify({ data: [{ id: 'flux-pro' }, { id: 'gpt-4o' }] }))], {
        baseUrl: 'https://api.qhaigc.net/v1/',
      });
      assert.deepEqual(await h.client.listModels(), { ok: true, value: ['flux-pro', 'gpt-4o'] });
      assert.equal(h.calls[0].url, 'https://api.qhaigc.net/v1/models');
      assert.equal(h.calls[0].init.method, 'GET');
      assert.equal(h.calls[0].init.redirect, 'manual');
      assert.equal(h.calls[0].init.headers?.Authorization, `Bearer ${KEY}`);
      assert.equal(h.calls[0].init.body, undefined);
    });

    test('HTTP errors are classified', async () => {
      const h = harness([reply(401, '{"error":"bad key"}')]);
      const error = failure(await h.client.listModels());
      assert.equal(error.kind, 'auth');
      assert.equal(error.providerMessage, 'bad key');
    });

    test('a body that is not a model list is badResponse', async () => {
      const h = harness([reply(200, '<html></html>')]);
      const error = failure(await h.client.listModels());
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.cause, 'notModelList');
    });

    test('one attempt only, network failures are unavailable', async () => {
      const h = harness([networkError('ECONNREFUSED'), reply(200, '{"data":[]}')]);
      assert.deepEqual(failure(await h.client.listModels()), {
        kind: 'unavailable',
        host: 'api.qhaigc.net',
        cause: 'ECONNREFUSED',
      });
      assert.equal(h.calls.length, 1);
      const busy = harness([reply(503), reply(200, '{"data":[]}')]);
      assert.equal(failure(await busy.client.listModels()).kind, 'unavailable');
      assert.equal(busy.calls.length, 1);
    });

    test('same redirect rules', async () => {
      const same = harness([
        reply(301, '', { Location: '/v1/models/' }),
        reply(200, '{"data":[{"id":"a"}]}'),
      ]);
      assert.deepEqual(await same.client.listModels(), { ok: true, value: ['a'] });
      const cross = harness([reply(301, '', { Location: 'https://other.example/v1/models' })]);
      assert.equal(failure(await cross.client.listModels()).cause, 'crossOriginRedirect');
      assert.equal(cross.calls.length, 1);
    });

    test('timeout and cancel', async () => {
      const slow = harness([hang], { timeoutMs: 30 });
      assert.equal(failure(await slow.client.listModels()).kind, 'timeout');
      const controller = new AbortController();
      const h = harness([hang]);
      setTimeout(() => controller.abort(), 5);
      assert.equal(failure(await h.client.listModels(controller.signal)).kind, 'cancelled');
    });
  });

  suite('downloadImage', () => {
    const options = { timeoutMs: 2000, maxBytes: 1024 };
    const URL_ = 'https://cdn.qhaigc.net/images/一只猫 (1).png?sig=abc';

    test('fetches without credentials, follows redirects, returns plain bytes and the sniffed type', async () => {
      const { fetch, calls } = scriptedFetch([
        reply(200, PNG, { 'content-type': 'application/octet-stream', 'content-length': String(PNG.length) }),
      ]);
      const result = await downloadImage(fetch, URL_, options);
      assert.ok(result.ok);
      assert.deepEqual(result.value.type, { ext: 'png', mime: 'image/png' });
      assert.deepEqual([...result.value.bytes], [...PNG]);
      assert.equal(Object.getPrototypeOf(result.value.bytes), Uint8Array.prototype);
      const { init } = calls[0];
      assert.equal(init.method, 'GET');
      assert.equal(init.redirect, 'follow');
      assert.equal(init.follow, 5);
      const headerNames = Object.keys(init.headers ?? {}).map((k) => k.toLowerCase());
      assert.ok(!headerNames.includes('authorization'));
      assert.ok(!JSON.stringify(init).includes(KEY));
    });

    test('bytes arriving in many small chunks', async () => {
      const chunks = [...PNG].map((b) => Buffer.from([b]));
      const { fetch } = scriptedFetch([() => ({ ...response(200), body: Readable.from(chunks) })]);
      const result = await downloadImage(fetch, 'https://x.com/a', options);
      assert.ok(result.ok);
      assert.equal(result.value.bytes.length, PNG.length);
    });

    test('JPEG, WebP and a tiny GIF', async () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
      const gif = Buffer.from('GIF89a\x01\x00');
      for (const [bytes, ext] of [
        [jpeg, 'jpg'],
        [webp, 'webp'],
        [gif, 'gif'],
      ] as const) {
        const { fetch } = scriptedFetch([reply(200, bytes)]);
        const result = await downloadImage(fetch, 'https://x.com/a', options);
        assert.ok(result.ok, ext);
        assert.equal(result.value.type.ext, ext);
      }
    });

    test('non-2xx → httpStatus with the status', async () => {
      const { fetch } = scriptedFetch([reply(404, 'gone')]);
      assert.deepEqual(failure(await downloadImage(fetch, URL_, options)), {
        kind: 'download',
        host: 'cdn.qhaigc.net',
        downloadProblem: 'httpStatus',
        status: 404,
      });
      const { fetch: f2 } = scriptedFetch([reply(403, '<Error>AccessDenied</Error>')]);
      assert.equal(failure(await downloadImage(f2, URL_, options)).status, 403);
    });

    test('a Content-Length over the limit is refused before reading', async () => {
      const body = new PassThrough();
      let read = false;
      body.on('data', () => {
        read = true;
      });
      body.pause();
      const { fetch } = scriptedFetch([
        () => ({ ...response(200, '', { 'Content-Length': '52428801' }), body }),
      ]);
      const error = failure(await downloadImage(fetch, URL_, { ...options, maxBytes: 50 * 1024 * 1024 }));
      assert.equal(error.kind, 'download');
      assert.equal(error.downloadProblem, 'tooLarge');
      assert.equal(read, false);
      assert.equal(body.destroyed, true);
    });

    test('a stream growing past the limit is cut as soon as it is too large', async () => {
      let produced = 0;
      const endless = Readable.from(
        (function* () {
          yield PNG;
          for (;;) {
            produced++;
            yield Buffer.alloc(256);
          }
        })(),
      );
      const { fetch } = scriptedFetch([() => ({ ...response(200), body: endless })]);
      const error = failure(await downloadImage(fetch, URL_, { ...options, maxBytes: 4096 }));
      assert.equal(error.downloadProblem, 'tooLarge');
      assert.ok(produced < 40, `read ${produced} chunks`);
      assert.equal(endless.destroyed, true);
    });

    test('exactly maxBytes is fine', async () => {
      const exact = Buffer.concat([PNG, Buffer.alloc(1024 - PNG.length)]);
      const { fetch } = scriptedFetch([reply(200, exact)]);
      const result = await downloadImage(fetch, URL_, { ...options, maxBytes: 1024 });
      assert.ok(result.ok);
      const { fetch: f2 } = scriptedFetch([reply(200, Buffer.concat([exact, Buffer.from([0])]))]);
      assert.equal(
        failure(await downloadImage(f2, URL_, { ...options, maxBytes: 1024 })).downloadProblem,
        'tooLarge',
      );
    });

    test('not an image → notImage, decided without reading everything', async () => {
      const { fetch } = scriptedFetch([
        reply(200, '<!DOCTYPE html><html><body>expired</body></html>', { 'content-type': 'image/png' }),
      ]);
      assert.deepEqual(failure(await downloadImage(fetch, URL_, options)), {
        kind: 'download',
        host: 'cdn.qhaigc.net',
        downloadProblem: 'notImage',
        status: 200,
      });
      let produced = 0;
      const endlessHtml = Readable.from(
        (function* () {
          for (;;) {
            produced++;
            yield Buffer.from('<html>............');
          }
        })(),
      );
      const { fetch: f2 } = scriptedFetch([() => ({ ...response(200), body: endlessHtml })]);
      assert.equal(
        failure(await downloadImage(f2, URL_, { ...options, maxBytes: 10 * 1024 * 1024 })).downloadProblem,
        'notImage',
      );
      assert.ok(produced < 10, `read ${produced} chunks`);
      const { fetch: f3 } = scriptedFetch([reply(200, '')]);
      assert.equal(failure(await downloadImage(f3, URL_, options)).downloadProblem, 'notImage');
      const { fetch: f4 } = scriptedFetch([() => ({ ...response(200), body: null })]);
      assert.equal(failure(await downloadImage(f4, URL_, options)).downloadProblem, 'notImage');
    });

    test('network failure → network with the cause', async () => {
      const { fetch } = scriptedFetch([networkError('ECONNRESET')]);
      assert.deepEqual(failure(await downloadImage(fetch, URL_, options)), {
        kind: 'download',
        host: 'cdn.qhaigc.net',
        downloadProblem: 'network',
        cause: 'ECONNRESET',
      });
    });

    test('a stream error half way → network', async () => {
      const body = new PassThrough();
      const { fetch } = scriptedFetch([() => ({ ...response(200), body })]);
      const pending = downloadImage(fetch, URL_, options);
      body.write(PNG);
      setTimeout(() => body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 5);
      const error = failure(await pending);
      assert.equal(error.downloadProblem, 'network');
      assert.equal(error.cause, 'ECONNRESET');
    });

    test('a redirect loop → redirect', async () => {
      const maxRedirect: Handler = () => {
        throw Object.assign(new Error('maximum redirect reached at: https://x.com/loop'), {
          type: 'max-redirect',
          name: 'FetchError',
        });
      };
      const { fetch } = scriptedFetch([maxRedirect]);
      assert.equal(failure(await downloadImage(fetch, URL_, options)).downloadProblem, 'redirect');
      const { fetch: f2 } = scriptedFetch([reply(302)]);
      assert.equal(failure(await downloadImage(f2, URL_, options)).downloadProblem, 'redirect');
    });

    test('timeout before headers and while streaming', async () => {
      const { fetch } = scriptedFetch([hang]);
      const error = failure(await downloadImage(fetch, URL_, { ...options, timeoutMs: 30 }));
      assert.equal(error.kind, 'download');
      assert.equal(error.downloadProblem, 'timeout');
      const stalled = new PassThrough();
      stalled.write(PNG);
      const { fetch: f2 } = scriptedFetch([() => ({ ...response(200), body: stalled })]);
      assert.equal(
        failure(await downloadImage(f2, URL_, { ...options, timeoutMs: 30 })).downloadProblem,
        'timeout',
      );
      assert.equal(stalled.destroyed, true);
    });

    test('abort → cancelled, before and while streaming', async () => {
      const aborted = new AbortController();
      aborted.abort();
      const { fetch, calls } = scriptedFetch([reply(200, PNG)]);
      assert.deepEqual(failure(await downloadImage(fetch, URL_, { ...options, signal: aborted.signal })), {
        kind: 'cancelled',
        host: 'cdn.qhaigc.net',
      });
      assert.equal(calls.length, 0);
      const controller = new AbortController();
      const stalled = new PassThrough();
      stalled.write(PNG);
      const { fetch: f2 } = scriptedFetch([() => ({ ...response(200), body: stalled })]);
      setTimeout(() => controller.abort(), 10);
      assert.equal(
        failure(await downloadImage(f2, URL_, { ...options, signal: controller.signal })).kind,
        'cancelled',
      );
      const controller3 = new AbortController();
      const { fetch: f3 } = scriptedFetch([hang]);
      setTimeout(() => controller3.abort(), 10);
      assert.equal(
        failure(await downloadImage(f3, URL_, { ...options, signal: controller3.signal })).kind,
        'cancelled',
      );
    });

    test('non-http URLs are refused without fetching', async () => {
      const { fetch, calls } = scriptedFetch([]);
      assert.equal(
        failure(await downloadImage(fetch, 'file:///etc/passwd', options)).cause,
        'unsupportedScheme',
      );
      assert.equal(failure(await downloadImage(fetch, 'not a url', options)).cause, 'invalidUrl');
      assert.equal(calls.length, 0);
    });

    test('a data: URL is decoded, not fetched', async () => {
      const { fetch, calls } = scriptedFetch([]);
      const result = await downloadImage(fetch, `data:image/png;base64,${PNG.toString('base64')}`, options);
      assert.ok(result.ok);
      assert.equal(result.value.type.ext, 'png');
      assert.equal(calls.length, 0);
    });

    test('the download is logged', async () => {
      const logs: string[] = [];
      const { fetch } = scriptedFetch([reply(200, PNG)]);
      await downloadImage(fetch, 'https://cdn.x.com/a.png', { ...options, log: (_l, m) => logs.push(m) });
      assert.ok(
        logs.some((m) => /^GET https:\/\/cdn\.x\.com\/a\.png → 200 in \d+ ms/.test(m)),
        logs.join('\n'),
      );
    });
  });

  suite('decodeB64Image', () => {
    test('valid PNG, also with a data: prefix and line breaks', () => {
      const b64 = PNG.toString('base64');
      for (const input of [b64, `data:image/png;base64,${b64}`, `${b64.slice(0, 4)}\n${b64.slice(4)}`]) {
        const result = decodeB64Image(input, 'api.x', 1024);
        assert.ok(result.ok, input);
        assert.deepEqual([...result.value.bytes], [...PNG]);
        assert.equal(result.value.type.mime, 'image/png');
      }
    });
    test('invalid base64 → badResponse', () => {
      const error = failure(decodeB64Image('###', 'api.x', 1024));
      assert.equal(error.kind, 'badResponse');
      assert.equal(error.host, 'api.x');
    });
    test('too large → download/tooLarge, decided before decoding', () => {
      const big = Buffer.concat([PNG, Buffer.alloc(2000)]).toString('base64');
      assert.deepEqual(failure(decodeB64Image(big, 'api.x', 1024)), {
        kind: 'download',
        host: 'api.x',
        downloadProblem: 'tooLarge',
      });
      assert.ok(decodeB64Image(big, 'api.x', 4096).ok);
    });
    test('not an image → download/notImage', () => {
      assert.deepEqual(
        failure(decodeB64Image(Buffer.from('hello world!!').toString('base64'), 'api.x', 1024)),
        { kind: 'download', host: 'api.x', downloadProblem: 'notImage' },
      );
    });
  });

  suite('helpers', () => {
    test('networkCause', () => {
      assert.equal(networkCause(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
      assert.equal(networkCause(Object.assign(new Error('x'), { errno: 'EAI_AGAIN' })), 'EAI_AGAIN');
      assert.equal(
        networkCause(new Error('request to https://x failed, reason: getaddrinfo ENOTFOUND x')),
        'ENOTFOUND',
      );
      assert.equal(
        networkCause(new Error('request to https://x failed, reason: socket hang up')),
        'socket hang up',
      );
      assert.equal(
        networkCause(Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } })),
        'UND_ERR_SOCKET',
      );
      assert.equal(networkCause(new Error('weird')), 'weird');
      assert.equal(networkCause('plain string'), 'plain string');
    });

    for (const native of [false, true]) {
      test(`linkSignals (${native ? 'AbortSignal.any' : 'manual, the default'})`, () => {
        const a = new AbortController();
        const b = new AbortController();
        const linked = linkSignals([a.signal, undefined, b.signal], native);
        assert.equal(linked.signal.aborted, false);
        b.abort();
        assert.equal(linked.signal.aborted, true);
        linked.dispose();
        const pre = new AbortController();
        pre.abort();
        assert.equal(linkSignals([pre.signal], native).signal.aborted, true);
        const c = new AbortController();
        const disposed = linkSignals([c.signal], native);
        if (!native) {
          disposed.dispose();
          c.abort();
          assert.equal(disposed.signal.aborted, false, 'listeners removed by dispose');
        }
      });
    }
  });

  suite('with node-fetch v2 over real HTTP (loopback)', () => {
    let server: http.Server;
    let origin = '';
    let other = '';
    let otherServer: http.Server;
    const seen: Array<{ url: string; method: string; auth: string | undefined; body: string }> = [];

    suiteSetup(async () => {
      const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({
            url: `${req.headers.host}${req.url}`,
            method: req.method ?? '',
            auth: req.headers.authorization,
            body,
          });
          if (req.url === '/v1/images/generations') {
            res.writeHead(307, { Location: '/v1/real/images/generations' });
            res.end();
          } else if (req.url === '/v1/real/images/generations') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ data: [{ url: `${origin}/img.png` }] }));
          } else if (req.url === '/v1/away/images/generations') {
            res.writeHead(302, { Location: `${other}/steal` });
            res.end();
          } else if (req.url === '/img.png') {
            res.writeHead(302, { Location: '/img2.png' });
            res.end();
          } else if (req.url === '/img2.png') {
            res.writeHead(200, { 'Content-Type': 'image/png' });
            res.end(PNG);
          } else if (req.url === '/loop.png') {
            res.writeHead(302, { Location: '/loop.png' });
            res.end();
          } else if (req.url === '/slow/images/generations') {
            setTimeout(() => {
              res.writeHead(200);
              res.end(JSON.stringify({ data: [{ url: `${origin}/img.png` }] }));
            }, 500);
          } else {
            res.writeHead(404);
            res.end();
          }
        });
      };
      server = http.createServer(handler);
      otherServer = http.createServer(handler);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      await new Promise<void>((r) => otherServer.listen(0, '127.0.0.1', r));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      other = `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`;
    });

    suiteTeardown(async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => otherServer.close(() => r()));
    });

    const realFetch = nodeFetch as unknown as FetchLike;

    test('same-origin redirect followed by the client, then the image downloaded through a redirect', async () => {
      seen.length = 0;
      const client = new ImageApiClient({
        fetch: realFetch,
        baseUrl: `${origin}/v1`,
        apiKey: KEY,
        timeoutMs: 5000,
        maxRetries: 0,
      });
      const result = await client.generate(REQ);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(
        seen.map((s) => [s.method, s.auth]),
        [
          ['POST', `Bearer ${KEY}`],
          ['POST', `Bearer ${KEY}`],
        ],
      );
      assert.equal(seen[1].body, seen[0].body);
      const url = result.value.images[0].url ?? '';
      const image = await downloadImage(realFetch, url, { timeoutMs: 5000, maxBytes: 1024 });
      assert.ok(image.ok, JSON.stringify(image));
      assert.equal(image.value.type.ext, 'png');
      assert.equal(seen.at(-1)?.auth, undefined, 'no key on downloads');
    });

    test('a redirect to another port is not followed: the key stays home', async () => {
      seen.length = 0;
      const client = new ImageApiClient({
        fetch: realFetch,
        baseUrl: `${origin}/v1/away`,
        apiKey: KEY,
        timeoutMs: 5000,
        maxRetries: 0,
      });
      assert.equal(failure(await client.generate(REQ)).cause, 'crossOriginRedirect');
      assert.equal(seen.length, 1);
    });

    test('a download redirect loop is reported as redirect', async () => {
      const error = failure(
        await downloadImage(realFetch, `${origin}/loop.png`, { timeoutMs: 5000, maxBytes: 1024 }),
      );
      assert.equal(error.downloadProblem, 'redirect');
    });

    test('the timeout aborts a real request (node-fetch accepts the linked signal)', async () => {
      const client = new ImageApiClient({
        fetch: realFetch,
        baseUrl: `${origin}/slow`,
        apiKey: KEY,
        timeoutMs: 50,
        maxRetries: 2,
      });
      assert.equal(failure(await client.generate(REQ)).kind, 'timeout');
    });

    test('connection refused is retried and reported as unavailable', async () => {
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const delays: number[] = [];
      const client = new ImageApiClient({
        fetch: realFetch,
        baseUrl: `http://127.0.0.1:${port}/v1`,
        apiKey: KEY,
        timeoutMs: 5000,
        maxRetries: 1,
        sleep: async (ms) => {
          delays.push(ms);
        },
      });
      const error = failure(await client.generate(REQ));
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.cause, 'ECONNREFUSED');
      assert.equal(delays.length, 1);
    });
  });
});
