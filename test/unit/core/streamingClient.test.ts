// The client's streamed generations and task polling, through the same exchange (limits, abort,
// timeout) as every other request: scripted fetches with real Node streams as bodies.
import * as assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import type { FetchInit, FetchLike, FetchResponseLike } from '../../../src/core/apiClient';
import { ImageApiClient, MAX_ANSWER_BYTES } from '../../../src/core/apiClient';
import { readImageStream } from '../../../src/core/eventStreamReader';
import type { PartialImage } from '../../../src/core/imageStream';
import type { GenerationRequest } from '../../../src/core/types';

const KEY = 'sk-test-SECRET-0123456789abcdef';
const BASE = 'https://api.example.test/v1';
const STREAMED: GenerationRequest = {
  prompt: '灯塔 at dusk 🌅',
  model: 'gpt-image-1',
  size: '1024x1024',
  n: 1,
  extraParameters: { stream: true, partial_images: 2 },
};
const B64 = Buffer.from('\x89PNG\r\n\x1a\n fake image bytes').toString('base64');

type Handler = (url: string, init: FetchInit) => FetchResponseLike;

function scripted(handlers: Handler[]): { fetch: FetchLike; calls: { url: string; init: FetchInit }[] } {
  const calls: { url: string; init: FetchInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init: init ?? {} });
    const handler = handlers.shift();
    if (!handler) throw new Error(`unexpected fetch #${calls.length} to ${url}`);
    return handler(url, init ?? {});
  };
  return { fetch, calls };
}

function answer(
  status: number,
  body: NodeJS.ReadableStream,
  headers: Record<string, string>,
): FetchResponseLike {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null },
    body,
    text: () => Promise.reject(new Error('read the stream')),
  };
}

const sse = (events: object[], tail = ''): string =>
  events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join('') + tail;

const partial = (index: number) => ({
  type: 'image_generation.partial_image',
  b64_json: B64,
  partial_image_index: index,
});
const completed = {
  type: 'image_generation.completed',
  b64_json: B64,
  usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
};

function eventStream(text: string, chunkSize = 7): Handler {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return () => answer(200, Readable.from(chunks), { 'content-type': 'text/event-stream; charset=utf-8' });
}

function json(status: number, value: unknown): Handler {
  return () =>
    answer(status, Readable.from([Buffer.from(JSON.stringify(value))]), {
      'content-type': 'application/json',
    });
}

function client(fetch: FetchLike, timeoutMs = 10_000, maxRetries = 2): ImageApiClient {
  return new ImageApiClient({
    fetch,
    baseUrl: BASE,
    apiKey: KEY,
    timeoutMs,
    maxRetries,
    sleep: async () => undefined,
  });
}

suite('streamed generations through the client', () => {
  test('partial images arrive in order before the completed image; usage is kept', async () => {
    const { fetch, calls } = scripted([eventStream(sse([partial(0), partial(1), completed]))]);
    const seen: PartialImage[] = [];
    const result = await client(fetch).generate(STREAMED, undefined, { onPartial: (p) => seen.push(p) });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.deepEqual(
      seen.map((p) => p.index),
      [0, 1],
    );
    assert.equal(result.value.images.length, 1);
    assert.equal(result.value.images[0].b64Json, B64);
    assert.deepEqual(result.value.usage, { input_tokens: 10, output_tokens: 20, total_tokens: 30 });
    assert.equal(calls.length, 1);
    assert.match(calls[0].init.headers?.Accept ?? '', /text\/event-stream/);
    assert.equal(JSON.parse(String(calls[0].init.body)).stream, true);
  });

  test('a server that ignores stream answers JSON, read as usual', async () => {
    const { fetch } = scripted([json(200, { created: 1, data: [{ b64_json: B64 }] })]);
    let partials = 0;
    const result = await client(fetch).generate(STREAMED, undefined, { onPartial: () => partials++ });
    assert.ok(result.ok);
    assert.equal(result.value.images[0].b64Json, B64);
    assert.equal(partials, 0);
  });

  test('a stream cut before completed is an error, never retried', async () => {
    const { fetch, calls } = scripted([eventStream(sse([partial(0)])), eventStream(sse([completed]))]);
    let partials = 0;
    const result = await client(fetch).generate(STREAMED, undefined, { onPartial: () => partials++ });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'badResponse');
    assert.match(result.error.cause ?? '', /^streamCut:/);
    assert.equal(partials, 1);
    assert.equal(calls.length, 1, 'a begun stream is paid: no second attempt');
  });

  test('a stream whose connection dies mid-event is cut, not a timeout', async () => {
    const body = new PassThrough();
    const { fetch, calls } = scripted([
      () => answer(200, body, { 'content-type': 'text/event-stream' }),
      eventStream(sse([completed])),
    ]);
    const pending = client(fetch).generate(STREAMED);
    body.write(sse([partial(0)]) + 'event: image_generation.completed\ndata: {"type":"image_gen');
    setTimeout(() => body.destroy(), 10);
    const result = await pending;
    assert.ok(!result.ok);
    assert.match(result.error.cause ?? '', /^streamCut:/);
    assert.equal(calls.length, 1);
  });

  test('an error event carries the provider message; nothing is retried', async () => {
    const { fetch, calls } = scripted([
      eventStream(
        sse([
          partial(0),
          { type: 'error', error: { message: 'content policy', code: 'moderation_blocked' } },
        ]),
      ),
    ]);
    const result = await client(fetch).generate(STREAMED);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'badRequest');
    assert.equal(result.error.providerMessage, 'content policy');
    assert.equal(result.error.cause, 'streamError:moderation_blocked');
    assert.equal(calls.length, 1);
  });

  test('a stream declaring more than the answer limit is refused before it is read', async () => {
    const body = new PassThrough();
    const { fetch, calls } = scripted([
      () =>
        answer(200, body, {
          'content-type': 'text/event-stream',
          'content-length': String(MAX_ANSWER_BYTES + 1),
        }),
    ]);
    const result = await client(fetch).generate(STREAMED);
    assert.ok(!result.ok);
    assert.equal(result.error.cause, 'bodyTooLarge');
    assert.equal(calls.length, 1);
    assert.ok(body.destroyed, 'the connection is closed');
  });

  test('over the byte limit while streaming: the stream is destroyed and nothing is kept', async () => {
    const body = new PassThrough();
    let partials = 0;
    const reading = readImageStream(body, {
      maxBytes: 4096,
      signal: new AbortController().signal,
      expected: 1,
      onPartial: () => partials++,
    });
    body.write(sse([partial(0)]));
    // One event that never ends, growing past the limit.
    body.write(`data: ${'A'.repeat(5000)}`);
    const outcome = await reading;
    assert.equal(outcome.type, 'tooLarge');
    assert.equal(partials, 1);
    assert.ok(body.destroyed);
  });

  test('the timeout covers the whole stream', async () => {
    const body = new PassThrough();
    const { fetch } = scripted([() => answer(200, body, { 'content-type': 'text/event-stream' })]);
    const pending = client(fetch, 200).generate(STREAMED);
    body.write(sse([partial(0)]));
    const result = await pending;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'timeout');
    assert.ok(body.destroyed);
  });

  test('cancel during a stream reports cancelled and closes it', async () => {
    const body = new PassThrough();
    const { fetch } = scripted([() => answer(200, body, { 'content-type': 'text/event-stream' })]);
    const controller = new AbortController();
    const pending = client(fetch).generate(STREAMED, controller.signal, {
      onPartial: () => controller.abort(),
    });
    body.write(sse([partial(0)]));
    const result = await pending;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'cancelled');
    assert.ok(body.destroyed);
  });
});

