import * as assert from 'node:assert/strict';
import {
  BUILTIN_CAPABILITIES,
  builtinCapabilities,
  describeSizeRule,
  nearestSize,
  sizeFits,
  type SizeRule,
} from '../../../src/core/capabilities';
import { BUILTIN_MODELS, findModel, mergeCatalog } from '../../../src/core/catalog';
import { applyCapabilities } from '../../../src/core/modelRequest';
import { buildRequestBody } from '../../../src/core/request';
import { imageKindOf, parseProviderModels } from '../../../src/core/providerModels';
import type { GenerationRequest } from '../../../src/core/types';

const gpt2 = BUILTIN_CAPABILITIES['gpt-image-2'].sizeRule as SizeRule;
const req = (
  model: string,
  extra: Record<string, unknown> = {},
  size = '1024x1024',
  n = 1,
): GenerationRequest => ({
  prompt: 'a fox',
  model,
  size,
  n,
  extra,
});
const bodyFor = (model: string, extra: Record<string, unknown> = {}, size = '1024x1024', n = 1) => {
  const check = applyCapabilities(req(model, extra, size, n), findModel(BUILTIN_MODELS, model).capabilities);
  assert.ok(check.ok, JSON.stringify(check));
  return { body: buildRequestBody(check.request), notes: check.notes, stream: check.stream };
};

