// The fixture server is what every integration test and benchmark stands on: these tests pin down
// the behaviours they rely on, in plain Node, decoding images with pngjs (not the server's encoder).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { PNG } from 'pngjs';
import { DALL_E_3_SIZES, ImageServer, PROVIDER_MODELS, steps } from '../fixtures/imageServer';
import { liveArrayBuffers } from './memory';

interface ImagesBody {
  created: number;
  data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
}
interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const KEY = 'sk-test-123';

/** `key: null` sends no Authorization header at all. */
function generate(
  server: ImageServer,
  body: unknown,
  key: string | null = KEY,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  return fetch(`${server.baseUrl}/images/generations`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(10_000),
  });
}

async function json<T>(response: Response): Promise<T> {
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return (await response.json()) as T;
}

function decode(bytes: Buffer): PNG {
  return PNG.sync.read(bytes);
}

async function download(url: string): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  received: number;
  head: Buffer;
  error?: string;
}

/**
 * A GET that counts bytes instead of keeping them, and reports how the connection ended;
 * `onData` sees the running count of bytes received.
 */
function rawGet(url: string, onData?: (received: number) => void): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let received = 0;
      const headParts: Buffer[] = [];
      let headLength = 0;
      const finish = (error?: string): void =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          received,
          head: Buffer.concat(headParts),
          error,
        });
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (headLength < 64) {
          headParts.push(chunk.subarray(0, 64 - headLength));
          headLength += Math.min(chunk.length, 64 - headLength);
        }
        onData?.(received);
      });
      response.on('end', () => finish());
      response.on('error', (error) => finish(error.message));
      response.on('aborted', () => finish('aborted'));
    });
    request.on('error', reject);
  });
}

