import * as assert from 'node:assert/strict';
import { BUILTIN_CAPABILITIES } from '../../../src/core/capabilities';
import { applyCapabilities } from '../../../src/core/modelRequest';
import {
  fitOptions,
  optionParameters,
  optionsView,
  type PanelOptions,
} from '../../../src/webviews/shared/modelOptions';

const view = (id: string) => optionsView(BUILTIN_CAPABILITIES[id]);

suite('generator panel: model options', () => {
  test('each built-in model offers exactly the options it takes', () => {
    assert.deepEqual(view('gpt-image-1'), {
      quality: ['auto', 'low', 'medium', 'high'],
      background: ['auto', 'transparent', 'opaque'],
      outputFormat: ['png', 'jpeg', 'webp'],
      moderation: ['auto', 'low'],
      outputCompression: true,
      partialImages: true,
    });
    assert.deepEqual(view('dall-e-3'), { quality: ['standard', 'hd'], style: ['vivid', 'natural'] });
    assert.equal(view('dall-e-2'), undefined, 'dall-e-2 takes none of the options');
    assert.equal(view('qh-draw-x2-preview'), undefined, 'unknown capabilities: no controls');
    assert.equal(optionsView(undefined), undefined);
  });

  test('choices a model does not offer are dropped when the model changes', () => {
    const chosen: PanelOptions = { quality: 'hd', style: 'vivid', partialImages: 1, outputFormat: 'webp' };
    assert.deepEqual(fitOptions(chosen, view('gpt-image-1')).options, {
      outputFormat: 'webp',
      partialImages: 1,
    });
    assert.deepEqual(fitOptions(chosen, view('dall-e-3')).options, { quality: 'hd', style: 'vivid' });
    assert.deepEqual(fitOptions(chosen, undefined).options, {});
  });

  test('transparent with jpeg becomes png, and says so; compression only with jpeg or webp', () => {
    const gpt = view('gpt-image-1');
    const fitted = fitOptions(
      { background: 'transparent', outputFormat: 'jpeg', outputCompression: 50 },
      gpt,
    );
    assert.equal(fitted.corrected, 'formatForTransparency');
    assert.deepEqual(fitted.options, { background: 'transparent', outputFormat: 'png' });
    assert.deepEqual(fitOptions({ outputFormat: 'webp', outputCompression: 50 }, gpt).options, {
      outputFormat: 'webp',
      outputCompression: 50,
    });
    for (const bad of [-1, 101, 2.5, Number.NaN])
      assert.equal(
        fitOptions({ outputFormat: 'jpeg', outputCompression: bad }, gpt).options.outputCompression,
        undefined,
      );
    assert.equal(fitOptions({ partialImages: 4 }, gpt).options.partialImages, undefined);
  });

  test('the parameters of the choices pass the capability check unchanged for their model', () => {
    const cases: Array<[string, PanelOptions, Record<string, unknown>]> = [
      [
        'gpt-image-1',
        { quality: 'low', outputFormat: 'webp', outputCompression: 60, moderation: 'low', partialImages: 3 },
        {
          quality: 'low',
          output_format: 'webp',
          output_compression: 60,
          moderation: 'low',
          partial_images: 3,
        },
      ],
      ['gpt-image-1-mini', { partialImages: 0 }, { stream: false }],
      ['dall-e-3', { quality: 'hd', style: 'natural' }, { quality: 'hd', style: 'natural' }],
    ];
    for (const [model, chosen, params] of cases) {
      const fitted = fitOptions(chosen, view(model)).options;
      assert.deepEqual(optionParameters(fitted), params, model);
      const checked = applyCapabilities(
        { prompt: 'p', model, size: '1024x1024', n: 1, extra: optionParameters(fitted) },
        BUILTIN_CAPABILITIES[model],
      );
      assert.ok(checked.ok, `${model}: ${JSON.stringify(!checked.ok && checked.problem)}`);
      assert.deepEqual(checked.notes, [], `${model}: nothing to correct`);
    }
  });

  test('partial images: Off means no stream at all; a number streams with that many', () => {
    const caps = BUILTIN_CAPABILITIES['gpt-image-1'];
    const off = applyCapabilities(
      {
        prompt: 'p',
        model: 'gpt-image-1',
        size: '1024x1024',
        n: 1,
        extra: optionParameters({ partialImages: 0 }),
      },
      caps,
    );
    assert.ok(off.ok);
    assert.equal(off.stream, false);
    assert.equal(off.request.extraParameters?.stream, undefined);
    const three = applyCapabilities(
      {
        prompt: 'p',
        model: 'gpt-image-1',
        size: '1024x1024',
        n: 1,
        extra: optionParameters({ partialImages: 3 }),
      },
      caps,
    );
    assert.ok(three.ok);
    assert.equal(three.stream, true);
    assert.equal(three.request.extraParameters?.partial_images, 3);
  });
});
