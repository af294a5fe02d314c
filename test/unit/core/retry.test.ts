import * as assert from 'node:assert/strict';
import {
  backoffDelay,
  backoffFloor,
  isRetryableStatus,
  MAX_RETRY_WAIT_MS,
  parseRetryAfter,
  retryDelay,
  sleep,
} from '../../../src/core/retry';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

suite('core/retry', () => {
  suite('isRetryableStatus', () => {
    test('408, 429, 500, 502, 503, 504', () => {
      for (const status of [408, 429, 500, 502, 503, 504])
        assert.equal(isRetryableStatus(status), true, String(status));
    });
    test('nothing else', () => {
      for (const status of [200, 301, 400, 401, 403, 404, 409, 422, 501, 505, 520])
        assert.equal(isRetryableStatus(status), false, String(status));
    });
  });

  suite('parseRetryAfter', () => {
    test('delta-seconds', () => {
      assert.equal(parseRetryAfter('0', NOW), 0);
      assert.equal(parseRetryAfter('5', NOW), 5000);
      assert.equal(parseRetryAfter(' 120 ', NOW), 120_000);
      assert.equal(parseRetryAfter('1.5', NOW), 1500);
      assert.equal(parseRetryAfter('86400', NOW), 86_400_000);
    });
    test('HTTP-date', () => {
      assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', NOW), 30_000);
      assert.equal(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW), 90_000);
    });
    test('a date in the past is 0, never negative', () => {
      assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', NOW), 0);
    });
    test('absent or unreadable', () => {
      for (const value of [undefined, null, '', '  ', '-5', 'soon', '1.2.3', '5s', '0x10']) {
        assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
      }
    });
  });

  suite('backoffDelay', () => {
    test('exponential with equal jitter: [e/2, e)', () => {
      assert.equal(
        backoffDelay(0, () => 0),
        250,
      );
      assert.equal(
        backoffDelay(0, () => 0.5),
        375,
      );
      assert.equal(
        backoffDelay(0, () => 0.9999999),
        499,
      );
      assert.equal(
        backoffDelay(1, () => 0),
        500,
      );
      assert.equal(
        backoffDelay(2, () => 0),
        1000,
      );
      assert.equal(
        backoffDelay(3, () => 0.5),
        3000,
      );
    });
    test('capped', () => {
      assert.equal(
        backoffDelay(10, () => 0),
        10_000,
      );
      assert.ok(backoffDelay(50, () => 0.99) < 20_000);
      assert.ok(backoffDelay(1e9, () => 0.99) < 20_000);
    });
    test('custom base and cap', () => {
      assert.equal(
        backoffDelay(2, () => 0, 100, 1000),
        200,
      );
      assert.equal(
        backoffDelay(5, () => 0, 100, 1000),
        500,
      );
    });
    test('a misbehaving random is clamped', () => {
      assert.equal(
        backoffDelay(0, () => -3),
        250,
      );
      assert.ok(backoffDelay(0, () => 7) < 500);
      assert.ok(Number.isFinite(backoffDelay(0, () => Number.NaN)));
    });
    test('grows with the attempt', () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        assert.ok(backoffDelay(attempt + 1, () => 0) > backoffDelay(attempt, () => 0));
      }
    });
  });

  suite('retryDelay', () => {
    test('without Retry-After: the backoff', () => {
      assert.equal(
        retryDelay(0, undefined, () => 0.5),
        backoffDelay(0, () => 0.5),
      );
      assert.equal(
        retryDelay(2, undefined, () => 0),
        1000,
      );
    });
    test('Retry-After wins over the backoff', () => {
      assert.equal(
        retryDelay(0, 3000, () => 0.9),
        3000,
      );
      assert.equal(
        retryDelay(5, 3000, () => 0.9),
        8000,
        'but not below the floor of a late attempt',
      );
    });
    test('Retry-After below the backoff floor is raised to it', () => {
      assert.equal(
        retryDelay(0, 0, () => 0.9),
        backoffFloor(0),
      );
      assert.equal(backoffFloor(0), 250);
      assert.equal(
        retryDelay(1, 100, () => 0.9),
        500,
      );
    });
    test('Retry-After up to 120 s is waited; beyond it means do not retry', () => {
      assert.equal(
        retryDelay(0, MAX_RETRY_WAIT_MS, () => 0),
        120_000,
      );
      assert.equal(
        retryDelay(0, MAX_RETRY_WAIT_MS + 1, () => 0),
        undefined,
      );
      assert.equal(
        retryDelay(0, 86_400_000, () => 0),
        undefined,
      );
    });
  });

  suite('sleep', () => {
    test('waits about the given time', async () => {
      const started = Date.now();
      await sleep(30);
      assert.ok(Date.now() - started >= 25);
    });
    test('rejects with AbortError as soon as the signal aborts', async () => {
      const controller = new AbortController();
      // Longer than the test's own limit: only the abort can end it in time.
      const waiting = sleep(60_000, controller.signal);
      setTimeout(() => controller.abort(), 10);
      await assert.rejects(waiting, { name: 'AbortError' });
    });
    test('rejects at once with an already aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(sleep(10_000, controller.signal), { name: 'AbortError' });
    });
    test('resolves normally when the signal is never aborted', async () => {
      const controller = new AbortController();
      await sleep(1, controller.signal);
    });
  });
});
