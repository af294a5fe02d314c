import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import {
  billingUrls,
  combineBalance,
  formatBalance,
  MAX_BILLING_BYTES,
  parseBillingJson,
  readBillingAnswer,
} from '../../../src/core/billing';
import type { FetchResponseLike } from '../../../src/core/transport';
import { pollDelay, readTaskAnswer } from '../../../src/core/asyncTask';

const BASE = 'https://api.example.com/v1';

suite('core/billing', () => {
  test('OpenAI style: hard limit minus usage in cents', () => {
    assert.deepEqual(combineBalance({ hard_limit_usd: 20 }, { total_usage: 1234 }), {
      remaining: 7.66,
      currency: 'USD',
      limit: 20,
      used: 12.34,
    });
  });
  test('no usage answer: the limit alone; unlimited tokens: hidden', () => {
    assert.deepEqual(combineBalance({ hard_limit_usd: 5 }, undefined), {
      remaining: 5,
      currency: 'USD',
      limit: 5,
    });
    assert.equal(combineBalance({ hard_limit_usd: 100000000 }, { total_usage: 0 }), undefined);
  });
  test('gateway fields: balance, total_available, wrapped in data, currency', () => {
    assert.deepEqual(
      combineBalance(
        parseBillingJson('{"success":true,"data":{"balance":"42.5","currency":"cny"}}'),
        undefined,
      ),
      {
        remaining: 42.5,
        currency: 'CNY',
      },
    );
    assert.deepEqual(combineBalance({ total_granted: 18, total_used: 3, total_available: 15 }, undefined), {
      remaining: 15,
      currency: 'USD',
      limit: 18,
      used: 3,
    });
  });
  test('HTML, arrays and empty objects give nothing', () => {
    assert.equal(parseBillingJson('<html>login</html>'), undefined);
    assert.equal(parseBillingJson('[1]'), undefined);
    assert.equal(combineBalance(parseBillingJson('{}'), undefined), undefined);
    assert.equal(combineBalance(undefined, { total_usage: 1 }), undefined);
  });
  test('URLs on the origin, a 100-day usage window', () => {
    assert.deepEqual(billingUrls('https://api.example.com', new Date('2026-11-29T05:00:00Z')), {
      subscription: 'https://api.example.com/v1/dashboard/billing/subscription',
      usage: 'https://api.example.com/v1/dashboard/billing/usage?start_date=2026-08-22&end_date=2026-11-30',
    });
  });
  test('formatted for the status bar', () => {
    assert.equal(formatBalance({ remaining: 7.666, currency: 'USD' }), '$7.67');
    assert.equal(formatBalance({ remaining: 42.5, currency: 'CNY' }), '¥42.50');
    assert.equal(formatBalance({ remaining: 12345.6, currency: 'EUR' }), '12346 EUR');
  });
});

suite('core/asyncTask', () => {
  test('a queued task: poll the default path; an id or task_id; wrapped in data', () => {
    assert.deepEqual(readTaskAnswer('{"task_id":"t 1","status":"queued"}', BASE), {
      state: 'waiting',
      id: 't 1',
      pollUrl: 'https://api.example.com/v1/images/generations/t%201',
    });
    assert.equal(readTaskAnswer('{"id":42,"status":"RUNNING"}', BASE + '/')?.state, 'waiting');
    assert.equal(readTaskAnswer('{"data":{"id":"x","status":"pending"}}', BASE)?.state, 'waiting');
  });
  test('the URL the answer names, only on the same origin', () => {
    const same = readTaskAnswer('{"id":"a","status":"pending","poll_url":"/v1/tasks/a"}', BASE);
    assert.equal(same?.state === 'waiting' && same.pollUrl, 'https://api.example.com/v1/tasks/a');
    const other = readTaskAnswer(
      '{"id":"a","status":"pending","poll_url":"https://evil.example/tasks/a"}',
      BASE,
    );
    assert.equal(
      other?.state === 'waiting' && other.pollUrl,
      'https://api.example.com/v1/images/generations/a',
    );
  });
  test('done: the images in the task, in result or output', () => {
    const done = readTaskAnswer(
      '{"id":"a","status":"succeeded","result":{"data":[{"url":"https://x/1.png"}]}}',
      BASE,
    );
    assert.deepEqual(done, { state: 'done', body: '{"data":[{"url":"https://x/1.png"}]}' });
    assert.equal(readTaskAnswer('{"status":"completed","data":[{"url":"u"}]}', BASE)?.state, 'done');
  });
  test('failed with the reason; ordinary answers are not tasks', () => {
    assert.deepEqual(readTaskAnswer('{"id":"a","status":"failed","error":{"message":"nsfw"}}', BASE), {
      state: 'failed',
      message: 'nsfw',
    });
    assert.deepEqual(readTaskAnswer('{"id":"a","status":"error","fail_reason":"quota"}', BASE), {
      state: 'failed',
      message: 'quota',
    });
    assert.equal(readTaskAnswer('{"created":1,"data":[{"url":"u"}]}', BASE), undefined);
    assert.equal(readTaskAnswer('{"status":"queued"}', BASE), undefined);
    assert.equal(readTaskAnswer('<html>', BASE), undefined);
  });
  test('backoff 1, 2, 4, then 5 s; Retry-After wins up to 30 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 10].map((a) => pollDelay(a)),
      [1000, 2000, 4000, 5000, 5000],
    );
    assert.equal(pollDelay(0, 7000), 7000);
    assert.equal(pollDelay(0, 90_000), 30_000);
  });
});

