import * as assert from 'node:assert/strict';
import { billingUrls, combineBalance, formatBalance, parseBillingJson } from '../../../src/core/billing';
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
