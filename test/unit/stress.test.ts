// Ten thousand requests of the client core (ImageApiClient + downloadImage over the extension's
// node-fetch adapter) against the fixture server, fifty at a time, with faults mixed in: every
// outcome is accounted for, and neither the heap nor the pending timers grow with the count.
import * as assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ImageApiClient, downloadImage } from '../../src/core/apiClient';
import type { ImageGenErrorKind } from '../../src/core/types';
import { nodeFetch } from '../../src/services/http';
import { ImageServer, steps, type Step } from '../fixtures/imageServer';
import { liveHeap } from './memory';

const TOTAL = 10_000;
const CONCURRENCY = 50;
/** Faults are spread evenly through every 500 requests. */
const BATCH = 500;
const HEAP_BOUND_BYTES = 50 * 1024 * 1024;
const KEY = 'sk-stress-0123456789abcdef0123';

/** Faults enqueued per batch of 500 generations (every one is consumed by exactly one request). */
const FAULTS_PER_BATCH: Array<{ step: Step; count: number; expect: ImageGenErrorKind }> = [
  { step: { status: 503 }, count: 5, expect: 'unavailable' },
  { step: { status: 429, headers: { 'Retry-After': '1' } }, count: 3, expect: 'rateLimit' },
  { step: { status: 400 }, count: 2, expect: 'badRequest' },
  { step: steps.html(200), count: 2, expect: 'badResponse' },
  { step: { body: { data: [] } }, count: 2, expect: 'badResponse' },
  { step: { reset: 'midBody' }, count: 2, expect: 'unavailable' },
  { step: { truncate: 20 }, count: 2, expect: 'unavailable' },
  { step: { hang: true }, count: 1, expect: 'timeout' },
];

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}

suite('stress: the client core under load', function () {
  this.timeout(120_000);
  const server = new ImageServer();
  suiteSetup(() => server.start());
  suiteTeardown(() => server.stop());

  test(`${TOTAL} requests, ${CONCURRENCY} at a time, with faults: every outcome accounted for, bounded heap, no leftover timers`, async () => {
    // One long-lived caller signal shared by every request: the harshest case for listener leaks.
    const session = new AbortController();
    // One signal for every request in flight, as a window's would be: more than Node's default 10 listeners.
    setMaxListeners(CONCURRENCY * 2, session.signal);
    const client = new ImageApiClient({
      fetch: nodeFetch,
      baseUrl: server.baseUrl,
      apiKey: KEY,
      // Only the scripted hangs may reach it: long enough that a busy machine never turns a slow answer into one.
      timeoutMs: 15_000,
      maxRetries: 0,
    });
    const run = async (i: number): Promise<string> => {
      const result = await client.generate(
        { prompt: 'stress', model: 'qh-draw-x2-preview', size: '64x64', n: 1 },
        session.signal,
      );
      if (!result.ok) return result.error.kind;
      // One generation in ten also downloads its image, as the extension does for every one.
      if (i % 10 === 0) {
        const url = result.value.images[0].url;
        assert.ok(url);
        const image = await downloadImage(nodeFetch, url, {
          signal: session.signal,
          timeoutMs: 5_000,
          maxBytes: 1024 * 1024,
        });
        return image.ok ? 'ok+download' : `download:${image.error.downloadProblem}`;
      }
      return 'ok';
    };
    /** The script for `count` generations: each batch of 500 gets its faults spread through it. */
    const enqueueScript = (count: number): void => {
      for (let b = 0; b < count / BATCH; b++) {
        const faults = FAULTS_PER_BATCH.flatMap((f) => Array.from({ length: f.count }, () => f.step));
        const gap = Math.floor(BATCH / faults.length);
        for (const fault of faults) server.enqueue('generate', { ...fault }, { times: gap - 1 });
        const rest = BATCH - gap * faults.length;
        if (rest > 0) server.enqueue('generate', { times: rest });
      }
    };
    let generateRequests = 0;
    server.options.onRequest = (r) => {
      if (r.path === '/v1/images/generations') generateRequests++;
      // The fixture records every request; this test measures the client, not that list.
      server.requests.length = 0;
    };

    // Warm up (JIT, sockets, the server's file map), then measure.
    enqueueScript(BATCH);
    await pool(BATCH, CONCURRENCY, run);
    assert.equal(server.queued('generate'), 0);
    generateRequests = 0;
    const heapBefore = liveHeap();
    const timersBefore = timers();
    const started = Date.now();

    enqueueScript(TOTAL);
    const counts = new Map<string, number>();
    for (const o of await pool(TOTAL, CONCURRENCY, run)) counts.set(o, (counts.get(o) ?? 0) + 1);
    const elapsed = Date.now() - started;
    assert.equal(server.queued('generate'), 0, 'every scripted answer was used');
    await new Promise((r) => setTimeout(r, 50));
    const heapAfter = liveHeap();
    const timersAfter = timers();
    session.abort();

    const batches = TOTAL / BATCH;
    const expected = new Map<string, number>();
    let faults = 0;
    for (const f of FAULTS_PER_BATCH) {
      expected.set(f.expect, (expected.get(f.expect) ?? 0) + f.count * batches);
      faults += f.count * batches;
    }
    const successes = TOTAL - faults;
    const downloads = TOTAL / 10;
    const summary = JSON.stringify(Object.fromEntries(counts));
    console.log(
      `      ${TOTAL} requests in ${(elapsed / 1000).toFixed(1)} s; heap ${(heapBefore / 1048576).toFixed(1)} → ${(heapAfter / 1048576).toFixed(1)} MB` +
        `; timers ${timersBefore} → ${timersAfter}; ${summary}`,
    );

    assert.equal(generateRequests, TOTAL, 'exactly one attempt per generation (maxRetries 0)');
    for (const [kind, count] of expected) assert.equal(counts.get(kind), count, `${kind}: ${summary}`);
    // Faults fall on random requests, so some of the every-tenth downloads have none to make.
    const ok = counts.get('ok') ?? 0;
    const withDownload = counts.get('ok+download') ?? 0;
    assert.equal(ok + withDownload, successes, summary);
    assert.ok(withDownload >= downloads - faults && withDownload <= downloads, summary);
    assert.ok(
      [...counts.keys()].every((k) => !k.startsWith('download:')),
      `a download failed: ${summary}`,
    );
    assert.ok(
      heapAfter - heapBefore < HEAP_BOUND_BYTES,
      `heap grew by ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB`,
    );
    assert.ok(timersAfter <= timersBefore + 2, `timers left behind: ${timersBefore} → ${timersAfter}`);
  });
});

