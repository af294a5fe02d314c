// PRODUCT.md §10 at the level of the pure core: answer limits after decompression, partial and
// over-long answers, private-address downloads, keys and base URLs that cannot be used, pixel bombs.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { downloadGuard, isPrivateAddress, isPrivateHost } from '../../../src/core/addressPolicy';
import {
  ImageApiClient,
  MAX_ANSWER_BYTES,
  MAX_SMALL_BODY_BYTES,
  downloadImage,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
} from '../../../src/core/apiClient';
import { apiKeyProblem } from '../../../src/core/apiKey';
import { imageDimensions } from '../../../src/core/imageType';
import { createLimiter } from '../../../src/core/limiter';
import { baseUrlProblem } from '../../../src/core/origin';
import { redactSecrets } from '../../../src/core/redact';

const BASE = 'https://api.example.com/v1';
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A body that produces `total` bytes of spaces on demand, counting what was pulled from it. */
function endless(total: number): Readable & { produced: number } {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const stream = new Readable({
    read() {
      if (stream.produced >= total) return void this.push(null);
      stream.produced += chunk.length;
      this.push(chunk);
    },
  }) as Readable & { produced: number };
  stream.produced = 0;
  return stream;
}

function answer(status: number, body: NodeJS.ReadableStream | null, headers: Record<string, string> = {}) {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const response: FetchResponseLike = {
    status,
    headers: { get: (n) => lower.get(n.toLowerCase()) ?? null },
    body,
    text: async () => {
      throw new Error('text() must not be used when there is a body stream');
    },
  };
  return response;
}

function client(fetch: FetchLike, logs: string[] = []): ImageApiClient {
  return new ImageApiClient({
    fetch,
    baseUrl: BASE,
    apiKey: 'sk-test-key-0123456789',
    timeoutMs: 30_000,
    maxRetries: 2,
    sleep: async () => undefined,
    log: (_level, m) => logs.push(m),
  });
}

const REQ = { prompt: 'p', model: 'm', size: '1x1', n: 1 };

