import * as assert from 'node:assert/strict';
import { buildRequestBody, validateRequest } from '../../../src/core/request';
import type { GenerationRequest } from '../../../src/core/types';

const base: GenerationRequest = { prompt: '一只猫 🐱', model: 'qh-draw-x2-preview', size: '1024x1024', n: 2 };

suite('core/request', () => {
  suite('buildRequestBody', () => {
    test('the four core fields', () => {
      assert.deepEqual(buildRequestBody(base), {
        prompt: '一只猫 🐱',
        model: 'qh-draw-x2-preview',
        size: '1024x1024',
        n: 2,
      });
    });
    test('extraParameters and extra are merged; extra beats extraParameters', () => {
      const body = buildRequestBody({
        ...base,
        extraParameters: { quality: 'hd', style: 'vivid', response_format: 'b64_json' },
        extra: { style: 'natural', negative_prompt: 'blurry' },
      });
      assert.deepEqual(body, {
        quality: 'hd',
        style: 'natural',
        response_format: 'b64_json',
        negative_prompt: 'blurry',
        prompt: '一只猫 🐱',
        model: 'qh-draw-x2-preview',
        size: '1024x1024',
        n: 2,
      });
    });
    test('the core fields always win over extras', () => {
      const body = buildRequestBody({
        ...base,
        extraParameters: { prompt: 'evil', model: 'other', size: '1x1', n: 99 },
        extra: { prompt: 'evil2', n: 50 },
      });
      assert.equal(body.prompt, '一只猫 🐱');
      assert.equal(body.model, 'qh-draw-x2-preview');
      assert.equal(body.size, '1024x1024');
      assert.equal(body.n, 2);
    });
    test('undefined values are dropped, null kept', () => {
      const body = buildRequestBody({ ...base, extraParameters: { a: undefined, b: null, c: 0, d: false } });
      assert.ok(!('a' in body));
      assert.equal(body.b, null);
      assert.equal(body.c, 0);
      assert.equal(body.d, false);
      assert.equal(JSON.stringify(body).includes('"a"'), false);
    });
    test('non-object extras are ignored', () => {
      const req = {
        ...base,
        extraParameters: ['x'] as unknown as Record<string, unknown>,
        extra: null as unknown as Record<string, unknown>,
      };
      assert.deepEqual(Object.keys(buildRequestBody(req)).sort(), ['model', 'n', 'prompt', 'size']);
    });
    test('a __proto__ key from JSON settings stays data and pollutes nothing', () => {
      const extraParameters = JSON.parse('{"__proto__": {"polluted": true}, "quality": "hd"}') as Record<
        string,
        unknown
      >;
      const body = buildRequestBody({ ...base, extraParameters });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf(body), Object.prototype);
      assert.equal(body.quality, 'hd');
    });
    test('the input objects are not modified', () => {
      const extraParameters = { quality: 'hd', gone: undefined };
      buildRequestBody({ ...base, extraParameters });
      assert.deepEqual(Object.keys(extraParameters), ['quality', 'gone']);
    });
  });

  suite('validateRequest', () => {
    test('a good request', () => {
      assert.equal(validateRequest(base), undefined);
      assert.equal(validateRequest({ ...base, size: '1024×1024', n: 10 }), undefined);
      assert.equal(validateRequest({ ...base, size: 'auto', n: 1 }), undefined);
    });
    test('emptyPrompt', () => {
      assert.equal(validateRequest({ ...base, prompt: '' }), 'emptyPrompt');
      assert.equal(validateRequest({ ...base, prompt: ' \n\t ' }), 'emptyPrompt');
    });
    test('emptyModel', () => {
      assert.equal(validateRequest({ ...base, model: '' }), 'emptyModel');
      assert.equal(validateRequest({ ...base, model: '  ' }), 'emptyModel');
    });
    test('badSize', () => {
      for (const size of ['', '1024', 'big', '10x10', '1024x99999'])
        assert.equal(validateRequest({ ...base, size }), 'badSize', size);
    });
    test('badCount', () => {
      for (const n of [0, -1, 11, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
        assert.equal(validateRequest({ ...base, n }), 'badCount', String(n));
    });
    test('the first problem is reported', () => {
      assert.equal(validateRequest({ prompt: '', model: '', size: '', n: 0 }), 'emptyPrompt');
      assert.equal(validateRequest({ ...base, model: '', size: '' }), 'emptyModel');
    });
  });
});