suite('ImageServer fixture', function () {
  this.timeout(20_000);
  let server: ImageServer;

  setup(async () => {
    server = new ImageServer();
    await server.start();
  });

  teardown(async () => {
    await server.stop();
  });

  test('listens on two loopback origins and exposes the base URL', () => {
    assert.match(server.apiOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.cdnOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.apiOrigin, server.cdnOrigin);
    assert.equal(server.baseUrl, `${server.apiOrigin}/v1`);
  });

  test('401 with the OpenAI error body without a key, with a blank key and with a key not in the list', async () => {
    const missing = await generate(
      server,
      { prompt: 'a cat', model: 'qh-draw-x2-preview', size: '64x64' },
      null,
    );
    assert.equal(missing.status, 401);
    const body = await json<ErrorBody>(missing);
    assert.equal(body.error.message, 'Incorrect API key provided');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'invalid_api_key');

    assert.equal((await generate(server, { prompt: 'a cat', model: 'm', size: '64x64' }, '  ')).status, 401);

    server.options.keys = ['sk-good'];
    assert.equal(
      (await generate(server, { prompt: 'a cat', model: 'm', size: '64x64' }, 'sk-bad')).status,
      401,
    );
    assert.equal(
      (await generate(server, { prompt: 'a cat', model: 'm', size: '64x64' }, 'sk-good')).status,
      200,
    );
  });

  test('url answers point at the cdn origin and serve decodable PNGs of the requested size', async () => {
    const response = await generate(server, {
      prompt: '一只可爱的小猫在花园里玩耍',
      model: 'qh-draw-x2-preview',
      size: '320x180',
      n: 2,
    });
    assert.equal(response.status, 200);
    const body = await json<ImagesBody>(response);
    assert.ok(Math.abs(body.created - Date.now() / 1000) < 60, 'created is unix seconds');
    assert.equal(body.data.length, 2);
    const images: PNG[] = [];
    for (const item of body.data) {
      assert.ok(item.url?.startsWith(`${server.cdnOrigin}/files/`), item.url);
      assert.equal(item.b64_json, undefined);
      const { response: file, bytes } = await download(item.url ?? '');
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.equal(Number(file.headers.get('content-length')), bytes.length);
      const png = decode(bytes);
      assert.equal(png.width, 320);
      assert.equal(png.height, 180);
      images.push(png);
    }
    assert.notDeepEqual(images[0].data, images[1].data, 'the images of one answer differ');
  });

  test('b64_json answers carry the PNG inline; revisedPrompt adds revised_prompt', async () => {
    server.options.revisedPrompt = true;
    const response = await generate(server, {
      prompt: 'a lighthouse',
      model: 'dall-e-3',
      size: '1024x1792',
      response_format: 'b64_json',
    });
    assert.equal(response.status, 200);
    const body = await json<ImagesBody>(response);
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0].url, undefined);
    assert.match(body.data[0].revised_prompt ?? '', /a lighthouse/);
    const png = decode(Buffer.from(body.data[0].b64_json ?? '', 'base64'));
    assert.deepEqual([png.width, png.height], [1024, 1792]);
  });

  test('different prompts give different pictures; the same prompt gives the same bytes', async () => {
    const fetchImage = async (prompt: string): Promise<Buffer> => {
      const body = await json<ImagesBody>(
        await generate(server, { prompt, model: 'm', size: '96x96', response_format: 'b64_json' }),
      );
      return Buffer.from(body.data[0].b64_json ?? '', 'base64');
    };
    const cat = await fetchImage('a cat');
    const dog = await fetchImage('a dog');
    assert.notDeepEqual(decode(cat).data, decode(dog).data);
    assert.deepEqual(await fetchImage('a cat'), cat);
  });

  test('huge sizes are rendered scaled down to at most 2048 px, keeping the aspect ratio', async () => {
    const body = await json<ImagesBody>(
      await generate(server, { prompt: 'wide', model: 'm', size: '8192x4096', response_format: 'b64_json' }),
    );
    const png = decode(Buffer.from(body.data[0].b64_json ?? '', 'base64'));
    assert.deepEqual([png.width, png.height], [2048, 1024]);
  });

  test('validates the body like the provider: JSON, prompt, model, size, n, response_format', async () => {
    const cases: Array<[unknown, string | null, RegExp]> = [
      ['{not json', null, /could not parse the JSON/],
      [{ model: 'm', size: '64x64' }, 'prompt', /Missing required parameter: 'prompt'/],
      [{ prompt: '', model: 'm', size: '64x64' }, 'prompt', /string too short/],
      [{ prompt: 'x', size: '64x64' }, 'model', /Missing required parameter: 'model'/],
      [{ prompt: 'x', model: 'm', size: 'big' }, 'size', /^Invalid size 'big'/],
      [{ prompt: 'x', model: 'm', size: '0x64' }, 'size', /^Invalid size/],
      [{ prompt: 'x', model: 'm', size: '64x64', n: 11 }, 'n', /between 1 and 10/],
      [{ prompt: 'x', model: 'm', size: '64x64', n: 1.5 }, 'n', /expected an integer/],
      [{ prompt: 'x', model: 'dall-e-3', size: '1024x1024', n: 2 }, 'n', /n must be 1 for dall-e-3/],
      [{ prompt: 'x', model: 'dall-e-3', size: '512x512' }, 'size', /^Invalid size '512x512' for dall-e-3/],
      [
        { prompt: 'x', model: 'm', size: '64x64', response_format: 'gif' },
        'response_format',
        /Supported values/,
      ],
    ];
    for (const [body, param, message] of cases) {
      const response = await generate(server, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const error = await json<ErrorBody>(response);
      assert.equal(error.error.type, 'invalid_request_error');
      assert.equal(error.error.param, param, JSON.stringify(body));
      assert.match(error.error.message, message);
    }
    for (const size of DALL_E_3_SIZES) {
      assert.equal(
        (await generate(server, { prompt: 'x', model: 'dall-e-3', size, response_format: 'b64_json' }))
          .status,
        200,
        size,
      );
    }
  });

  test('GET /v1/models lists the seed models and a chat model, behind the key', async () => {
    const denied = await fetch(`${server.baseUrl}/models`);
    assert.equal(denied.status, 401);
    const response = await fetch(`${server.baseUrl}/models`, { headers: { Authorization: `Bearer ${KEY}` } });
    const body = await json<{
      object: string;
      data: Array<{ id: string; object: string; owned_by: string; created: number }>;
    }>(response);
    assert.equal(body.object, 'list');
    const ids = body.data.map((m) => m.id);
    for (const id of ['qh-draw-x2-preview', 'qh-draw-x1-pro', 'dall-e-3', 'nano-banana-2', 'gpt-4o-mini'])
      assert.ok(ids.includes(id), id);
    assert.equal(ids.length, PROVIDER_MODELS.length);
    for (const model of body.data) {
      assert.equal(model.object, 'model');
      assert.equal(typeof model.owned_by, 'string');
      assert.equal(typeof model.created, 'number');
    }
  });

  test('records every request on both listeners with headers and body', async () => {
    await generate(server, { prompt: 'recorded', model: 'm', size: '64x64' });
    await fetch(`${server.cdnOrigin}/v1/images/generations`, {
      method: 'POST',
      headers: { Authorization: 'Bearer leaked', 'X-Probe': 'yes' },
      body: '{"prompt":"p","model":"m","size":"64x64"}',
    });
    await fetch(`${server.cdnOrigin}/files/missing.png`);
    assert.equal(server.requests.length, 3);
    const [first, second, third] = server.requests;
    assert.equal(first.server, 'api');
    assert.equal(first.method, 'POST');
    assert.equal(first.path, '/v1/images/generations');
    assert.equal(first.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(first.json, { prompt: 'recorded', model: 'm', size: '64x64' });
    assert.equal(second.server, 'cdn', 'the second listener serves the same routes');
    assert.equal(second.headers.authorization, 'Bearer leaked');
    assert.equal(second.headers['x-probe'], 'yes');
    assert.equal(third.path, '/files/missing.png');
    assert.ok(first.at <= second.at && second.at <= third.at);
  });

  test('unknown files and unknown paths are 404', async () => {
    const missing = await fetch(`${server.cdnOrigin}/files/missing.png`);
    assert.equal(missing.status, 404);
    const wrongRoot = await fetch(`${server.apiOrigin}/images/generations`, { method: 'POST', body: '{}' });
    assert.equal(wrongRoot.status, 404);
    assert.match((await json<ErrorBody>(wrongRoot)).error.message, /Invalid URL/);
  });

  test('a queued status with Retry-After is served once, then the normal answer returns', async () => {
    server.enqueue('generate', steps.retryAfter(2), steps.retryAfterDate(new Date(Date.now() + 3000)));
    assert.equal(server.queued('generate'), 2);
    const body = { prompt: 'x', model: 'm', size: '64x64' };
    const limited = await generate(server, body);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal((await json<ErrorBody>(limited)).error.code, 'rate_limit_exceeded');
    const overloaded = await generate(server, body);
    assert.equal(overloaded.status, 503);
    assert.ok(!Number.isNaN(Date.parse(overloaded.headers.get('retry-after') ?? '')), 'HTTP-date form');
    await overloaded.arrayBuffer();
    assert.equal((await generate(server, body)).status, 200);
    assert.equal(server.queued('generate'), 0);
  });

  test('times repeats a step; body replaces the answer; images overrides the data items', async () => {
    server.enqueue(
      'generate',
      { status: 500, times: 2 },
      steps.html(),
      { images: [] },
      { images: [{ url: `${server.cdnOrigin}/files/missing.png` }] },
    );
    const body = { prompt: 'x', model: 'm', size: '64x64' };
    assert.equal((await generate(server, body)).status, 500);
    assert.equal((await generate(server, body)).status, 500);
    const html = await generate(server, body);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /<html>/);
    assert.deepEqual((await json<ImagesBody>(await generate(server, body))).data, []);
    const missing = await json<ImagesBody>(await generate(server, body));
    assert.equal((await fetch(missing.data[0].url ?? '')).status, 404);
  });

  test('a step with only images still requires the key', async () => {
    server.enqueue('generate', { images: [] });
    assert.equal((await generate(server, { prompt: 'x', model: 'm', size: '64x64' }, null)).status, 401);
  });

  test('image steps: not an image, redirect to another origin, redirect loop', async () => {
    const generated = await json<ImagesBody>(
      await generate(server, { prompt: 'x', model: 'm', size: '64x64' }),
    );
    const url = generated.data[0].url ?? '';
    const otherOrigin = url.replace(server.cdnOrigin, server.apiOrigin);
    server.enqueue('image', steps.notAnImage(), steps.redirect(otherOrigin));

    const text = await download(url);
    assert.equal(text.response.headers.get('content-type'), 'text/plain');
    assert.equal(text.bytes.toString(), 'hello');

    const redirect = await fetch(url, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), otherOrigin);
    const followed = await download(otherOrigin);
    assert.equal(decode(followed.bytes).width, 64);
    assert.equal(server.requests.at(-1)?.server, 'api');

    await assert.rejects(fetch(server.redirectLoopUrl()), /fetch failed/);
    assert.ok(server.requests.filter((r) => r.path.startsWith('/loop/')).length > 5);

    const viaHelper = await fetch(server.redirectUrl(otherOrigin, 307), { redirect: 'manual' });
    assert.equal(viaHelper.status, 307);
    assert.equal(viaHelper.headers.get('location'), otherOrigin);
  });

  test('addFile serves arbitrary bytes with a content type from the name', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const url = server.addFile(jpeg, 'photo.jpg');
    assert.equal(url, `${server.cdnOrigin}/files/photo.jpg`);
    const { response, bytes } = await download(url);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(bytes, jpeg);
  });

  test('reset beforeHeaders fails the connection, then the next request is answered', async () => {
    server.enqueue('generate', { reset: 'beforeHeaders' });
    await assert.rejects(generate(server, { prompt: 'x', model: 'm', size: '64x64' }), /fetch failed/);
    assert.equal((await generate(server, { prompt: 'x', model: 'm', size: '64x64' })).status, 200);
    assert.equal(server.requests.length, 2);
  });

  test('truncate and midBody send headers and part of the body, announcing the full length', async () => {
    const url = server.addFile(Buffer.alloc(100_000, 7), 'blob.png');
    server.enqueue('image', { truncate: 1000 }, { reset: 'midBody' });
    const truncated = await rawGet(url);
    assert.equal(truncated.status, 200);
    assert.equal(truncated.headers['content-length'], '100000');
    assert.equal(truncated.received, 1000);
    assert.ok(truncated.error, 'the client sees the body end early');
    const mid = await rawGet(url);
    assert.equal(mid.headers['content-length'], '100000');
    assert.ok(mid.received < 100_000);
    assert.ok(mid.error);
    const whole = await rawGet(url);
    assert.equal(whole.received, 100_000);
    assert.equal(whole.error, undefined);
  });

  test('truncating a generation answer leaves invalid JSON', async () => {
    server.enqueue('generate', { truncate: 10 });
    const response = await generate(server, { prompt: 'x', model: 'm', size: '64x64' });
    assert.equal(response.status, 200);
    await assert.rejects(response.text());
  });

  test('delayMs and latencyMs hold the answer back', async () => {
    server.options.latencyMs = 150;
    server.enqueue('generate', { delayMs: 150 });
    const started = Date.now();
    assert.equal((await generate(server, { prompt: 'x', model: 'm', size: '64x64' })).status, 200);
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  });

  test('a hung request is recorded, can be aborted by the client, and stop() ends hung sockets promptly', async () => {
    server.enqueue('generate', { hang: true }, { hang: true });
    const controller = new AbortController();
    const cancelled = generate(
      server,
      { prompt: 'cancel me', model: 'm', size: '64x64' },
      KEY,
      controller.signal,
    );
    const seen = await server.waitForRequest(
      (r) => (r.json as { prompt?: string } | undefined)?.prompt === 'cancel me',
    );
    controller.abort();
    await assert.rejects(cancelled, /abort/i);
    await waitUntil(() => seen.aborted === true);

    const hung = generate(server, { prompt: 'hang', model: 'm', size: '64x64' });
    await server.waitForRequest((r) => (r.json as { prompt?: string } | undefined)?.prompt === 'hang');
    await server.stop();
    await assert.rejects(hung, /fetch failed/);
    await server.start(); // teardown stops it again
  });

  test('stop() cancels pending delays', async () => {
    server.enqueue('generate', { delayMs: 60_000 });
    const delayed = generate(server, { prompt: 'x', model: 'm', size: '64x64' });
    await server.waitForRequest();
    await server.stop();
    await assert.rejects(delayed);
    await server.start();
  });

  test('a huge streamed image is served without allocating it, PNG-looking, with or without Content-Length', async () => {
    const bytes = 60 * 1024 * 1024;
    const url = server.imageUrl('huge');
    server.enqueue('image', steps.huge(bytes), steps.huge(bytes, { chunked: true }));
    // What is still referenced in the second half of the transfer, read every 4 MB after a full
    // collection. A body buffered as a whole holds at least half of it (30 MB) at every reading; a
    // streamed one holds a few chunks in flight. The smallest reading counts, not the largest: V8
    // frees ArrayBuffers on a background thread after a collection, so on a busy machine a single
    // reading can still count chunks that are already garbage (CI saw 16 MB once).
    const before = liveArrayBuffers();
    let held = Infinity;
    let nextSample = bytes / 2;
    const sample = (received: number): void => {
      if (received < nextSample) return;
      nextSample = received + 4 * 1024 * 1024;
      held = Math.min(held, liveArrayBuffers() - before);
    };
    const withLength = await rawGet(url, sample);
    assert.equal(withLength.status, 200);
    assert.equal(withLength.headers['content-length'], String(bytes));
    assert.equal(withLength.headers['content-type'], 'image/png');
    assert.equal(withLength.received, bytes);
    assert.deepEqual(
      withLength.head.subarray(0, 8),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    assert.equal(withLength.head.subarray(12, 16).toString('latin1'), 'IHDR');
    const heldWithLength = held;
    held = Infinity;
    nextSample = bytes / 2;
    const chunked = await rawGet(url, sample);
    assert.equal(chunked.headers['content-length'], undefined);
    assert.equal(chunked.headers['transfer-encoding'], 'chunked');
    assert.equal(chunked.received, bytes);
    const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
    assert.ok(heldWithLength < 16 * 1024 * 1024, `${mb(heldWithLength)} held: buffered as a whole`);
    assert.ok(held < 16 * 1024 * 1024, `${mb(held)} held (chunked): buffered as a whole`);
  });

  test('imageBytes makes noisy PNGs of that size, rendered once and then served from the cache', async () => {
    server.options.imageBytes = 1024 * 1024;
    const before = server.renderCount;
    const first = await json<ImagesBody>(
      await generate(server, { prompt: 'bench', model: 'm', size: '1024x1024' }),
    );
    const { bytes } = await download(first.data[0].url ?? '');
    assert.ok(Math.abs(bytes.length - 1024 * 1024) < 1024, `${bytes.length} bytes`);
    const png = decode(bytes);
    assert.deepEqual([png.width, png.height], [1024, 1024]);

    const renders = server.renderCount;
    assert.equal(renders, before + 1, 'the first answer was rendered');
    const second = await json<ImagesBody>(
      await generate(server, { prompt: 'bench', model: 'm', size: '1024x1024' }),
    );
    assert.equal(server.renderCount, renders, 'served from the cache, not rendered again');
    assert.deepEqual((await download(second.data[0].url ?? '')).bytes, bytes);
  });

  test('reset() clears queues and requests and restores the constructor options', async () => {
    await server.stop();
    server = new ImageServer({ keys: ['sk-a'] });
    await server.start();
    server.options.keys = 'any';
    server.options.latencyMs = 5;
    server.enqueue('models', { status: 500 });
    await fetch(`${server.cdnOrigin}/nothing`);
    server.reset();
    assert.equal(server.requests.length, 0);
    assert.equal(server.queued('models'), 0);
    assert.deepEqual(server.options, { keys: ['sk-a'] });
  });

  test('hold() keeps generations waiting and counted in flight until release()', async () => {
    server.hold();
    const body = { prompt: 'held', model: 'qh-draw-x2-preview', size: '256x256' };
    const answers = [generate(server, body), generate(server, body), generate(server, body)];
    await waitUntil(() => server.inFlight === 3);
    assert.equal(server.maxInFlight, 3);
    server.release();
    const statuses = (await Promise.all(answers)).map((r) => r.status);
    assert.deepEqual(statuses, [200, 200, 200]);
    await waitUntil(() => server.inFlight === 0);
    assert.equal(server.maxInFlight, 3);
  });

  test('answerWhen() answers matching prompts with its step, `times` times, before the queue', async () => {
    server.enqueue('generate', { status: 503 });
    server.answerWhen((json) => (json as { prompt: string }).prompt === 'fail me', { status: 500, times: 1 });
    const body = (prompt: string) => ({ prompt, model: 'qh-draw-x2-preview', size: '256x256' });
    assert.equal((await generate(server, body('fail me'))).status, 500);
    assert.equal(
      (await generate(server, body('fail me'))).status,
      503,
      'the rule was used up; the queue answers',
    );
    assert.equal((await generate(server, body('fail me'))).status, 200);
  });

  test('keep-alive: consecutive requests reuse one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = http.get(
          `${server.baseUrl}/models`,
          { agent, headers: { Authorization: `Bearer ${KEY}` } },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('socket', (socket) => sockets.add(socket));
        req.on('error', reject);
      });
    await get();
    await get();
    agent.destroy();
    assert.equal(sockets.size, 1);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