suite('core/billing: reading an answer', () => {
  /** A response whose body is `chunks` as a stream, counting what was pulled from it. */
  function response(
    status: number,
    headers: Record<string, string>,
    chunks: () => Buffer | null,
  ): FetchResponseLike & { pulled: () => number; stream: Readable } {
    let pulled = 0;
    const stream = new Readable({
      read() {
        const chunk = chunks();
        if (chunk) pulled += chunk.length;
        this.push(chunk);
      },
    });
    return {
      status,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      body: stream,
      text: () => Promise.reject(new Error('the body is read as a stream')),
      pulled: () => pulled,
      stream,
    };
  }
  const once = (text: string): (() => Buffer | null) => {
    let sent = false;
    return () => (sent ? null : ((sent = true), Buffer.from(text)));
  };
  const signal = new AbortController().signal;

  test('a small JSON answer is read', async () => {
    const answer = await readBillingAnswer(
      response(200, { 'content-type': 'application/json' }, once('{"total_available":15}')),
      signal,
    );
    assert.deepEqual(answer, { json: { total_available: 15 } });
  });

  test('an answer that inflates past 64 KB is cut there: reading stops and the stream is destroyed', async () => {
    // What a gzip bomb is once decompressed: a few KB on the wire, endless white space inflated.
    const inflated = zlib.createGunzip();
    const member = zlib.gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    let members = 0;
    const wire = new Readable({
      read() {
        this.push(members++ < 64 ? member : null);
      },
    });
    wire.pipe(inflated);
    const bomb: FetchResponseLike = {
      status: 200,
      headers: {
        get: (n) =>
          ({ 'content-type': 'application/json', 'content-encoding': 'gzip' })[n.toLowerCase()] ?? null,
      },
      body: inflated,
      text: () => Promise.reject(new Error('the body is read as a stream')),
    };
    assert.deepEqual(await readBillingAnswer(bomb, signal), { problem: 'over 64 KB' });
    assert.ok(inflated.destroyed, 'the body stream was destroyed');

    const endless = response(200, { 'content-type': 'application/json' }, () =>
      Buffer.alloc(16 * 1024, 0x20),
    );
    assert.deepEqual(await readBillingAnswer(endless, signal), { problem: 'over 64 KB' });
    assert.ok(endless.stream.destroyed);
    assert.ok(endless.pulled() <= MAX_BILLING_BYTES + 64 * 1024, `read ${endless.pulled()} bytes`);
  });

  test('a declared length over 64 KB, HTML and error statuses are not read at all', async () => {
    const declared = response(
      200,
      { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
      () => Buffer.alloc(16 * 1024, 0x20),
    );
    assert.deepEqual(await readBillingAnswer(declared, signal), {
      problem: `declared ${10 * 1024 * 1024} bytes`,
    });
    assert.ok(declared.stream.destroyed);
    assert.equal(declared.pulled(), 0);

    // Error statuses and other types are not read at all, however long their body would be.
    const endlessly = (): Buffer => Buffer.alloc(16 * 1024, 0x20);
    const html = response(200, { 'content-type': 'text/html' }, endlessly);
    assert.deepEqual(await readBillingAnswer(html, signal), { problem: 'answered text/html' });
    const denied = response(401, { 'content-type': 'application/json' }, endlessly);
    assert.deepEqual(await readBillingAnswer(denied, signal), { problem: 'answered 401' });
    for (const r of [html, denied]) {
      assert.ok(r.stream.destroyed);
      assert.equal(r.pulled(), 0);
    }
    const notObject = response(200, { 'content-type': 'application/json' }, once('[1,2]'));
    assert.deepEqual(await readBillingAnswer(notObject, signal), { problem: 'not a JSON object' });
  });
});
