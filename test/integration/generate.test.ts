import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ImageServer } from '../fixtures/imageServer';
import type { GenerateResult } from '../../src/commands/generate';
import {
  authHeaders,
  closeAllEditors,
  exists,
  filesIn,
  isPng,
  openDocument,
  readBytes,
  recordUi,
  resetSettings,
  select,
  setSettings,
  testHooks,
  waitFor,
  wsUri,
} from './support/env';
import { useFixture } from './support/fixture';
import type { RecordingUi } from './support/recordingUi';

const KEY = 'sk-test-generate-0123456789abcdef';
const PROMPT = 'A red fox sleeping under a maple tree';

function generate(arg?: unknown): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generate', arg);
}
function fromSelection(arg?: unknown): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', arg);
}

suite('Generate Image, end to end', () => {
  const fx = useFixture({ key: KEY, clean: ['docs/guide/images', 'images'] });
  const { server } = fx;

  test('a selection in a nested document becomes a file under images/ and a link below the prompt', async () => {
    const editor = await openDocument('docs/guide/page.md', `# Guide\n\n${PROMPT}\nNext paragraph.\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });

    assert.ok(result, `no result; shown: ${JSON.stringify(fx.ui.shown)}`);
    assert.equal(result.images.length, 1);
    const files = await filesIn('docs/guide/images');
    assert.equal(files.length, 1, `files: ${files}`);
    assert.match(files[0], /^a-red-fox-sleeping-under-a-maple-tree-\d{8}-\d{6}\.png$/);
    assert.ok(isPng(await readBytes(wsUri(`docs/guide/images/${files[0]}`))));
    assert.equal(result.images[0].uri, wsUri(`docs/guide/images/${files[0]}`).toString());
    assert.equal(
      editor.document.getText(),
      `# Guide\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})\n\nNext paragraph.\n`,
    );
    assert.deepEqual(fx.ui.questions, [], 'with prompt, model and size given nothing is asked');
    const gen = server.requests.filter((r) => r.path === '/v1/images/generations');
    assert.equal(gen.length, 1);
    assert.deepEqual(gen[0].json, { prompt: PROMPT, model: 'qh-draw-x2-preview', size: '1024x1024', n: 1 });
  });

  test('without arguments it asks for model and size, default first', async () => {
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    fx.ui.answer({ kind: 'pick' }, { kind: 'pick', label: '720x1280' });
    const result = await fromSelection();
    assert.ok(result);
    const picks = fx.ui.questions.filter((q) => q.kind === 'pick');
    assert.equal(picks.length, 2);
    assert.equal(picks[0].kind === 'pick' && picks[0].labels[0], 'qh-draw-x2-preview');
    assert.equal(picks[1].kind === 'pick' && picks[1].labels[0], '1024x1024');
    assert.equal(result.size, '720x1280');
    assert.equal(
      (server.requests.find((r) => r.path === '/v1/images/generations')?.json as { size: string }).size,
      '720x1280',
    );
  });

  test('the questions show their step and Back; sizes carry their aspect ratio (§15)', async () => {
    const editor = await openDocument('docs/guide/page.md', 'Intro\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    fx.ui.answer(
      { kind: 'input', value: 'a kite over dunes' },
      { kind: 'pick', label: 'qh-draw-x1-pro' },
      { kind: 'pick', back: true },
      { kind: 'pick', label: 'qh-draw-x2-preview' },
      { kind: 'pick', label: '720x1280' },
    );
    const result = await generate({});
    assert.ok(result, JSON.stringify(fx.ui.shown));
    const asked = fx.ui.questions.map((q) =>
      q.kind === 'pick' || q.kind === 'input'
        ? { kind: q.kind, step: q.step, back: 'back' in q ? q.back : undefined }
        : q,
    );
    assert.deepEqual(asked, [
      { kind: 'input', step: '1/3', back: undefined },
      { kind: 'pick', step: '2/3', back: true },
      { kind: 'pick', step: '3/3', back: true },
      { kind: 'pick', step: '2/3', back: true },
      { kind: 'pick', step: '3/3', back: true },
    ]);
    const sizes = fx.ui.questions.at(-1);
    assert.ok(sizes?.kind === 'pick');
    const described = new Map(sizes.labels.map((label, i) => [label, sizes.descriptions[i] ?? '']));
    assert.match(described.get('720x1280') ?? '', /9:16/);
    assert.match(described.get('1024x1024') ?? '', /1:1/);
    assert.equal(result.size, '720x1280');
    assert.equal(result.model, 'qh-draw-x2-preview');
  });

  test('an empty prompt says why nothing happened', async () => {
    const editor = await openDocument('notes.md', 'Intro\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await generate({ prompt: '   ', model: 'qh-draw-x1-pro', size: '1280x720' }), undefined);
    await fx.ui.waitForMessage(/Nothing was generated: the prompt is empty\./);
    assert.equal(server.requests.length, 0);
    assert.equal(editor.document.getText(), 'Intro\n');
    await vscode.workspace.fs.delete(wsUri('notes.md'));
  });

  test('generate without selection asks for the prompt and inserts at the cursor', async () => {
    const editor = await openDocument('notes.md', 'Intro\n\n\nOutro\n');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    fx.ui.answer({ kind: 'input', value: 'a lighthouse at dusk' });
    const result = await generate({ model: 'qh-draw-x1-pro', size: '1280x720' });
    assert.ok(result);
    const files = await filesIn('images');
    assert.equal(files.length, 1);
    // Its own paragraph: the blank line it was typed on separates it from Outro (PRODUCT.md §15).
    assert.equal(
      editor.document.getText(),
      `Intro\n\n![a lighthouse at dusk](images/${files[0]})\n\nOutro\n`,
    );
    await vscode.workspace.fs.delete(wsUri('notes.md'));
  });

  test('url mode inserts the remote URL and writes no file', async () => {
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024', insertAs: 'url' });
    assert.ok(result?.images[0].url);
    assert.ok(result.images[0].url.startsWith(server.cdnOrigin));
    assert.equal(editor.document.getText(), `${PROMPT}\n\n![${PROMPT}](${result.images[0].url})\n`);
    assert.deepEqual(await filesIn('docs/guide/images'), []);
  });

  test('b64_json answers are decoded and saved', async () => {
    await setSettings({ extraParameters: { response_format: 'b64_json' } });
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result);
    assert.equal(result.images[0].url, undefined);
    const files = await filesIn('docs/guide/images');
    assert.equal(files.length, 1);
    assert.ok(isPng(await readBytes(wsUri(`docs/guide/images/${files[0]}`))));
    assert.equal((server.requests[0].json as Record<string, unknown>).response_format, 'b64_json');
    assert.ok(editor.document.getText().includes(`](images/${files[0]})`));
  });

  test('n=3 on a one-per-request model sends 3 requests and inserts 3 links', async () => {
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'dall-e-3', size: '1024x1024', n: 3 });
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.equal(result.images.length, 3);
    const gens = server.requests.filter((r) => r.path === '/v1/images/generations');
    assert.equal(gens.length, 3);
    assert.ok(gens.every((g) => (g.json as { n: number }).n === 1));
    const files = await filesIn('docs/guide/images');
    assert.equal(files.length, 3);
    const links = editor.document
      .getText()
      .split('\n')
      .filter((l) => l.startsWith('!['));
    assert.equal(links.length, 3);
    for (const f of files)
      assert.ok(
        links.some((l) => l.endsWith(`(images/${f})`)),
        `${f} not linked`,
      );
  });

  test('a name collision takes the next -N and never overwrites', async () => {
    await setSettings({ destination: 'images/fixed.png' });
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    await vscode.workspace.fs.writeFile(
      wsUri('docs/guide/images/fixed.png'),
      new TextEncoder().encode('precious'),
    );
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result);
    assert.deepEqual(await filesIn('docs/guide/images'), ['fixed-1.png', 'fixed.png']);
    assert.equal(new TextDecoder().decode(await readBytes(wsUri('docs/guide/images/fixed.png'))), 'precious');
    assert.ok(editor.document.getText().includes('](images/fixed-1.png)'));
  });

  test('selectionBehavior replace swaps the prompt for the image, as a paragraph of its own', async () => {
    await setSettings({ selectionBehavior: 'replace', altText: 'empty' });
    const editor = await openDocument('docs/guide/page.md', `Before ${PROMPT} after\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result);
    const files = await filesIn('docs/guide/images');
    assert.equal(editor.document.getText(), `Before  after\n\n![](images/${files[0]})\n`);
  });

  for (const [file, content, expected] of [
    ['page.html', `<p>${PROMPT}</p>\n`, (f: string) => `<img src="images/${f}" alt="${PROMPT}">`],
    ['page.adoc', `${PROMPT}\n`, (f: string) => `image::images/${f}[${PROMPT}]`],
    ['page.rst', `${PROMPT}\n`, (f: string) => `.. image:: images/${f}\n   :alt: ${PROMPT}`],
    ['page.tex', `${PROMPT}\n`, (f: string) => `\\includegraphics{images/${f}}`],
  ] as const) {
    test(`the snippet fits ${file}`, async () => {
      const editor = await openDocument(`docs/guide/${file}`, content);
      select(editor, PROMPT);
      const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
      assert.ok(result, JSON.stringify(fx.ui.shown));
      const files = await filesIn('docs/guide/images');
      assert.ok(editor.document.getText().includes(expected(files[0])), editor.document.getText());
      await closeAllEditors();
      await vscode.workspace.fs.delete(wsUri(`docs/guide/${file}`));
    });
  }

  test('an untitled document asks where to save, then links relative to the workspace folder', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${PROMPT}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    select(editor, PROMPT);
    fx.ui.answer({ kind: 'saveDialog', uri: wsUri('images/chosen.png') });
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result);
    const dialog = fx.ui.questions.find((q) => q.kind === 'saveDialog');
    assert.ok(
      dialog && dialog.kind === 'saveDialog' && dialog.defaultUri?.startsWith(wsUri('images').toString()),
    );
    assert.ok(await exists(wsUri('images/chosen.png')));
    assert.equal(editor.document.getText(), `${PROMPT}\n\n![${PROMPT}](images/chosen.png)\n`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('an untitled document whose save dialog is dismissed gets the URL', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${PROMPT}\n` });
    const editor = await vscode.window.showTextDocument(doc);
    select(editor, PROMPT);
    fx.ui.answer({ kind: 'saveDialog', uri: undefined });
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result?.images[0].url);
    assert.equal(editor.document.getText(), `${PROMPT}\n\n![${PROMPT}](${result.images[0].url})\n`);
    assert.deepEqual(await filesIn('images'), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('cancelling mid-request leaves no file, no text and no error', async () => {
    const hooks = await testHooks();
    server.enqueue('generate', { delayMs: 5000 });
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const running = fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    await waitFor(() => server.requests.some((r) => r.path === '/v1/images/generations'), 'the request');
    hooks.cancelAll();
    assert.equal(await running, undefined);
    assert.equal(editor.document.getText(), `${PROMPT}\n`);
    assert.deepEqual(await filesIn('docs/guide/images'), []);
    assert.deepEqual(fx.ui.errors, []);
  });

  test('401 inserts nothing and offers Set API Key', async () => {
    server.options.keys = ['another-key'];
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.equal(result, undefined);
    const shown = await fx.ui.waitForMessage(/rejected the API key/);
    assert.equal(shown.kind, 'error');
    assert.deepEqual(shown.actions, ['Set API Key']);
    assert.equal(editor.document.getText(), `${PROMPT}\n`);
    assert.deepEqual(await filesIn('docs/guide/images'), []);
  });

  test('the image download carries no Authorization header', async () => {
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    assert.ok(await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' }));
    // The balance refresh after a generation (§13) also goes to the API's own origin; not counted here.
    const api = server.requests.filter((r) => r.server === 'api' && !r.path.startsWith('/v1/dashboard/'));
    const cdn = server.requests.filter((r) => r.server === 'cdn');
    assert.ok(cdn.length >= 1, 'the image was downloaded from the cdn listener');
    assert.deepEqual(authHeaders(api), [`Bearer ${KEY}`]);
    assert.deepEqual(authHeaders(cdn), []);
  });

  test("a second base URL does not receive the first one's key", async () => {
    const other = new ImageServer();
    await other.start();
    try {
      await setSettings({ baseUrl: other.baseUrl });
      fx.ui.answer({ kind: 'input', value: undefined });
      const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
      select(editor, PROMPT);
      assert.equal(await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' }), undefined);
      const asked = fx.ui.questions.find((q) => q.kind === 'input');
      assert.ok(
        asked && asked.kind === 'input' && asked.password,
        'the key for the new origin was asked for',
      );
      assert.deepEqual(other.requests, [], 'nothing was sent to the new origin without a key');
      await fx.ui.waitForMessage(/No API key is set/);
      assert.equal(editor.document.getText(), `${PROMPT}\n`);
    } finally {
      await other.stop();
    }
  });

  test('a redirect to another port of the API host does not carry the key', async () => {
    server.enqueue('generate', {
      status: 307,
      headers: { Location: `${server.cdnOrigin}/v1/images/generations` },
    });
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    assert.equal(await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' }), undefined);
    assert.deepEqual(authHeaders(server.requests, 'cdn'), []);
    assert.equal(
      server.requests.filter((r) => r.server === 'cdn').length,
      0,
      'the redirect was not followed',
    );
    await fx.ui.waitForMessage(/redirected to another server/);
    assert.equal(editor.document.getText(), `${PROMPT}\n`);
  });

  test('typing above the prompt while generating still puts the image under its prompt', async () => {
    server.options.latencyMs = 800;
    const editor = await openDocument('docs/guide/page.md', `# Title\n\n${PROMPT}\n\nTail\n`);
    select(editor, PROMPT);
    const running = fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    await waitFor(() => server.requests.some((r) => r.path === '/v1/images/generations'), 'the request');
    assert.ok(
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'Added line one\nAdded line two\n')),
    );
    const other = await openDocument('other.md', 'switched away\n');
    const result = await running;
    assert.ok(result);
    const files = await filesIn('docs/guide/images');
    assert.equal(
      editor.document.getText(),
      `Added line one\nAdded line two\n# Title\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})\n\nTail\n`,
    );
    assert.equal(other.document.getText(), 'switched away\n');
    await closeAllEditors();
    await vscode.workspace.fs.delete(wsUri('other.md'));
  });

  test('a document closed while generating is edited in the background and left dirty', async () => {
    server.options.latencyMs = 600;
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const running = fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    await waitFor(() => server.requests.some((r) => r.path === '/v1/images/generations'), 'the request');
    await closeAllEditors();
    assert.ok(await running);
    const doc = vscode.workspace.textDocuments.find(
      (d) => d.uri.toString() === wsUri('docs/guide/page.md').toString(),
    );
    assert.ok(doc, 'the document was reopened');
    assert.ok(doc.isDirty);
    assert.match(doc.getText(), /\n\n!\[A red fox[^\]]*\]\(images\/[^)]+\.png\)\n$/);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('every generation is recorded in the gallery history with a cached copy', async () => {
    const hooks = await testHooks();
    server.options.revisedPrompt = true;
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024' });
    assert.ok(result);
    const item = hooks.history.get(result.images[0].historyId);
    assert.ok(item);
    assert.equal(item.prompt, PROMPT);
    assert.equal(item.model, 'qh-draw-x2-preview');
    assert.equal(item.size, '1024x1024');
    assert.ok(item.revisedPrompt);
    assert.equal(item.remoteUrl, result.images[0].url);
    assert.deepEqual(item.savedUris, [result.images[0].uri]);
    const cached = hooks.history.cacheUri(item);
    assert.ok(cached && isPng(await vscode.workspace.fs.readFile(cached)));
  });

  test('history.maxItems evicts the oldest records and their cached copies', async () => {
    const hooks = await testHooks();
    await hooks.history.clear();
    await setSettings({ 'history.maxItems': 2 });
    const results: GenerateResult[] = [];
    for (const prompt of ['first of three', 'second of three', 'third of three']) {
      const r = await generate({ prompt, model: 'qh-draw-x2-preview', size: '1024x1024', insertAs: 'none' });
      assert.ok(r);
      results.push(r);
    }
    const oldest = results[0].images[0].historyId;
    const cachedBefore = await vscode.workspace.fs.readDirectory(hooks.history.imagesDir);
    assert.deepEqual(
      hooks.history.list().map((i) => i.prompt),
      ['third of three', 'second of three'],
    );
    assert.equal(hooks.history.get(oldest), undefined);
    assert.ok(!cachedBefore.some(([name]) => name.startsWith(oldest)), 'the evicted cached copy is deleted');
    assert.equal(cachedBefore.length, 2);
  });

  test('a history.maxItems below n still saves and links every image of the generation', async () => {
    await setSettings({ 'history.maxItems': 1 });
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024', n: 3 });
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.equal(result.images.filter((i) => i.uri && i.markdown).length, 3);
    assert.equal((await filesIn('docs/guide/images')).length, 3);
    assert.deepEqual(fx.ui.errors, []);
  });

  test('the model pick offers "Open in panel…", which opens the generator with the prompt', async () => {
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    fx.ui.answer({ kind: 'pick', label: '$(window) Open in panel…' });
    assert.equal(await fromSelection(), undefined);
    const tab = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find(
            (t) =>
              t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('imageGen.generator'),
          ),
      'the generator panel',
    );
    assert.equal(tab.label, 'Image Generator');
    assert.deepEqual(
      server.requests.filter((r) => r.path === '/v1/images/generations'),
      [],
      'nothing was generated',
    );
  });

  test('insertAs none only records the image', async () => {
    const hooks = await testHooks();
    const editor = await openDocument('docs/guide/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection({ model: 'qh-draw-x2-preview', size: '1024x1024', insertAs: 'none' });
    assert.ok(result);
    assert.equal(editor.document.getText(), `${PROMPT}\n`);
    assert.ok(hooks.history.get(result.images[0].historyId));
  });
});

