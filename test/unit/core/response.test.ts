import * as assert from 'node:assert/strict';
import {
  classifyHttpError,
  extractProviderMessage,
  parseGenerationResponse,
  parseModelList,
} from '../../../src/core/response';

const HOST = 'api.qhaigc.net';
const PNG_B64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString('base64');

function expectBad(result: ReturnType<typeof parseGenerationResponse>, cause?: string): void {
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.kind, 'badResponse');
  assert.equal(result.error.host, HOST);
  if (cause) assert.equal(result.error.cause, cause);
}

suite('core/response', () => {
  suite('parseGenerationResponse', () => {
    test('the seed shape: created + data[].url', () => {
      const body = JSON.stringify({ created: 123, data: [{ url: 'https://cdn.qhaigc.net/a.png' }] });
      assert.deepEqual(parseGenerationResponse(body, 'application/json', HOST), {
        ok: true,
        value: { created: 123, images: [{ url: 'https://cdn.qhaigc.net/a.png' }] },
      });
    });
    test('b64_json and revised_prompt', () => {
      const body = JSON.stringify({ data: [{ b64_json: PNG_B64, revised_prompt: 'A cute cat 🐱' }] });
      const result = parseGenerationResponse(body, 'application/json; charset=utf-8', HOST);
      assert.deepEqual(result, {
        ok: true,
        value: { images: [{ b64Json: PNG_B64, revisedPrompt: 'A cute cat 🐱' }] },
      });
    });
    test('several images, mixed url and b64_json', () => {
      const body = JSON.stringify({
        data: [{ url: 'http://127.0.0.1:8787/i/1.png' }, { b64_json: PNG_B64 }],
      });
      const result = parseGenerationResponse(body, undefined, HOST);
      assert.ok(result.ok);
      assert.deepEqual(result.value.images, [{ url: 'http://127.0.0.1:8787/i/1.png' }, { b64Json: PNG_B64 }]);
    });
    test('b64_json with a data: prefix and line breaks is normalized', () => {
      const wrapped = `data:image/png;base64,${PNG_B64.slice(0, 8)}\n${PNG_B64.slice(8)}\r\n`;
      const result = parseGenerationResponse(
        JSON.stringify({ data: [{ b64_json: wrapped }] }),
        'application/json',
        HOST,
      );
      assert.ok(result.ok);
      assert.equal(result.value.images[0].b64Json, PNG_B64);
    });
    test('a data: URL in url is taken as base64', () => {
      const result = parseGenerationResponse(
        JSON.stringify({ data: [{ url: `data:image/png;base64,${PNG_B64}` }] }),
        'application/json',
        HOST,
      );
      assert.ok(result.ok);
      assert.deepEqual(result.value.images[0], { b64Json: PNG_B64 });
    });
    test('with both url and b64_json, exactly one is kept: the URL', () => {
      const result = parseGenerationResponse(
        JSON.stringify({ data: [{ url: 'https://x.com/a.png', b64_json: PNG_B64 }] }),
        undefined,
        HOST,
      );
      assert.ok(result.ok);
      assert.deepEqual(result.value.images[0], { url: 'https://x.com/a.png' });
    });
    test('a relative url is resolved against baseUrl when given, refused without', () => {
      const body = JSON.stringify({ data: [{ url: '/files/a b.png' }] });
      const resolved = parseGenerationResponse(
        body,
        undefined,
        HOST,
        'https://api.qhaigc.net/v1/images/generations',
      );
      assert.ok(resolved.ok);
      assert.equal(resolved.value.images[0].url, 'https://api.qhaigc.net/files/a%20b.png');
      expectBad(parseGenerationResponse(body, undefined, HOST), 'badItem');
    });
    test('a UTF-8 BOM is tolerated', () => {
      const result = parseGenerationResponse(
        `\uFEFF${JSON.stringify({ data: [{ url: 'https://x.com/a.png' }] })}`,
        undefined,
        HOST,
      );
      assert.ok(result.ok);
    });
    test('HTML, even with status 200', () => {
      const html = '<!DOCTYPE html><html><body>Welcome to nginx!</body></html>';
      const result = parseGenerationResponse(html, 'text/html', HOST);
      expectBad(result, 'html');
      assert.ok(!result.ok && result.error.bodyExcerpt === html);
      expectBad(parseGenerationResponse('<html>', 'application/json', HOST), 'html');
    });
    test('truncated JSON, empty body, plain text', () => {
      expectBad(
        parseGenerationResponse('{"data":[{"url":"https://x.com/a.p', 'application/json', HOST),
        'notJson',
      );
      expectBad(parseGenerationResponse('', 'application/json', HOST), 'emptyBody');
      expectBad(parseGenerationResponse('OK', 'text/plain', HOST), 'notJson');
    });
    test('JSON that is not an object', () => {
      expectBad(
        parseGenerationResponse('[{"url":"https://x.com/a.png"}]', 'application/json', HOST),
        'notObject',
      );
      expectBad(parseGenerationResponse('null', 'application/json', HOST), 'notObject');
      expectBad(parseGenerationResponse('"x"', 'application/json', HOST), 'notObject');
    });
    test('missing or empty data', () => {
      expectBad(parseGenerationResponse('{"created":1}', 'application/json', HOST), 'noData');
      expectBad(parseGenerationResponse('{"data":{}}', 'application/json', HOST), 'noData');
      expectBad(parseGenerationResponse('{"data":[]}', 'application/json', HOST), 'emptyData');
    });
    test('an error object with status 200 keeps the provider message', () => {
      const result = parseGenerationResponse('{"error":{"message":"余额不足"}}', 'application/json', HOST);
      expectBad(result, 'noData');
      assert.ok(!result.ok && result.error.providerMessage === '余额不足');
    });
    test('an item with neither url nor b64_json, or not an object', () => {
      expectBad(parseGenerationResponse('{"data":[{"revised_prompt":"x"}]}', undefined, HOST), 'badItem');
      expectBad(parseGenerationResponse('{"data":[{"url":""}]}', undefined, HOST), 'badItem');
      expectBad(parseGenerationResponse('{"data":["https://x.com/a.png"]}', undefined, HOST), 'badItem');
      expectBad(
        parseGenerationResponse('{"data":[{"url":"ftp://x.com/a.png"}]}', undefined, HOST),
        'badItem',
      );
      expectBad(
        parseGenerationResponse('{"data":[{"url":"javascript:alert(1)"}]}', undefined, HOST),
        'badItem',
      );
      expectBad(parseGenerationResponse('{"data":[{"url":123}]}', undefined, HOST), 'badItem');
    });
    test('one bad item does not spoil the others: they are kept, the bad ones listed', () => {
      const body = JSON.stringify({
        data: [
          {},
          { url: 'https://x.com/a.png' },
          { b64_json: 'not base64!' },
          { url: 'https://x.com/b.png' },
        ],
      });
      const result = parseGenerationResponse(body, undefined, HOST);
      assert.ok(result.ok);
      assert.deepEqual(
        result.value.images.map((i) => i.url),
        ['https://x.com/a.png', 'https://x.com/b.png'],
      );
      assert.deepEqual(result.value.unusable, [
        { index: 0, cause: 'badItem' },
        { index: 2, cause: 'badBase64' },
      ]);
      expectBad(
        parseGenerationResponse(JSON.stringify({ data: [{}, { url: 7 }] }), undefined, HOST),
        'badItem',
      );
    });
    test('invalid base64', () => {
      for (const b64 of ['not base64!', 'AAA', 'A===', 'AA=A', '****', 'YWJj-_8=']) {
        expectBad(
          parseGenerationResponse(JSON.stringify({ data: [{ b64_json: b64 }] }), undefined, HOST),
          'badBase64',
        );
      }
    });
    test('an empty b64_json counts as missing', () => {
      expectBad(
        parseGenerationResponse(JSON.stringify({ data: [{ b64_json: '' }] }), undefined, HOST),
        'badItem',
      );
      expectBad(
        parseGenerationResponse(JSON.stringify({ data: [{ b64_json: '   ' }] }), undefined, HOST),
        'badItem',
      );
    });
    test('the excerpt is the first 500 characters', () => {
      const body = `<html>${'x'.repeat(2000)}`;
      const result = parseGenerationResponse(body, 'text/html', HOST);
      assert.ok(!result.ok);
      assert.equal(result.error.bodyExcerpt, body.slice(0, 500));
    });
    test('the excerpt never ends in half an emoji', () => {
      const body = `${'x'.repeat(499)}🐱🐱`;
      const result = parseGenerationResponse(body, 'text/plain', HOST);
      assert.ok(!result.ok);
      assert.equal(result.error.bodyExcerpt, 'x'.repeat(499));
    });
    test('an empty revised_prompt is dropped, created must be a number', () => {
      const result = parseGenerationResponse(
        JSON.stringify({ created: 'now', data: [{ url: 'https://x.com/a.png', revised_prompt: '' }] }),
        undefined,
        HOST,
      );
      assert.deepEqual(result, { ok: true, value: { images: [{ url: 'https://x.com/a.png' }] } });
    });
  });

  suite('classifyHttpError', () => {
    const cases: Array<[number, string]> = [
      [400, 'badRequest'],
      [401, 'auth'],
      [402, 'badRequest'],
      [403, 'auth'],
      [404, 'notFound'],
      [405, 'badRequest'],
      [408, 'unavailable'],
      [409, 'badRequest'],
      [413, 'badRequest'],
      [422, 'badRequest'],
      [429, 'rateLimit'],
      [451, 'badRequest'],
      [500, 'unavailable'],
      [502, 'unavailable'],
      [503, 'unavailable'],
      [504, 'unavailable'],
      [520, 'unavailable'],
      [200, 'badResponse'],
      [304, 'badResponse'],
    ];
    for (const [status, kind] of cases) {
      test(`${status} → ${kind}`, () => {
        const error = classifyHttpError(status, '', HOST);
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.equal(error.host, HOST);
      });
    }
    test('carries the provider message and the excerpt', () => {
      const body = JSON.stringify({
        error: { message: 'Invalid size: 10x10', type: 'invalid_request_error' },
        pad: 'p'.repeat(1000),
      });
      const error = classifyHttpError(400, body, HOST);
      assert.equal(error.providerMessage, 'Invalid size: 10x10');
      assert.equal(error.bodyExcerpt, body.slice(0, 500));
    });
    test('no provider message for an HTML error page', () => {
      const error = classifyHttpError(502, '<html><h1>502 Bad Gateway</h1></html>', HOST);
      assert.equal(error.providerMessage, undefined);
      assert.ok(!('providerMessage' in error));
      assert.equal(error.bodyExcerpt, '<html><h1>502 Bad Gateway</h1></html>');
    });
  });

  suite('extractProviderMessage', () => {
    test('OpenAI shape', () => {
      assert.equal(
        extractProviderMessage(
          '{"error":{"message":"  Your request was rejected by the safety system.  ","code":"content_policy_violation"}}',
        ),
        'Your request was rejected by the safety system.',
      );
    });
    test('error string, message, detail', () => {
      assert.equal(extractProviderMessage('{"error":"invalid model"}'), 'invalid model');
      assert.equal(extractProviderMessage('{"message":"令牌无效"}'), '令牌无效');
      assert.equal(extractProviderMessage('{"detail":"Not authenticated"}'), 'Not authenticated');
    });
    test('FastAPI validation detail list', () => {
      assert.equal(
        extractProviderMessage('{"detail":[{"msg":"field required"},{"msg":"bad size"}]}'),
        'field required; bad size',
      );
    });
    test('precedence: error.message first', () => {
      assert.equal(extractProviderMessage('{"error":{"message":"inner"},"message":"outer"}'), 'inner');
      assert.equal(extractProviderMessage('{"error":{"code":"x"},"message":"outer"}'), 'outer');
    });
    test('at most 500 characters', () => {
      const message = extractProviderMessage(JSON.stringify({ error: { message: 'm'.repeat(800) } }));
      assert.equal(message?.length, 500);
    });
    test('nothing usable', () => {
      for (const body of [
        '',
        'oops',
        '<html></html>',
        '[]',
        '{}',
        '{"error":{"message":""}}',
        '{"error":{"message":42}}',
        '{"message":"   "}',
        'null',
      ]) {
        assert.equal(extractProviderMessage(body), undefined, body);
      }
    });
  });

  suite('parseModelList', () => {
    test('OpenAI shape', () => {
      const body = JSON.stringify({
        object: 'list',
        data: [{ id: 'dall-e-3', object: 'model' }, { id: 'gpt-image-1' }],
      });
      assert.deepEqual(parseModelList(body), ['dall-e-3', 'gpt-image-1']);
    });
    test('tolerated variants, duplicates and junk items', () => {
      assert.deepEqual(parseModelList('[{"id":"a"},"b"]'), ['a', 'b']);
      assert.deepEqual(parseModelList('{"models":["flux"]}'), ['flux']);
      assert.deepEqual(parseModelList('{"data":[{"id":"a"},{"id":"a"},{"name":"x"},{"id":""},null,3]}'), [
        'a',
      ]);
      assert.deepEqual(parseModelList('{"data":[]}'), []);
    });
    test('not a model list', () => {
      for (const body of ['', '<html>', '{}', '{"data":{}}', '"x"', 'null'])
        assert.equal(parseModelList(body), undefined, body);
    });
  });
});
