// PRODUCT.md §13 in the generator panel, driven through the browser bridge: the chosen model's
// options as controls (and none for a model that takes none), their values in the request, and
// partial images shown while a streamed generation draws, before the final image.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { browserBridge } from './support/bridge';
import { useWebviewFixture } from './support/fixture';

const KEY = 'sk-test-panel-options-0123456789abcdef';
const G = 'generator';
const READY = "() => document.body.dataset.ready === 'true'";
/** Sets a select's or input's value and fires `change`, as choosing from the list does. */
const CHOOSE = `([selector, value]) => {
  const el = document.querySelector(selector);
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return el.value;
}`;
/** The option controls shown (not hidden), by option name, with their choices. */
const CONTROLS = `() => {
  const box = document.getElementById('model-options');
  if (!box || box.hidden) return {};
  const out = {};
  for (const field of box.querySelectorAll('[data-field]')) {
    if (field.hidden) continue;
    const control = field.querySelector('select, input');
    out[field.dataset.field] = control.tagName === 'SELECT' ? [...control.options].map((o) => o.value) : control.type;
  }
  return out;
}`;
/** Resolves once a partial image is on screen and loaded: how many result tiles there were then. */
const PARTIAL_SHOWN = `() => {
  const img = document.querySelector('#partial-preview img');
  if (!img || !img.complete || img.naturalWidth === 0) return undefined;
  return { tiles: document.querySelectorAll('#results li.tile').length, index: Number(img.dataset.index), src: img.src };
}`;

suite('Generator panel: model options and partial images (§13)', () => {
  const fx = useWebviewFixture({ key: KEY });
  const { server } = fx;
  const bridge = browserBridge();
  const generations = () =>
    server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/generations');
  const choose = (selector: string, v: string) =>
    bridge.evalWebview<[string, string], string>(G, CHOOSE, [selector, v]);
  const controls = () => bridge.evalWebview<undefined, Record<string, string[] | string>>(G, CONTROLS);

  test('controls follow the model: gpt-image-1 shows its options, dall-e-3 its own, the seed model none', async () => {
    await vscode.commands.executeCommand('imageGen.openGenerator', 'A paper boat on a pond');
    await bridge.waitWebview(G, READY);

    await choose('#model', 'gpt-image-1');
    const gpt = await controls();
    assert.deepEqual(gpt.quality, ['', 'auto', 'low', 'medium', 'high']);
    assert.deepEqual(gpt.background, ['', 'auto', 'transparent', 'opaque']);
    assert.deepEqual(gpt.outputFormat, ['', 'png', 'jpeg', 'webp']);
    assert.deepEqual(gpt.moderation, ['', 'auto', 'low']);
    assert.deepEqual(gpt.partialImages, ['', '0', '1', '2', '3']);
    assert.equal(gpt.style, undefined, 'gpt-image-1 takes no style');
    assert.equal(gpt.outputCompression, undefined, 'no compression for the default png');

    await choose('#opt-outputFormat', 'webp');
    assert.equal((await controls()).outputCompression, 'number', 'compression shows with webp');
    await choose('#opt-outputFormat', 'jpeg');
    await choose('#opt-background', 'transparent');
    assert.equal(
      await bridge.evalWebview(G, "() => document.getElementById('opt-outputFormat').value"),
      'png',
      'transparent needs png or webp: corrected in sight',
    );
    assert.match(
      await bridge.evalWebview<undefined, string>(
        G,
        "() => document.getElementById('options-note').textContent",
      ),
      /transparent background needs PNG or WebP/,
    );

    await bridge.screenshot('panel-options-gpt-image-1', G);
    await choose('#model', 'dall-e-3');
    const dalle = await controls();
    assert.deepEqual(dalle.quality, ['', 'standard', 'hd']);
    assert.deepEqual(dalle.style, ['', 'vivid', 'natural']);
    assert.equal(dalle.background, undefined);
    assert.equal(dalle.partialImages, undefined, 'dall-e-3 does not stream');

    await choose('#model', 'qh-draw-x2-preview');
    assert.deepEqual(await controls(), {}, 'a model whose options are unknown shows no controls');
    assert.equal(await bridge.evalWebview(G, "() => document.getElementById('model-options').hidden"), true);
  });

  test('chosen options go into the request; a partial image shows before the final one', async () => {
    // Two partials, 1.2 s apart, then the final image: time enough to see each one.
    server.options.streaming = { gapMs: 1200 };
    const prompt = 'A kite over the dunes at noon';
    await vscode.commands.executeCommand('imageGen.openGenerator', prompt);
    await bridge.waitWebview(G, READY);
    await choose('#model', 'gpt-image-1');
    await choose('#size', '1024x1024');
    await choose('#count', '1');
    await choose('#opt-quality', 'low');
    await choose('#opt-outputFormat', 'webp');
    await choose('#opt-outputCompression', '60');
    const tilesBefore = await bridge.evalWebview<undefined, number>(
      G,
      "() => document.querySelectorAll('#results li.tile').length",
    );

    const since = Date.now();
    await bridge.clickWebview(G, '#generate');
    const partial = await bridge.waitWebview<undefined, { tiles: number; index: number; src: string }>(
      G,
      PARTIAL_SHOWN,
      undefined,
      30_000,
    );
    assert.equal(partial.tiles, tilesBefore, 'the partial image is on screen before the final image');
    await bridge.screenshot('panel-partial-image', G);
    const body = generations()[0]?.json as Record<string, unknown>;
    assert.equal(body.model, 'gpt-image-1');
    assert.equal(body.quality, 'low');
    assert.equal(body.output_format, 'webp');
    assert.equal(body.output_compression, 60);
    assert.equal(body.stream, true);
    assert.equal(body.partial_images, 2);

    await bridge.waitWebview(
      G,
      `(n) => document.querySelectorAll('#results li.tile').length > n && !document.querySelector('#partial-preview img')`,
      tilesBefore,
      30_000,
    );
    assert.equal(generations().length, 1);
    const problems = (await bridge.errors()).filter(
      (p) => p.time >= since && (p.kind === 'csp' || (p.webview && p.kind === 'pageerror')),
    );
    assert.deepEqual(problems, [], 'the partial image loads under the panel CSP');
  });

  test('partial images Off sends no stream; the generation still lands', async () => {
    server.options.streaming = { gapMs: 50 };
    await vscode.commands.executeCommand('imageGen.openGenerator', 'A snail on a wet leaf');
    await bridge.waitWebview(G, READY);
    await choose('#model', 'gpt-image-1-mini');
    await choose('#count', '1');
    await choose('#opt-partialImages', '0');
    await bridge.clickWebview(G, '#generate');
    await waitForGeneration();
    const body = generations()[0]?.json as Record<string, unknown>;
    assert.equal(body.stream, undefined);
    assert.equal(body.partial_images, undefined);
  });

  async function waitForGeneration(): Promise<void> {
    await bridge.waitWebview(
      G,
      "() => !document.body.classList.contains('busy') && document.querySelectorAll('#results li.tile').length > 0",
      undefined,
      30_000,
    );
  }
});