suite('API key and connection commands', () => {
  const server = new ImageServer({ keys: ['sk-right-key-000000000000000000'] });
  let ui: RecordingUi;
  suiteSetup(() => server.start());
  suiteTeardown(async () => {
    await server.stop();
    await resetSettings();
  });
  setup(async () => {
    server.reset();
    server.options.keys = ['sk-right-key-000000000000000000'];
    ui = await recordUi();
    await setSettings({ baseUrl: server.baseUrl });
  });

  test('Set API Key stores the key for the current origin only and Test Connection lists models', async () => {
    const hooks = await testHooks();
    ui.answer({ kind: 'input', value: 'sk-right-key-000000000000000000' });
    assert.equal(await vscode.commands.executeCommand('imageGen.setApiKey'), true);
    const asked = ui.questions[0];
    assert.ok(asked.kind === 'input' && asked.password);
    assert.ok(hooks.keys.origins().includes(server.apiOrigin));
    const stateDump = JSON.stringify(
      hooks.context.globalState.keys().map((k) => hooks.context.globalState.get(k)),
    );
    assert.ok(!stateDump.includes('sk-right-key'), 'globalState holds origins, never keys');
    const result = await vscode.commands.executeCommand<{ ok: boolean; models?: string[] }>(
      'imageGen.testConnection',
    );
    assert.ok(result?.ok);
    assert.ok(result.models?.includes('qh-draw-x2-preview'));
    await ui.waitForMessage(/Connected to 127\.0\.0\.1:\d+: \d+ models found/);
  });

  test('Test Connection reports a rejected key with Set API Key', async () => {
    await vscode.commands.executeCommand('imageGen.setApiKey', 'sk-wrong-key-11111111111111111');
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('imageGen.testConnection');
    assert.equal(result?.ok, false);
    const shown = await ui.waitForMessage(/rejected the API key/);
    assert.deepEqual(shown.actions, ['Set API Key']);
  });

  test('Test Connection on a provider without /models says so instead of blaming the endpoint', async () => {
    await vscode.commands.executeCommand('imageGen.setApiKey', 'sk-right-key-000000000000000000');
    server.enqueue('models', { status: 404 });
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('imageGen.testConnection');
    assert.equal(result?.ok, false);
    const shown = await ui.waitForMessage(/lists no models at .*\/v1\/models \(HTTP 404\)/);
    assert.equal(shown.kind, 'warn');
    assert.deepEqual(shown.actions, ['Open Settings']);
  });

  test('Clear API Key offers the known origins and removes the chosen key', async () => {
    const hooks = await testHooks();
    await vscode.commands.executeCommand('imageGen.setApiKey', 'sk-right-key-000000000000000000');
    ui.answer({ kind: 'pick', label: server.apiOrigin });
    assert.equal(await vscode.commands.executeCommand('imageGen.clearApiKey'), true);
    const pick = ui.questions.find((q) => q.kind === 'pick');
    assert.ok(pick && pick.kind === 'pick' && pick.labels[0] === server.apiOrigin);
    assert.equal(await hooks.keys.get(server.apiOrigin), undefined);
    assert.ok(!hooks.keys.origins().includes(server.apiOrigin));
  });
});
