import * as assert from 'node:assert/strict';
import { galleryRequest } from '../../../src/webviews/gallery/protocol';
import { isThumbnailImage } from '../../../src/webviews/gallery/thumbnailImage';
import { generatorPageState, generatorRequest } from '../../../src/webviews/generator/protocol';
import {
  arrayOf,
  bytes,
  int,
  literal,
  object,
  optional,
  parse,
  str,
  tagged,
} from '../../../src/webviews/validate';

const ok = <T>(r: { ok: boolean; value?: T; error?: string }) => {
  assert.ok(r.ok, r.error);
  return r.value as T;
};
const rejected = (r: { ok: boolean; error?: string }, fragment?: string) => {
  assert.equal(r.ok, false);
  if (fragment) assert.match(r.error ?? '', new RegExp(fragment));
};

suite('webview message validation', () => {
  suite('combinators', () => {
    test('strings are checked for type, length and pattern, never coerced', () => {
      const v = str({ min: 1, max: 5, pattern: /^[a-z]+$/ });
      assert.equal(ok(parse(v, 'abc')), 'abc');
      rejected(parse(v, 42), 'expected string, got number');
      rejected(parse(v, ''), 'shorter');
      rejected(parse(v, 'abcdef'), 'longer');
      rejected(parse(v, 'ABC'), 'does not match');
      rejected(parse(v, new String('abc')), 'expected string');
    });

    test('integers reject floats, NaN, strings and out-of-range values', () => {
      const v = int({ min: 1, max: 10 });
      assert.equal(ok(parse(v, 10)), 10);
      for (const bad of [0, 11, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', null])
        rejected(parse(v, bad));
    });

    test('objects reject unknown keys, missing required keys, arrays, null and class instances', () => {
      const v = object({ a: str(), b: optional(int()) });
      assert.deepEqual(ok(parse(v, { a: 'x' })), { a: 'x' });
      assert.deepEqual(ok(parse(v, { a: 'x', b: 2 })), { a: 'x', b: 2 });
      rejected(parse(v, { a: 'x', c: 1 }), 'unexpected key "c"');
      rejected(parse(v, { b: 1 }), '^a: expected string');
      rejected(parse(v, { a: 'x', b: null }), '^b: expected integer');
      rejected(parse(v, ['x']), 'expected object, got array');
      rejected(parse(v, null), 'expected object, got null');
      rejected(
        parse(
          v,
          new (class {
            a = 'x';
          })(),
        ),
        'plain object',
      );
    });

    test('errors name the path of the offending value', () => {
      const v = object({ list: arrayOf(object({ id: str() }), { max: 3 }) });
      rejected(parse(v, { list: [{ id: 'a' }, { id: 1 }] }), String.raw`^list\[1\]\.id: expected string`);
      rejected(parse(v, { list: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] }), 'more than 3');
    });

    test('tagged unions dispatch on type and reject unknown or missing types', () => {
      const v = tagged({ a: object({ type: literal('a') }), b: object({ type: literal('b'), n: int() }) });
      assert.deepEqual(ok(parse(v, { type: 'b', n: 1 })), { type: 'b', n: 1 });
      rejected(parse(v, { type: 'c' }), 'unknown message type "c"');
      rejected(parse(v, { n: 1 }), 'unknown message type');
      rejected(parse(v, { type: 'toString' }), 'unknown message type');
      rejected(parse(v, { type: '__proto__' }), 'unknown message type');
      rejected(parse(v, 'a'), 'unknown message type');
    });

    test('binary data accepts typed arrays and ArrayBuffers within the size limit only', () => {
      const v = bytes({ min: 2, max: 4 });
      assert.deepEqual([...ok(parse(v, new Uint8Array([1, 2, 3])))], [1, 2, 3]);
      assert.deepEqual([...ok(parse(v, new Uint8Array([9, 1, 2, 3]).buffer))], [9, 1, 2, 3]);
      assert.deepEqual([...ok(parse(v, new Uint8Array([0, 7, 8, 0]).subarray(1, 3)))], [7, 8]);
      rejected(parse(v, new Uint8Array(5)), 'outside');
      rejected(parse(v, new Uint8Array(1)), 'outside');
      rejected(parse(v, [1, 2, 3]), 'expected binary data, got array');
      rejected(parse(v, { 0: 1, 1: 2 }), 'expected binary data, got object');
      rejected(parse(v, 'AQID'), 'expected binary data, got string');
    });
  });

  suite('generator page messages', () => {
    test('accepts each well-formed message', () => {
      const good = [
        { type: 'ready' },
        {
          type: 'generate',
          requestId: 1,
          prompt: '一只猫，油画风格',
          model: 'dall-e-3',
          size: '1024x1792',
          n: 10,
        },
        { type: 'cancel', requestId: 1 },
        { type: 'insertFile', requestId: 2, id: '0b7c6a7e-5f7e-4c1a-9a55-2f1d6c1e3b11' },
        { type: 'insertUrl', requestId: 3, id: 'abc' },
        { type: 'copyMarkdown', requestId: 4, id: 'abc' },
        { type: 'open', requestId: 5, id: 'abc' },
        { type: 'clearResults' },
      ];
      for (const m of good) assert.deepEqual(ok(parse(generatorRequest, m)), m);
    });

    test('rejects wrong shapes and types', () => {
      const bad: [unknown, string][] = [
        [
          { type: 'generate', requestId: 1, prompt: 'x', model: 'm', size: '1024x1024', n: 11 },
          'n: out of range',
        ],
        [
          { type: 'generate', requestId: 1, prompt: 'x', model: 'm', size: '1024x1024', n: '2' },
          'n: expected integer',
        ],
        [
          { type: 'generate', requestId: 1, prompt: '', model: 'm', size: '1024x1024', n: 1 },
          'prompt: shorter',
        ],
        [{ type: 'generate', requestId: 1, prompt: 'x', model: 'm', size: '1024 x 1024', n: 1 }, 'size'],
        [{ type: 'generate', requestId: 1, prompt: 'x', model: 'm', size: '0x1', n: 1 }, 'size'],
        [{ type: 'generate', requestId: 1, prompt: 'x', model: '', size: '1024x1024', n: 1 }, 'model'],
        [{ type: 'generate', requestId: -1, prompt: 'x', model: 'm', size: '1024x1024', n: 1 }, 'requestId'],
        [{ type: 'generate', prompt: 'x', model: 'm', size: '1024x1024', n: 1 }, 'requestId'],
        [{ type: 'insertFile', requestId: 1, id: 'abc', path: '/etc/passwd' }, 'unexpected key "path"'],
        [{ type: 'insertFile', requestId: 1, id: '../../secret' }, 'id: does not match'],
        [{ type: 'open', requestId: 1, id: 'file:///etc/passwd' }, 'id: does not match'],
        [{ type: 'ready', extra: true }, 'unexpected key'],
        [{ type: 'saveFile', requestId: 1, id: 'abc' }, 'unknown message type'],
        [null, 'unknown message type'],
        [undefined, 'unknown message type'],
      ];
      for (const [m, fragment] of bad) rejected(parse(generatorRequest, m), fragment);
    });

    test('saved page state is restored only with the right types', () => {
      const state = {
        prompt: 'p',
        model: 'm',
        size: '1024x',
        n: 2,
        resultIds: ['a', 'b'],
        chipLanguage: 'zh',
      };
      assert.deepEqual(ok(parse(generatorPageState, state)), state);
      rejected(parse(generatorPageState, { ...state, resultIds: ['a/../b'] }));
      rejected(parse(generatorPageState, { ...state, chipLanguage: 'fr' }));
      rejected(parse(generatorPageState, { ...state, n: 0 }));
    });
  });

  suite('gallery page messages', () => {
    const webp = new Uint8Array([...Buffer.from('RIFF'), 1, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);

    test('accepts each well-formed message', () => {
      for (const type of ['insert', 'copyMarkdown', 'open', 'reveal', 'reuse', 'regenerate', 'delete']) {
        assert.deepEqual(ok(parse(galleryRequest, { type, requestId: 7, id: 'x1' })), {
          type,
          requestId: 7,
          id: 'x1',
        });
      }
      for (const type of ['clearAll', 'clearCache', 'openGenerator']) {
        assert.deepEqual(ok(parse(galleryRequest, { type, requestId: 7 })), { type, requestId: 7 });
      }
      const thumb = ok(parse(galleryRequest, { type: 'thumbnail', id: 'x1', data: webp }));
      assert.equal(thumb.type, 'thumbnail');
    });

    test('rejects paths, missing ids, oversized or non-binary thumbnails', () => {
      rejected(parse(galleryRequest, { type: 'delete', requestId: 1 }), 'id: expected string');
      rejected(parse(galleryRequest, { type: 'delete', requestId: 1, id: 'C:\\Users\\x' }), 'does not match');
      rejected(parse(galleryRequest, { type: 'clearAll', requestId: 1, id: 'x' }), 'unexpected key');
      rejected(
        parse(galleryRequest, { type: 'thumbnail', id: 'x1', data: 'data:image/webp;base64,AAAA' }),
        'binary',
      );
      rejected(
        parse(galleryRequest, { type: 'thumbnail', id: 'x1', data: new Uint8Array(256 * 1024 + 1) }),
        'outside',
      );
      rejected(
        parse(galleryRequest, { type: 'thumbnail', id: 'x1', data: webp, path: 'thumbs/x.webp' }),
        'unexpected key',
      );
    });

    test('windows of items: the first screen with ready, later ones by search and index', () => {
      assert.deepEqual(ok(parse(galleryRequest, { type: 'ready' })), { type: 'ready' });
      const ready = { type: 'ready', query: 'harbour', start: 0, end: 40 };
      assert.deepEqual(ok(parse(galleryRequest, ready)), ready);
      const window = { type: 'window', query: '', start: 9_900, end: 10_000 };
      assert.deepEqual(ok(parse(galleryRequest, window)), window);
      rejected(parse(galleryRequest, { type: 'window', query: '', start: -1, end: 10 }), 'start');
      rejected(parse(galleryRequest, { type: 'window', query: '', start: 0, end: 1.5 }), 'end');
      rejected(parse(galleryRequest, { type: 'window', start: 0, end: 10 }), 'query');
      rejected(parse(galleryRequest, { type: 'window', query: 'x'.repeat(1001), start: 0, end: 1 }), 'query');
      rejected(parse(galleryRequest, { type: 'ready', query: 7 }), 'query');
    });

    test('only WebP or PNG bytes count as a thumbnail', () => {
      assert.ok(isThumbnailImage(webp));
      assert.ok(
        isThumbnailImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])),
      );
      assert.ok(!isThumbnailImage(new TextEncoder().encode('<svg onload=alert(1)>')));
      assert.ok(
        !isThumbnailImage(new Uint8Array([...Buffer.from('RIFF'), 1, 0, 0, 0, ...Buffer.from('WAVEfmt ')])),
      );
    });
  });
});