suite('task answers through the client', () => {
  test('a queued task is polled on the same origin until it succeeds; a large final answer is read', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7).toString('base64');
    const { fetch, calls } = scripted([
      json(200, { task_id: 'T 1', status: 'queued' }),
      json(200, { task_id: 'T 1', status: 'running' }),
      json(200, { task_id: 'T 1', status: 'succeeded', data: [{ b64_json: big }] }),
    ]);
    const result = await client(fetch).generate({ ...STREAMED, extraParameters: {} });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.equal(result.value.images[0].b64Json, big);
    assert.equal(calls.length, 3);
    assert.equal(calls[1].url, `${BASE}/images/generations/T%201`);
    assert.equal(calls[1].init.method, 'GET');
    assert.equal(calls[1].init.headers?.Authorization, `Bearer ${KEY}`);
  });

  test('a task answer listing more images than asked keeps only the first n, and logs the rest', async () => {
    const data = ['a', 'b', 'c', 'd'].map((name) => ({ url: `https://cdn.example.test/${name}.png` }));
    const logged: string[] = [];
    const { fetch } = scripted([
      // Done at once, with a status field: read as a task answer, not as an ordinary one.
      json(200, { status: 'success', data }),
      // Polled until done.
      json(200, { task_id: 't4', status: 'queued' }),
      json(200, { task_id: 't4', status: 'succeeded', data }),
      // A poll that answers with the plain images.
      json(200, { task_id: 't5', status: 'queued' }),
      json(200, { created: 1, data }),
    ]);
    const counting = new ImageApiClient({
      fetch,
      baseUrl: BASE,
      apiKey: KEY,
      timeoutMs: 60_000,
      maxRetries: 0,
      sleep: async () => undefined,
      log: (_level, message) => logged.push(message),
    });
    for (const n of [1, 2, 3]) {
      const result = await counting.generate({ ...STREAMED, n, extraParameters: {} });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
      assert.deepEqual(
        result.value.images.map((i) => i.url),
        data.slice(0, n).map((d) => d.url),
      );
      assert.equal(result.value.ignored, 4 - n);
    }
    assert.deepEqual(
      logged.filter((m) => m.includes('more than the')).map((m) => m.replace(/^.* listed /, '')),
      [
        '3 image(s) more than the 1 asked for: ignored',
        '2 image(s) more than the 2 asked for: ignored',
        '1 image(s) more than the 3 asked for: ignored',
      ],
    );
  });

  test('a failed task reports the provider words', async () => {
    const { fetch } = scripted([
      json(200, { id: 't2', status: 'pending' }),
      json(200, { id: 't2', status: 'failed', error: { message: 'no credits' } }),
    ]);
    const result = await client(fetch).generate({ ...STREAMED, extraParameters: {} });
    assert.ok(!result.ok);
    assert.equal(result.error.cause, 'taskFailed');
    assert.equal(result.error.providerMessage, 'no credits');
  });

  test('a task not done within the timeout is a timeout', async () => {
    const handlers: Handler[] = [json(200, { task_id: 't3', status: 'queued' })];
    for (let i = 0; i < 50; i++) handlers.push(json(200, { task_id: 't3', status: 'running' }));
    const { fetch } = scripted(handlers);
    // A real clock: polls wait 1 s, 2 s…, so a 1.5 s timeout leaves room for one poll at most.
    const slow = new ImageApiClient({ fetch, baseUrl: BASE, apiKey: KEY, timeoutMs: 1_500, maxRetries: 0 });
    const result = await slow.generate({ ...STREAMED, extraParameters: {} });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'timeout');
    assert.equal(result.error.cause, 'taskNotDone');
  });
});