suite('core: what the provider controls (PRODUCT.md §10)', () => {
  suite('answer size limits, counted after decompression', () => {
    test('a gzip bomb answer stops at 200 MB inflated: unexpected response, stream destroyed, not retried', async function () {
      this.timeout(60_000);
      // 1 GB of spaces as 64 concatenated gzip members of 16 MB each (about 1 MB on the wire):
      // only counting inflated bytes catches it.
      const member = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
      let sent = 0;
      const wire = new Readable({
        read() {
          this.push(sent++ < 64 ? member : null);
        },
      });
      const gunzip = zlib.createGunzip();
      wire.pipe(gunzip);
      let calls = 0;
      const logs: string[] = [];
      const result = await client(async () => {
        calls++;
        return answer(200, gunzip, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      }, logs).generate(REQ);
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'badResponse');
      assert.equal(result.error.cause, 'bodyTooLarge');
      assert.equal(calls, 1, 'never retried');
      assert.ok(gunzip.destroyed, 'the body stream was destroyed');
      assert.ok(sent * 16 * 1024 * 1024 < MAX_ANSWER_BYTES + 64 * 1024 * 1024, `inflated ${sent} members`);
      assert.ok(
        logs.some((l) => /larger than 200 MB/.test(l)),
        logs.join('\n'),
      );
    });

    test('/models and error bodies stop at 1 MB; a declared Content-Length over it is not read at all', async () => {
      const big = endless(5 * 1024 * 1024);
      const models = await client(async () => answer(200, big)).listModels();
      assert.ok(!models.ok);
      assert.equal(models.error.cause, 'bodyTooLarge');
      assert.ok(big.produced <= MAX_SMALL_BODY_BYTES + 128 * 1024, `read ${big.produced}`);

      const errorBody = endless(5 * 1024 * 1024);
      const failed = await client(async () => answer(400, errorBody)).generate(REQ);
      assert.ok(!failed.ok);
      assert.equal(failed.error.kind, 'badResponse');
      assert.equal(failed.error.cause, 'bodyTooLarge');

      const declared = endless(10);
      const refused = await client(async () =>
        answer(200, declared, { 'content-length': String(MAX_SMALL_BODY_BYTES + 1) }),
      ).listModels();
      assert.ok(!refused.ok);
      assert.equal(refused.error.cause, 'bodyTooLarge');
      assert.equal(declared.produced, 0, 'nothing was read');
    });

    test('an answer just under the limit is still read', async () => {
      const body = JSON.stringify({ data: [{ id: 'a' }] }) + ' '.repeat(MAX_SMALL_BODY_BYTES - 100);
      const models = await client(async () => answer(200, Readable.from([Buffer.from(body)]))).listModels();
      assert.deepEqual(models, { ok: true, value: ['a'] });
    });
  });

  suite('answers with more or fewer usable items', () => {
    const fetchJson =
      (json: unknown): FetchLike =>
      async () =>
        answer(200, Readable.from([Buffer.from(JSON.stringify(json))]), {
          'content-type': 'application/json',
        });

    test('more data items than n: only the first n are used, the rest counted and logged', async () => {
      const logs: string[] = [];
      const data = Array.from({ length: 40 }, (_, i) => ({ url: `https://cdn.example.com/${i}.png` }));
      const result = await client(fetchJson({ data }), logs).generate({ ...REQ, n: 2 });
      assert.ok(result.ok);
      assert.deepEqual(
        result.value.images.map((i) => i.url),
        ['https://cdn.example.com/0.png', 'https://cdn.example.com/1.png'],
      );
      assert.equal(result.value.ignored, 38);
      assert.ok(
        logs.some((l) => /38 image\(s\) more than the 2 asked for/.test(l)),
        logs.join('\n'),
      );
    });

    test('an item without a usable image does not throw away the others', async () => {
      const result = await client(
        fetchJson({ data: [{ revised_prompt: 'nothing' }, { url: 'https://cdn.example.com/ok.png' }] }),
      ).generate({ ...REQ, n: 2 });
      assert.ok(result.ok);
      assert.deepEqual(result.value.images, [{ url: 'https://cdn.example.com/ok.png' }]);
      assert.deepEqual(result.value.unusable, [{ index: 0, cause: 'badItem' }]);
    });
  });

  suite('downloads to private addresses', () => {
    const resolver = (table: Record<string, string[]>) => async (host: string) => {
      const found = table[host];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found;
    };

    test('loopback, link-local, private, CGNAT, unique-local and mapped addresses are private', () => {
      for (const a of [
        '127.0.0.1',
        '127.8.9.10',
        '10.1.2.3',
        '172.16.0.1',
        '172.31.255.255',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '::1',
        '::',
        'fe80::1',
        'fd00::1',
        'fc12:3456::1',
        '::ffff:127.0.0.1',
        '::ffff:7f00:1',
        '::ffff:a9fe:a9fe',
        '[::1]',
      ])
        assert.equal(isPrivateAddress(a), true, a);
      for (const a of [
        '8.8.8.8',
        '172.32.0.1',
        '100.128.0.1',
        '203.0.113.7',
        '2606:4700::1111',
        'example.com',
      ])
        assert.equal(isPrivateAddress(a), false, a);
    });

    test('names count by every address they resolve to; localhost by name; unknown names are not private', async () => {
      const resolve = resolver({
        'cdn.example.com': ['93.184.216.34'],
        'evil.example.com': ['93.184.216.34', '10.0.0.5'],
      });
      assert.equal(await isPrivateHost('cdn.example.com', resolve), false);
      assert.equal(await isPrivateHost('evil.example.com', resolve), true);
      assert.equal(await isPrivateHost('localhost', resolve), true);
      assert.equal(await isPrivateHost('api.localhost', resolve), true);
      assert.equal(await isPrivateHost('nowhere.example', resolve), false);
    });

    test('a public API cannot make the extension fetch a private address; a local API can', async () => {
      const resolve = resolver({
        'api.example.com': ['93.184.216.34'],
        'metadata.example.com': ['169.254.169.254'],
      });
      const publicGuard = downloadGuard('https://api.example.com/v1', resolve);
      assert.equal(await publicGuard(new URL('https://cdn.example.com.invalid/a.png')), true);
      assert.equal(await publicGuard(new URL('http://127.0.0.1:9/a.png')), false);
      assert.equal(await publicGuard(new URL('http://169.254.169.254/latest/meta-data')), false);
      assert.equal(await publicGuard(new URL('http://metadata.example.com/a.png')), false);
      assert.equal(await publicGuard(new URL('http://[::1]:8080/a.png')), false);
      const localGuard = downloadGuard('http://127.0.0.1:8787/v1', resolve);
      assert.equal(await localGuard(new URL('http://127.0.0.1:9999/a.png')), true);
      assert.equal(await localGuard(new URL('http://192.168.1.20/a.png')), true);
    });

    test('downloadImage refuses the URL and every redirect hop that the guard refuses, before fetching it', async () => {
      const seen: Array<{ url: string; init: FetchInit }> = [];
      const fetch: FetchLike = async (url, init) => {
        seen.push({ url, init: init ?? {} });
        if (url.startsWith('https://cdn.example.com/'))
          return answer(302, null, { location: 'http://10.0.0.8/internal.png' });
        return answer(200, Readable.from([PNG_1x1]));
      };
      const guard = downloadGuard('https://api.example.com/v1', async () => ['93.184.216.34']);
      const direct = await downloadImage(fetch, 'http://127.0.0.1:1/x.png', {
        timeoutMs: 5000,
        maxBytes: 1e6,
        mayFetch: guard,
      });
      assert.ok(!direct.ok);
      assert.equal(direct.error.downloadProblem, 'privateAddress');
      assert.equal(seen.length, 0, 'nothing was requested');

      const redirected = await downloadImage(fetch, 'https://cdn.example.com/a.png', {
        timeoutMs: 5000,
        maxBytes: 1e6,
        mayFetch: guard,
      });
      assert.ok(!redirected.ok);
      assert.equal(redirected.error.downloadProblem, 'privateAddress');
      assert.deepEqual(
        seen.map((s) => [s.url, s.init.redirect]),
        [['https://cdn.example.com/a.png', 'manual']],
        'the private redirect target was never requested',
      );
    });

    test('with a guard that allows them, checked redirects are followed (at most 5 hops)', async () => {
      let hops = 0;
      const fetch: FetchLike = async (url) => {
        if (url.endsWith('/final.png')) return answer(200, Readable.from([PNG_1x1]));
        hops++;
        return answer(302, null, { location: hops < 3 ? `/hop${hops}` : '/final.png' });
      };
      const ok = await downloadImage(fetch, 'https://cdn.example.com/start', {
        timeoutMs: 5000,
        maxBytes: 1e6,
        mayFetch: async () => true,
      });
      assert.ok(ok.ok);
      const loop: FetchLike = async (url) => answer(302, null, { location: `${url}x` });
      const looped = await downloadImage(loop, 'https://cdn.example.com/l', {
        timeoutMs: 5000,
        maxBytes: 1e6,
        mayFetch: async () => true,
      });
      assert.ok(!looped.ok);
      assert.equal(looped.error.downloadProblem, 'redirect');
    });
  });

  suite('keys and base URLs that cannot be used', () => {
    test('keys with characters an HTTP header cannot carry are refused', () => {
      assert.equal(apiKeyProblem('sk-abc123_DEF-456'), undefined);
      assert.equal(apiKeyProblem(''), 'empty');
      assert.equal(apiKeyProblem('   '), 'empty');
      for (const bad of [
        'sk-abc\u200b123',
        'ｓｋ－ａｂｃ',
        'sk-abc\n123',
        'sk-abc\r\n',
        'sk abc',
        'sk-ключ',
        'sk-\u0000',
      ])
        assert.equal(apiKeyProblem(bad), 'invalidCharacters', JSON.stringify(bad));
    });

    test('a transport error quoting the key (node-fetch header validation) does not carry it into error.cause', async () => {
      const key = 'sk-quoted-key\u200b-0123456789';
      const logs: string[] = [];
      const result = await new ImageApiClient({
        fetch: async () => {
          throw new TypeError(`Bearer ${key} is not a legal HTTP header value`);
        },
        baseUrl: BASE,
        apiKey: key,
        timeoutMs: 5000,
        maxRetries: 0,
        log: (_l, m) => logs.push(m),
      }).generate(REQ);
      assert.ok(!result.ok);
      assert.ok(!JSON.stringify(result.error).includes('sk-quoted-key'), JSON.stringify(result.error));
      assert.ok(!logs.join('\n').includes('sk-quoted-key'), logs.join('\n'));
    });

    test('a base URL with user:password@ is refused; logs never show user info', () => {
      assert.equal(baseUrlProblem('https://api.example.com/v1'), undefined);
      assert.equal(baseUrlProblem('https://user:pa55word@api.example.com/v1'), 'credentials');
      assert.equal(baseUrlProblem('https://user@api.example.com/v1'), 'credentials');
      assert.equal(baseUrlProblem('ftp://api.example.com'), 'invalid');
      assert.equal(baseUrlProblem('not a url'), 'invalid');
      const line = redactSecrets(
        'POST http://alice:s3cr3t-pw@10.0.0.2:8080/v1/images/generations failed',
        [],
      );
      assert.ok(!line.includes('alice') && !line.includes('s3cr3t'), line);
      assert.match(line, /http:\/\/\[redacted\]@10\.0\.0\.2:8080\/v1/);
      assert.equal(redactSecrets('mail bob@example.com', []), 'mail bob@example.com');
    });
  });

  suite('image headers', () => {
    test('declared dimensions are read from PNG, GIF, JPEG and WebP headers without decoding', () => {
      assert.deepEqual(imageDimensions(PNG_1x1), { width: 1, height: 1 });
      const bombPng = Buffer.from(PNG_1x1);
      bombPng.writeUInt32BE(100_000, 16);
      bombPng.writeUInt32BE(100_000, 20);
      assert.deepEqual(imageDimensions(bombPng), { width: 100_000, height: 100_000 });
      const gif = Buffer.from('GIF89a\x10\x27\x20\x4e\x00\x00\x00', 'latin1');
      assert.deepEqual(imageDimensions(gif), { width: 10_000, height: 20_000 });
      const jpeg = Buffer.from([
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x27, 0x10, 0x4e, 0x20,
        0x03,
      ]);
      assert.deepEqual(imageDimensions(jpeg), { width: 20_000, height: 10_000 });
      const webp = Buffer.alloc(30);
      webp.write('RIFF', 0, 'latin1');
      webp.write('WEBPVP8X', 8, 'latin1');
      webp.writeUIntLE(16_383, 24, 3);
      webp.writeUIntLE(9_999, 27, 3);
      assert.deepEqual(imageDimensions(webp), { width: 16_384, height: 10_000 });
      assert.equal(imageDimensions(Buffer.from('not an image')), undefined);
    });
  });

  test('the limiter never runs more than its width at once', async () => {
    const limit = createLimiter(4);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 2));
          running--;
        }),
      ),
    );
    assert.equal(peak, 4);
  });
});