suite('core/capabilities', () => {
  suite('catalog', () => {
    test('seed models first, then OpenAI image models, each with its limits', () => {
      assert.deepEqual(
        BUILTIN_MODELS.map((m) => m.id),
        [
          'qh-draw-x2-preview',
          'qh-draw-x1-pro',
          'dall-e-3',
          'nano-banana-2',
          'gpt-image-2',
          'gpt-image-1.5',
          'gpt-image-1',
          'gpt-image-1-mini',
          'dall-e-2',
        ],
      );
      assert.equal(findModel(BUILTIN_MODELS, 'dall-e-3').maxPerRequest, 1);
      assert.equal(findModel(BUILTIN_MODELS, 'qh-draw-x2-preview').capabilities, undefined);
      assert.deepEqual(findModel(BUILTIN_MODELS, 'dall-e-2').sizes, ['256x256', '512x512', '1024x1024']);
    });
    test('edits: GPT image models and dall-e-2 yes, dall-e-3 no, the seed models unknown', () => {
      for (const id of ['gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'gpt-image-2', 'dall-e-2'])
        assert.equal(findModel(BUILTIN_MODELS, id).capabilities?.edits, true, id);
      assert.equal(findModel(BUILTIN_MODELS, 'dall-e-3').capabilities?.edits, false);
      assert.equal(findModel(BUILTIN_MODELS, 'nano-banana-2').capabilities?.edits, undefined);
    });
    test('input_fidelity on gpt-image-1, 1.5 and 2 but not mini; style only on dall-e-3', () => {
      assert.ok(findModel(BUILTIN_MODELS, 'gpt-image-1').capabilities?.inputFidelity);
      assert.equal(findModel(BUILTIN_MODELS, 'gpt-image-1-mini').capabilities?.inputFidelity, undefined);
      assert.deepEqual(findModel(BUILTIN_MODELS, 'dall-e-3').capabilities?.style, ['vivid', 'natural']);
      assert.equal(findModel(BUILTIN_MODELS, 'gpt-image-1').capabilities?.style, undefined);
    });
    test('a dated snapshot inherits its family; an unknown id stays unknown', () => {
      assert.equal(builtinCapabilities('gpt-image-2-2026-04-21'), BUILTIN_CAPABILITIES['gpt-image-2']);
      assert.equal(findModel(BUILTIN_MODELS, 'gpt-image-2-2026-04-21').capabilities?.sizeRule?.kind, 'grid');
      assert.equal(findModel(BUILTIN_MODELS, 'my-own-model').capabilities, undefined);
    });
  });

  suite('size rules', () => {
    test('gpt-image-2: divisible by 16, 1:3 to 3:1, up to 3840×2160', () => {
      for (const ok of ['1024x1024', '1536x864', '3840x2160', '2160x3840', '3840x1280', '1280x3840', 'auto'])
        assert.ok(sizeFits(gpt2, ok), ok);
      for (const bad of [
        '1000x1000',
        '3856x2160',
        '3840x2176',
        '4096x1024',
        '1024x4096',
        '3200x3200',
        '1920x1081',
      ])
        assert.ok(!sizeFits(gpt2, bad), bad);
    });
    test('lists: exact members only; auto only where allowed', () => {
      const dalle3 = BUILTIN_CAPABILITIES['dall-e-3'].sizeRule;
      assert.ok(sizeFits(dalle3, '1792x1024'));
      assert.ok(!sizeFits(dalle3, '1536x1024'));
      assert.ok(!sizeFits(dalle3, 'auto'));
      assert.ok(sizeFits(BUILTIN_CAPABILITIES['gpt-image-1'].sizeRule, 'auto'));
      assert.ok(sizeFits(undefined, '123x456'));
    });
    test('nearest size in a list keeps the shape', () => {
      const gpt1 = BUILTIN_CAPABILITIES['gpt-image-1'].sizeRule;
      assert.equal(nearestSize(gpt1, '1792x1024'), '1536x1024');
      assert.equal(nearestSize(gpt1, '720x1280'), '1024x1536');
      assert.equal(nearestSize(gpt1, '1024x1024'), undefined);
      assert.equal(nearestSize(BUILTIN_CAPABILITIES['dall-e-2'].sizeRule, '1280x720'), '1024x1024');
      assert.equal(nearestSize(BUILTIN_CAPABILITIES['dall-e-3'].sizeRule, '1280x720'), '1792x1024');
    });
    test('nearest size on the gpt-image-2 grid snaps, clamps the ratio and shrinks into the limit', () => {
      assert.equal(nearestSize(gpt2, '1000x1000'), '1008x1008');
      assert.equal(nearestSize(gpt2, '1920x1081'), '1920x1088');
      const wide = nearestSize(gpt2, '4000x1000') as string;
      assert.ok(sizeFits(gpt2, wide), wide);
      const [w, h] = wide.split('x').map(Number);
      assert.ok(w / h <= 3 && w / h > 2.8, wide);
      const huge = nearestSize(gpt2, '8000x8000') as string;
      assert.ok(sizeFits(gpt2, huge), huge);
      assert.equal(huge.split('x')[0], huge.split('x')[1]);
      for (const size of ['777x333', '5000x2000', '64x3000', '3841x2161'])
        assert.ok(sizeFits(gpt2, nearestSize(gpt2, size) as string), size);
    });
    test('described in one line', () => {
      assert.equal(describeSizeRule(gpt2), 'W×H ÷16, 1:3–3:1, ≤ 3840×2160');
      assert.equal(
        describeSizeRule(BUILTIN_CAPABILITIES['dall-e-2'].sizeRule as SizeRule),
        '256x256, 512x512, 1024x1024',
      );
    });
  });

  suite('request bodies per model', () => {
    test('gpt-image-1 streams one image: stream true, partial_images 2', () => {
      const { body, stream } = bodyFor('gpt-image-1', { quality: 'high' });
      assert.equal(stream, true);
      assert.deepEqual(body, {
        quality: 'high',
        stream: true,
        partial_images: 2,
        prompt: 'a fox',
        model: 'gpt-image-1',
        size: '1024x1024',
        n: 1,
      });
    });
    test('a partial_images the user chose is kept; 4 is refused', () => {
      assert.equal(bodyFor('gpt-image-1-mini', { partial_images: 0 }).body.partial_images, 0);
      const check = applyCapabilities(
        req('gpt-image-1', { partial_images: 4 }),
        BUILTIN_CAPABILITIES['gpt-image-1'],
      );
      assert.deepEqual(check.ok ? undefined : check.problem, {
        kind: 'option',
        option: 'partial_images',
        value: '4',
        allowed: ['0–3'],
      });
    });
    test('n > 1 and stream:false are sent without streaming', () => {
      assert.equal(bodyFor('gpt-image-1', {}, '1024x1024', 3).body.stream, undefined);
      const { body } = bodyFor('gpt-image-1.5', { stream: false });
      assert.equal(body.stream, undefined);
      assert.equal(body.partial_images, undefined);
      const noStream = applyCapabilities(req('gpt-image-1'), BUILTIN_CAPABILITIES['gpt-image-1'], {
        wantStream: false,
      });
      assert.ok(noStream.ok && !noStream.stream && buildRequestBody(noStream.request).stream === undefined);
    });
    test('dall-e-3 takes quality hd and style; stream and background are dropped visibly', () => {
      const { body, notes, stream } = bodyFor('dall-e-3', {
        quality: 'hd',
        style: 'natural',
        background: 'transparent',
        stream: true,
      });
      assert.equal(stream, false);
      assert.equal(body.quality, 'hd');
      assert.equal(body.style, 'natural');
      assert.equal(body.background, undefined);
      assert.equal(body.stream, undefined);
      assert.deepEqual(notes, [
        { kind: 'dropped', option: 'background' },
        { kind: 'dropped', option: 'stream' },
      ]);
    });
    test('dall-e-2 takes none of the options', () => {
      const { body, notes } = bodyFor('dall-e-2', { quality: 'high', moderation: 'low' }, '512x512');
      assert.deepEqual(body, { prompt: 'a fox', model: 'dall-e-2', size: '512x512', n: 1 });
      assert.equal(notes.length, 2);
    });
    test('a value the model does not take is refused with the allowed values', () => {
      const check = applyCapabilities(
        req('gpt-image-1', { quality: 'hd' }),
        BUILTIN_CAPABILITIES['gpt-image-1'],
      );
      assert.deepEqual(check.ok ? undefined : check.problem, {
        kind: 'option',
        option: 'quality',
        value: 'hd',
        allowed: ['auto', 'low', 'medium', 'high'],
      });
    });
    test('transparent with jpeg becomes png; compression only with jpeg/webp, 0–100', () => {
      const t = bodyFor('gpt-image-1', {
        background: 'transparent',
        output_format: 'jpeg',
        output_compression: 50,
      });
      assert.equal(t.body.output_format, 'png');
      assert.equal(t.body.output_compression, undefined);
      assert.deepEqual(t.notes, [
        { kind: 'changed', option: 'output_format', from: 'jpeg', to: 'png' },
        { kind: 'dropped', option: 'output_compression' },
      ]);
      assert.equal(
        bodyFor('gpt-image-2', { output_format: 'webp', output_compression: 60 }).body.output_compression,
        60,
      );
      const bad = applyCapabilities(
        req('gpt-image-2', { output_format: 'webp', output_compression: 101 }),
        BUILTIN_CAPABILITIES['gpt-image-2'],
      );
      assert.equal(bad.ok, false);
    });
    test('response_format is dropped for GPT image models, kept for dall-e', () => {
      assert.equal(bodyFor('gpt-image-1', { response_format: 'b64_json' }).body.response_format, undefined);
      assert.equal(bodyFor('dall-e-3', { response_format: 'b64_json' }).body.response_format, 'b64_json');
    });
    test('a size the model cannot do is refused with the nearest valid size', () => {
      const check = applyCapabilities(req('dall-e-3', {}, '1280x720'), BUILTIN_CAPABILITIES['dall-e-3']);
      assert.equal(check.ok, false);
      if (!check.ok) {
        assert.equal(check.problem.kind, 'size');
        assert.equal(check.problem.kind === 'size' ? check.problem.nearest : '', '1792x1024');
      }
      assert.ok(
        applyCapabilities(req('gpt-image-2', {}, '1536×864'), BUILTIN_CAPABILITIES['gpt-image-2']).ok,
      );
    });
    test('unknown capabilities: the body is exactly what the user asked for', () => {
      const check = applyCapabilities(
        {
          ...req('qh-draw-x2-preview', { style: 'x' }, '720x1280'),
          extraParameters: { negative_prompt: 'blur', quality: 'hd' },
        },
        undefined,
      );
      assert.ok(check.ok);
      assert.equal(check.stream, false);
      assert.deepEqual(buildRequestBody(check.request), {
        negative_prompt: 'blur',
        quality: 'hd',
        style: 'x',
        prompt: 'a fox',
        model: 'qh-draw-x2-preview',
        size: '720x1280',
        n: 1,
      });
    });
  });

  suite('settings and /models', () => {
    test('settings add capability fields and a size rule; bad fields are ignored', () => {
      const [model] = mergeCatalog(
        [
          {
            id: 'my-gpt',
            quality: ['low', 'high'],
            stream: true,
            edits: 'yes',
            sizeRule: { multipleOf: 64, maxRatio: 2, maxEdge: 2048, maxPixels: 2048 * 1024 },
          },
        ],
        [],
      ).filter((m) => m.id === 'my-gpt');
      assert.deepEqual(model.capabilities?.quality, ['low', 'high']);
      assert.equal(model.capabilities?.stream, true);
      assert.equal(model.capabilities?.edits, undefined);
      assert.ok(sizeFits(model.capabilities?.sizeRule, '2048x1024'));
      assert.ok(!sizeFits(model.capabilities?.sizeRule, '2048x960'));
    });
    test('settings override one capability of a built-in and widen its size list', () => {
      const catalog = mergeCatalog([{ id: 'dall-e-3', sizes: ['1024x1024', '1280x720'], style: [] }]);
      const dalle = findModel(catalog, 'dall-e-3');
      assert.equal(dalle.capabilities?.style, undefined);
      assert.deepEqual(dalle.capabilities?.quality, ['standard', 'hd']);
      assert.ok(sizeFits(dalle.capabilities?.sizeRule, '1280x720'));
    });
    test('启航-style tags: only the image models are listed', () => {
      const list = parseProviderModels({
        data: [
          { id: 'gpt-4o', tags: ['对话'] },
          { id: 'flux-dev', tags: '绘图,开源' },
          { id: 'text-embedding-3', group: 'embedding' },
          { id: 'seedream-4', group: '绘图' },
          { id: 'kling-image', supported_endpoint_types: ['image-generation'] },
        ],
      });
      assert.deepEqual(list, [
        { id: 'gpt-4o', image: false },
        { id: 'flux-dev', image: true },
        { id: 'text-embedding-3', image: false },
        { id: 'seedream-4', image: true },
        { id: 'kling-image', image: true },
      ]);
      const ids = mergeCatalog([], list)
        .filter((m) => m.source === 'provider')
        .map((m) => m.id);
      assert.deepEqual(ids, ['flux-dev', 'seedream-4', 'kling-image']);
    });
    test('untagged lists fall back to the id guess; provider snapshots inherit capabilities', () => {
      const list = parseProviderModels({
        data: [{ id: 'gpt-4o' }, { id: 'gpt-image-1-2025-04-15' }, 'sd-xl'],
      });
      assert.deepEqual(list, [{ id: 'gpt-4o' }, { id: 'gpt-image-1-2025-04-15' }, { id: 'sd-xl' }]);
      const catalog = mergeCatalog([], list);
      assert.deepEqual(
        catalog.filter((m) => m.source === 'provider').map((m) => m.id),
        ['gpt-image-1-2025-04-15', 'sd-xl'],
      );
      assert.equal(findModel(catalog, 'gpt-image-1-2025-04-15').capabilities?.stream, true);
    });
    test('kind fields in other shapes', () => {
      assert.equal(imageKindOf({ tags: [{ name: 'Image Generation' }] }), true);
      assert.equal(imageKindOf({ type: 'chat' }), false);
      assert.equal(imageKindOf({ owned_by: 'openai' }), undefined);
      assert.equal(parseProviderModels('nope'), undefined);
    });
  });
});