suite('stress: connections that break mid-body, through the node-fetch adapter', () => {
  const server = new ImageServer();
  suiteSetup(() => server.start());
  suiteTeardown(() => server.stop());
  setup(() => server.reset());

  const client = () =>
    new ImageApiClient({
      fetch: nodeFetch,
      baseUrl: server.baseUrl,
      apiKey: KEY,
      // Longer than the test's own limit: waiting for it would fail the test, as would its kind.
      timeoutMs: 60_000,
      maxRetries: 0,
    });
  const request = { prompt: 'a cat', model: 'qh-draw-x2-preview', size: '64x64', n: 1 };

  for (const [name, step] of [
    ['a reset mid-body', { reset: 'midBody' }],
    ['a truncated JSON body', { truncate: 20 }],
  ] as const) {
    test(`${name} of the API answer fails at once as unavailable, not after the timeout`, async () => {
      server.enqueue('generate', step);
      const result = await client().generate(request);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.kind, 'unavailable', JSON.stringify(result.error));
      assert.equal(result.error.status, 200);
    });

    test(`${name} of an image download fails at once as a network problem`, async () => {
      server.enqueue('image', step);
      const url = server.addFile(server.renderFor('a cat', '256x256'));
      const result = await downloadImage(nodeFetch, url, { timeoutMs: 60_000, maxBytes: 1024 * 1024 });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.downloadProblem, 'network', JSON.stringify(result.error));
    });
  }

  test('a gzip-encoded answer cut mid-body fails at once (the failure crosses the decompressor)', async () => {
    const body = gzipSync(
      JSON.stringify({
        created: 1,
        data: [{ url: 'https://cdn.example/a.png' }],
        padding: 'x'.repeat(100_000),
      }),
    );
    const gzipServer = http.createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(body.length),
      });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => gzipServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = gzipServer.address() as AddressInfo;
      const gz = new ImageApiClient({
        fetch: nodeFetch,
        baseUrl: `http://127.0.0.1:${port}/v1`,
        apiKey: KEY,
        timeoutMs: 60_000,
        maxRetries: 0,
      });
      const result = await gz.generate(request);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.kind, 'unavailable', JSON.stringify(result.error));
    } finally {
      await new Promise((resolve) => gzipServer.close(resolve));
    }
  });

  test("complete answers, gzip-encoded or not, still read normally after the adapter's watch", async () => {
    const result = await client().generate(request);
    assert.ok(result.ok, JSON.stringify(result));
    const image = await downloadImage(nodeFetch, result.value.images[0].url ?? '', {
      timeoutMs: 10_000,
      maxBytes: 1024 * 1024,
    });
    assert.ok(image.ok, JSON.stringify(image));
    assert.equal(image.value.type.ext, 'png');
  });
});
