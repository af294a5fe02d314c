// Ten generations started at once into the same document, each from its own selected prompt:
// ten files with unique names, each link in its own prompt's paragraph pointing at that prompt's
// image, ten new gallery items, and no write lost or doubled.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import { filesIn, openDocument, readPicture, select, setSettings, wsUri } from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-load-5d1e0b7c93a24f68';
const SIZE = '256x256';
const DOC = 'docs/load/page.md';
const IMAGES = 'docs/load/images';
const PROMPTS = Array.from(
  { length: 10 },
  (_, i) => `Prompt ${i + 1}: a lantern number ${i + 1} glowing in the fog`,
);
const TEXT = `${PROMPTS.join('\n\n')}\n`;

suite('Load: ten generations at once into one document', () => {
  const fx = useFixture({
    key: KEY,
    server: { latencyMs: 1000 },
    settings: { requestTimeoutSeconds: 30 },
    clean: [IMAGES],
  });
  const { server } = fx;

  /** Selects each prompt and fires its command without waiting: each pins its own start point. */
  async function startAll(editor: vscode.TextEditor): Promise<Array<GenerateResult | undefined>> {
    const running: Array<Thenable<GenerateResult | undefined>> = [];
    for (const prompt of PROMPTS) {
      select(editor, prompt);
      running.push(
        vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
          model: 'qh-draw-x2-preview',
          size: SIZE,
        }),
      );
    }
    return Promise.all(running);
  }

  async function check(
    editor: vscode.TextEditor,
    results: Array<GenerateResult | undefined>,
    before: Set<string>,
  ): Promise<void> {
    assert.deepEqual(fx.ui.errors, []);
    const gens = server.requests.filter((r) => r.path === '/v1/images/generations');
    assert.equal(gens.length, 10, 'one request per generation');
    assert.deepEqual(
      gens.map((g) => (g.json as { prompt: string }).prompt).sort(),
      [...PROMPTS].sort(),
      'each prompt was sent once',
    );
    assert.ok(
      gens[9].at - gens[0].at < 1000,
      `the ten requests overlapped (spread ${gens[9].at - gens[0].at} ms)`,
    );

    // Ten files, unique names, no more.
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 10, `files: ${files}`);
    assert.equal(new Set(files).size, 10);

    // Each result is its own prompt's, with its own file.
    results.forEach((r, i) => {
      assert.ok(r, `generation ${i + 1} returned nothing`);
      assert.equal(r.prompt, PROMPTS[i]);
      assert.equal(r.images.length, 1);
    });
    const uris = results.map((r) => r?.images[0].uri);
    assert.equal(new Set(uris).size, 10, 'ten distinct saved files');

    // The document: every prompt followed by its own image, in its own paragraph, nothing else.
    const text = editor.document.getText();
    const linked: string[] = [];
    const expected = PROMPTS.map((prompt, i) => {
      const name = decodeURIComponent((uris[i] ?? '').split('/').pop() ?? '');
      linked.push(name);
      return `${prompt}\n\n![${prompt}](images/${name})`;
    }).join('\n\n');
    assert.equal(text, `${expected}\n`);
    assert.deepEqual([...linked].sort(), files, 'every file is linked exactly once');

    // The file under prompt k holds the image generated for prompt k (the fixture renders per prompt).
    for (const [i, name] of linked.entries()) {
      const bytes = await readPicture(wsUri(`${IMAGES}/${name}`));
      assert.ok(
        bytes.equals(server.renderFor(PROMPTS[i], SIZE, 0)),
        `${name} is not the image of "${PROMPTS[i]}"`,
      );
    }

    // The gallery: ten new items, one per prompt, each with its cached copy and its one saved file.
    const added = fx.hooks.history.list().filter((item) => !before.has(item.id));
    assert.equal(added.length, 10);
    assert.deepEqual(added.map((i) => i.prompt).sort(), [...PROMPTS].sort());
    for (const item of added) {
      const i = PROMPTS.indexOf(item.prompt);
      assert.equal(item.id, results[i]?.images[0].historyId);
      assert.deepEqual(item.savedUris, [uris[i]]);
      const cached = fx.hooks.history.cacheUri(item);
      assert.ok(cached);
      assert.ok((await readPicture(cached)).equals(server.renderFor(item.prompt, SIZE, 0)));
    }
  }

  test('ten prompts, ten generations at once: ten files, ten links each under its own prompt, ten gallery items', async function () {
    this.timeout(120_000);
    const editor = await openDocument(DOC, TEXT);
    await fx.hooks.history.ready();
    const before = new Set(fx.hooks.history.list().map((i) => i.id));
    const results = await startAll(editor);
    await check(editor, results, before);
  });

  test('ten at once onto the same file name: -1 … -9, nothing overwritten', async function () {
    this.timeout(120_000);
    await setSettings({ destination: 'images/${documentBaseName}.png' });
    const editor = await openDocument(DOC, TEXT);
    await fx.hooks.history.ready();
    const before = new Set(fx.hooks.history.list().map((i) => i.id));
    const results = await startAll(editor);
    await check(editor, results, before);
    assert.deepEqual(
      await filesIn(IMAGES),
      ['page.png', ...Array.from({ length: 9 }, (_, i) => `page-${i + 1}.png`)].sort(),
    );
  });
});
