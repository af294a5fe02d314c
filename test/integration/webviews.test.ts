// The generator panel and the gallery view in the real VS Code (code-server), driven through the
// browser bridge with Playwright, against the fixture image server. Page functions are strings:
// they run in the browser, and this project's tsconfig has no DOM lib.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DALL_E_3_SIZES } from '../fixtures/imageServer';
import type { HistoryItem } from '../../src/core/history';
import { BUILTIN_MODELS } from '../../src/core/catalog';
import { VsCodeUi } from '../../src/services/ui';
import type { WebviewDeps } from '../../src/webviews/deps';
import { GeneratorPanelSerializer } from '../../src/webviews/generator/generatorPanel';
import { GENERATOR_VIEW_TYPE } from '../../src/webviews/generator/protocol';
import { formatBytes } from '../../src/webviews/shared/format';
import type { GeneratorPageState } from '../../src/webviews/generator/protocol';
import { browserBridge } from './support/bridge';
import { useWebviewFixture } from './support/fixture';
import type { PageProblem } from './support/bridge';
import {
  closeAllEditors,
  exists,
  filesIn,
  isPng,
  openDocument,
  readBytes,
  select,
  setSettings,
  waitFor,
  wsUri,
} from './support/env';

const KEY = 'sk-test-webviews-0123456789abcdef';
const G = 'generator';
const V = 'gallery';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- Page functions (strings, evaluated in the webview or the workbench) ----

const READY = "() => document.body.dataset.ready === 'true'";
const VALUE = '(selector) => document.querySelector(selector).value';
const TEXT = '(selector) => document.querySelector(selector).textContent';
/** Sets a select's or input's value and fires `change`, as choosing from the list does. */
const CHOOSE = `([selector, value]) => {
  const el = document.querySelector(selector);
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  return el.value;
}`;
const TILES = `() => [...document.querySelectorAll('#results li.tile')].map((t) => {
  const img = t.querySelector('img.tile-image');
  return { id: t.dataset.id, loaded: !!img && img.complete && img.naturalWidth > 0, width: img ? img.naturalWidth : 0 };
})`;
/** The tiles once the first `n` have their image loaded. */
const TILES_LOADED = `(n) => {
  const tiles = (${TILES})();
  return tiles.length >= n && tiles.slice(0, n).every((t) => t.loaded) ? tiles : undefined;
}`;
const ROWS = `() => [...document.querySelectorAll('#list .row[data-id]')]
  .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
  .map((r) => ({ id: r.dataset.id, prompt: r.querySelector('.prompt').textContent, pos: Number(r.getAttribute('aria-posinset')) }))`;
/** Posts raw messages to the extension host as if the page had sent them (the page holds the only API handle). */
const POST_AS_PAGE = `({ view, messages }) => {
  for (const outer of document.querySelectorAll('iframe')) {
    let body;
    try {
      body = outer.contentDocument && outer.contentDocument.getElementById('active-frame').contentDocument.body;
    } catch {
      continue;
    }
    if (!body || body.dataset.imageGenView !== view) continue;
    const post = outer.contentWindow.__vscode_post_message__;
    for (const message of messages) post('onmessage', { message, transfer: undefined });
    return messages.length;
  }
  return 0;
}`;
/** A notification shown in the workbench (toast or Notifications Center) whose text matches, with its buttons. */
const NOTIFICATION = `(pattern) => {
  const items = document.querySelectorAll(
    '.notifications-toasts .notification-list-item, .notifications-center .notification-list-item',
  );
  for (const item of items) {
    const message = item.querySelector('.notification-list-item-message');
    if (!message || !new RegExp(pattern).test(message.textContent)) continue;
    const buttons = [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')];
    return { message: message.textContent, buttons: buttons.map((b) => b.textContent.trim()) };
  }
  return undefined;
}`;

/**
 * Console errors of the workbench that these tests cause on purpose or that are not the webviews':
 * the error notification of the 401 test (the workbench logs error notifications), and Node's
 * warning about node-fetch 2 calling url.parse, which the extension host's stderr forwards.
 */
const WORKBENCH_NOISE = [
  /^127\.0\.0\.1:\d+ rejected the API key \(HTTP 401\)\. Check or replace the key\.$/,
  /^%c {2}ERR color: #f33 \(node:\d+\) \[DEP0169\] DeprecationWarning: `url\.parse\(\)` behavior is not standardized/,
];

suite('Webviews: generator panel and gallery', () => {
  let started = 0;
  // Before the fixture's set-up, so page errors during it count too (as before the fixture).
  suiteSetup(() => {
    started = Date.now();
  });
  const fx = useWebviewFixture({ key: KEY, folder: 'webviews' });
  const { server } = fx;
  const bridge = browserBridge();

  const generations = () => server.requests.filter((r) => r.path === '/v1/images/generations');
  const value = (view: string, selector: string) => bridge.evalWebview<string, string>(view, VALUE, selector);
  const text = (view: string, selector: string) => bridge.evalWebview<string, string>(view, TEXT, selector);
  const choose = (view: string, selector: string, v: string) =>
    bridge.evalWebview<[string, string], string>(view, CHOOSE, [selector, v]);
  const waitText = (view: string, selector: string, want: string, timeoutMs?: number) =>
    bridge.waitWebview(
      view,
      '([s, want]) => document.querySelector(s) && document.querySelector(s).textContent === want',
      [selector, want],
      timeoutMs,
    );
  const tiles = () =>
    bridge.evalWebview<undefined, { id: string; loaded: boolean; width: number }[]>(G, TILES);
  const rows = () => bridge.evalWebview<undefined, { id: string; prompt: string; pos: number }[]>(V, ROWS);
  const cachedFiles = async () =>
    (await vscode.workspace.fs.readDirectory(fx.hooks.history.imagesDir).then(undefined, () => []))
      .map(([n]) => n)
      .sort();

  async function openGenerator(prompt?: string): Promise<void> {
    await vscode.commands.executeCommand('imageGen.openGenerator', prompt);
    await bridge.waitWebview(G, READY);
  }

  async function showGallery(): Promise<void> {
    await vscode.commands.executeCommand('imageGen.gallery.focus');
    await bridge.waitWebview(V, READY);
  }

  test('generator: the selection fills the prompt, chips append, sizes follow the model, a bad size is refused', async () => {
    const prompt = 'A red fox sleeping under a maple tree';
    const editor = await openDocument('webviews/page.md', `# Post\n\n${prompt}\n`);
    select(editor, prompt);
    await openGenerator();
    assert.equal(await value(G, '#prompt'), prompt);

    await bridge.clickWebview(G, 'button.chip[data-chip="high quality"]');
    await bridge.clickWebview(G, 'button.chip[data-chip="golden hour"]');
    assert.equal(await value(G, '#prompt'), `${prompt}, high quality, golden hour`);
    assert.equal(
      await bridge.evalWebview(
        G,
        "() => document.querySelector('button.chip[data-chip=\"golden hour\"]').getAttribute('aria-pressed')",
      ),
      'true',
    );
    // Chips are toggles: a second press takes the term out again.
    await bridge.clickWebview(G, 'button.chip[data-chip="golden hour"]');
    assert.equal(await value(G, '#prompt'), `${prompt}, high quality`);

    const sizeOptions = "() => [...document.querySelectorAll('#size-options option')].map((o) => o.value)";
    assert.equal(await choose(G, '#model', 'dall-e-3'), 'dall-e-3');
    assert.deepEqual(
      (await bridge.evalWebview<undefined, string[]>(G, sizeOptions)).sort(),
      [...DALL_E_3_SIZES].sort(),
    );
    assert.ok(DALL_E_3_SIZES.includes(await value(G, '#size')));
    await choose(G, '#model', 'qh-draw-x2-preview');
    assert.ok((await bridge.evalWebview<undefined, string[]>(G, sizeOptions)).includes('720x1280'));

    await bridge.fillWebview(G, '#size', '1024 by 1024');
    assert.equal(await text(G, '#size-error'), 'Enter the size as WIDTHxHEIGHT, for example 1024x1024.');
    assert.equal(
      await bridge.evalWebview(G, "() => document.getElementById('size').getAttribute('aria-invalid')"),
      'true',
    );
    await bridge.clickWebview(G, '#generate');
    await sleep(300);
    assert.equal(generations().length, 0, 'nothing was sent with a bad size');
    assert.equal(await bridge.evalWebview(G, "() => document.getElementById('cancel').hidden"), true);

    // What people type is normalized once the field is left.
    await bridge.fillWebview(G, '#size', '1280 × 720');
    await bridge.pressWebview(G, '#size', 'Tab');
    assert.equal(await value(G, '#size'), '1280x720');
    assert.equal(await text(G, '#size-error'), '');
  });

  test('generator: Generate shows progress and loaded tiles; Insert as file, Insert URL and Copy Markdown', async () => {
    const prompt = 'A lighthouse on a cliff at dusk';
    // The user's editor is on the left, the panel beside it.
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    const editor = await openDocument('webviews/post.md', '# Post\n\n');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await openGenerator('placeholder prompt');
    await bridge.fillWebview(G, '#prompt', prompt);
    await choose(G, '#model', 'qh-draw-x1-pro');
    await bridge.fillWebview(G, '#size', '1280x720');
    await choose(G, '#count', '2');
    const before = fx.hooks.history.list().length;
    server.options.latencyMs = 1500;

    await bridge.clickWebview(G, '#generate');
    const progress = await bridge.waitWebview<undefined, string>(
      G,
      "() => !document.getElementById('cancel').hidden && document.getElementById('progress').textContent",
    );
    assert.match(progress, /^Generating… 0 of 2 done$/);
    const shown = await bridge.waitWebview<number, { id: string; width: number }[]>(
      G,
      TILES_LOADED,
      2,
      30_000,
    );
    await waitText(G, '#progress', 'Generated 2 images.');

    assert.deepEqual(
      generations().map((r) => r.json),
      [{ prompt, model: 'qh-draw-x1-pro', size: '1280x720', n: 2 }],
    );
    const items = fx.hooks.history.list();
    assert.equal(items.length, before + 2);
    assert.deepEqual(
      shown
        .slice(0, 2)
        .map((t) => t.id)
        .sort(),
      items
        .slice(0, 2)
        .map((i) => i.id)
        .sort(),
    );
    assert.ok(shown[0].width > 0);
    const item = fx.hooks.history.get(shown[0].id);
    assert.ok(item && item.remoteUrl?.startsWith(server.cdnOrigin), JSON.stringify(item));
    const remoteUrl = item.remoteUrl;
    const tile = (action: string) => `#results li.tile[data-id="${item.id}"] [data-action=${action}]`;

    // Insert as file: saved next to the document that was active when the panel opened.
    await bridge.clickWebview(G, tile('insertFile'));
    const link = await waitFor(
      () => /!\[[^\]]*\]\(images\/([^)]+\.png)\)/.exec(editor.document.getText()),
      'the inserted file link',
    );
    assert.deepEqual(await filesIn('webviews/images'), [link[1]]);
    assert.ok(isPng(await readBytes(wsUri(`webviews/images/${link[1]}`))));
    await waitText(G, '#status', 'Image inserted.');

    await bridge.clickWebview(G, tile('insertUrl'));
    await waitFor(() => editor.document.getText().includes(`](${remoteUrl})`), 'the inserted URL');
    assert.deepEqual(await filesIn('webviews/images'), [link[1]], 'Insert URL writes no file');

    await bridge.clickWebview(G, tile('copyMarkdown'));
    const copied = await waitFor(() => fx.ui.shown.find((s) => s.kind === 'copy'), 'the copied snippet');
    assert.equal(copied.kind === 'copy' && copied.text, link[0]);
    await waitText(G, '#status', 'Copied to the clipboard.');
  });

  test('generator: Ctrl+Enter generates', async () => {
    const prompt = 'A paper boat on a rainy puddle';
    await openGenerator();
    await choose(G, '#model', 'qh-draw-x2-preview');
    await bridge.fillWebview(G, '#size', '1024x1024');
    await choose(G, '#count', '1');
    await bridge.fillWebview(G, '#prompt', prompt);
    await bridge.pressWebview(G, '#prompt', 'Control+Enter');
    await waitText(G, '#progress', 'Generated 1 image.', 20_000);
    const newest = fx.hooks.history.list()[0];
    assert.equal(newest.prompt, prompt);
    const shown = await bridge.waitWebview<number, { id: string }[]>(G, TILES_LOADED, 1);
    assert.equal(shown[0].id, newest.id);
    assert.deepEqual(
      generations().map((r) => r.json),
      [{ prompt, model: 'qh-draw-x2-preview', size: '1024x1024', n: 1 }],
    );
  });

  test('generator: Cancel during a slow generation leaves no gallery item and no file', async () => {
    await openGenerator('A slow generation that will be cancelled');
    server.enqueue('generate', { delayMs: 8000 });
    const items = fx.hooks.history.list().length;
    const cached = await cachedFiles();
    const saved = await filesIn('webviews/images');
    await bridge.clickWebview(G, '#generate');
    await waitFor(() => generations().length === 1, 'the generation request');
    await bridge.clickWebview(G, '#cancel');
    await waitText(G, '#progress', 'Generation cancelled.');
    assert.equal(await bridge.evalWebview(G, "() => document.getElementById('cancel').hidden"), true);
    assert.equal(fx.hooks.history.list().length, items);
    assert.deepEqual(await cachedFiles(), cached);
    assert.deepEqual(await filesIn('webviews/images'), saved);
    assert.deepEqual(fx.ui.errors, []);
  });

  test('screenshots of both webviews in a light and a dark theme', async () => {
    // The panel alone in the editor area, with a fresh result, beside the gallery.
    await openGenerator('A lighthouse on a cliff at dusk');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await bridge.waitWebview(G, READY);
    await bridge.clickWebview(G, 'button.chip[data-chip="golden hour"]');
    await bridge.clickWebview(G, 'button.chip[data-chip="watercolor"]');
    await bridge.clickWebview(G, '#generate');
    await waitText(G, '#progress', 'Generated 1 image.', 20_000);
    await bridge.waitWebview(G, TILES_LOADED, 1);
    await showGallery();
    await bridge.waitWebview(
      V,
      "() => document.querySelectorAll('#list .row canvas, #list .row img').length > 0",
    );
    const workbench = vscode.workspace.getConfiguration('workbench');
    for (const [theme, kind] of [
      ['Default Light Modern', 'light'],
      ['Default Dark Modern', 'dark'],
    ] as const) {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      for (const view of [G, V]) {
        await bridge.waitWebview(view, '(kind) => document.body.classList.contains(`vscode-${kind}`)', kind);
      }
      await sleep(700);
      for (const view of [G, V]) {
        const file = await bridge.screenshot(`${view}-${kind}`, view);
        assert.ok((await vscode.workspace.fs.stat(vscode.Uri.file(file))).size > 1000, file);
      }
    }
    await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  });

  test('generator: a failure shows a real error notification', async () => {
    fx.hooks.ui.target = new VsCodeUi();
    server.options.keys = ['sk-another-key-000000000000000'];
    try {
      await openGenerator('A key the server refuses');
      await bridge.clickWebview(G, '#generate');
      await waitText(G, '#progress', 'The generation failed.');
      // The smoke-test driver that runs these tests turns toasts off, so the notification is read
      // where it is listed all the same: the Notifications Center.
      await vscode.commands.executeCommand('notifications.showList');
      const shown = await bridge.waitWorkbench<string, { message: string; buttons: string[] }>(
        NOTIFICATION,
        'rejected the API key',
      );
      assert.match(shown.message, /^127\.0\.0\.1:\d+ rejected the API key \(HTTP 401\)/);
      assert.deepEqual(shown.buttons, ['Set API Key']);
    } finally {
      fx.hooks.ui.target = fx.ui;
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    }
  });

  test('generator: the serializer restores the saved prompt, choices and results', async () => {
    await closeAllEditors();
    const warnings: string[] = [];
    const unused = () => Promise.reject(new Error('not used by this test'));
    const deps: WebviewDeps = {
      extensionUri: fx.hooks.context.extensionUri,
      cacheDirs: [fx.hooks.history.imagesDir, fx.hooks.history.thumbsDir],
      files: fx.hooks.webviewDeps.files,
      history: fx.hooks.history,
      catalog: async () => ({
        models: [...BUILTIN_MODELS],
        defaultModel: 'qh-draw-x2-preview',
        defaultSize: '1024x1024',
        count: 1,
      }),
      generate: unused,
      insert: unused,
      snippet: unused,
      dropSnippet: unused,
      regenerate: unused,
      edit: unused,
      editItem: unused,
      open: unused,
      reveal: unused,
      downloadReason: fx.hooks.webviewDeps.downloadReason,
      ui: fx.ui,
      log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    };
    const serializer = new GeneratorPanelSerializer(deps);
    const resultIds = fx.hooks.history
      .list()
      .filter((i) => i.cacheFile)
      .slice(0, 2)
      .map((i) => i.id);
    assert.equal(resultIds.length, 2);
    const state: GeneratorPageState = {
      prompt: '一只猫，油画风格',
      model: 'dall-e-3',
      size: '1792x1024',
      n: 3,
      resultIds,
      chipLanguage: 'zh',
    };
    const revive = async (saved: unknown) => {
      const panel = vscode.window.createWebviewPanel(
        GENERATOR_VIEW_TYPE,
        'Image Generator',
        vscode.ViewColumn.One,
        {},
      );
      await serializer.deserializeWebviewPanel(panel, saved);
      await bridge.waitWebview(G, READY);
      return panel;
    };

    const panel = await revive(state);
    try {
      assert.equal(await value(G, '#prompt'), state.prompt);
      assert.equal(await value(G, '#model'), 'dall-e-3');
      assert.equal(await value(G, '#size'), '1792x1024');
      assert.equal(await value(G, '#count'), '3');
      assert.ok(
        await bridge.evalWebview(
          G,
          '() => !!document.querySelector(\'button.chip[data-chip="油画风格"][aria-pressed=true]\')',
        ),
      );
      const shown = await bridge.waitWebview<number, { id: string }[]>(G, TILES_LOADED, 2);
      assert.deepEqual(
        shown.map((t) => t.id),
        resultIds,
      );
    } finally {
      panel.dispose();
    }

    // A state of the wrong shape is ignored, with a warning, and the page starts from the defaults.
    const broken = await revive({
      prompt: 42,
      model: 'dall-e-3',
      size: '1024x1024',
      n: 1,
      resultIds: ['../../etc'],
    });
    try {
      assert.equal(await value(G, '#prompt'), '');
      assert.equal(await value(G, '#model'), 'qh-draw-x2-preview');
      assert.deepEqual(await tiles(), []);
      assert.ok(
        warnings.some((w) => /Ignored the saved generator state/.test(w)),
        JSON.stringify(warnings),
      );
    } finally {
      broken.dispose();
    }
  });

  test('gallery: updates live newest first, searches, reuses the prompt, inserts and deletes', async () => {
    const editor = await openDocument('webviews/gallery.md', '# Gallery\n\n');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await showGallery();
    const prompt = 'A snowy owl on a birch branch';
    const result = await vscode.commands.executeCommand<{ images: { historyId: string }[] } | undefined>(
      'imageGen.generate',
      {
        prompt,
        model: 'qh-draw-x2-preview',
        size: '1024x1024',
        n: 1,
        insertAs: 'none',
      },
    );
    const id = result?.images[0].historyId;
    assert.ok(id, JSON.stringify(fx.ui.shown));
    const first = await bridge.waitWebview<string, { id: string; prompt: string }>(
      V,
      `(id) => { const r = (${ROWS})(); return r[0] && r[0].id === id ? r[0] : undefined; }`,
      id,
    );
    assert.equal(first.prompt, prompt);
    assert.deepEqual(
      (await rows()).map((r) => r.id),
      fx.hooks.history
        .list()
        .map((i) => i.id)
        .slice(0, (await rows()).length),
      'newest first, in the history order',
    );

    await bridge.fillWebview(V, '#search', 'snowy OWL');
    await bridge.waitWebview(V, "() => document.body.dataset.count === '1'");
    assert.deepEqual(
      (await rows()).map((r) => r.id),
      [id],
    );
    await bridge.fillWebview(V, '#search', 'no such image anywhere');
    await bridge.waitWebview(
      V,
      "() => document.body.dataset.count === '0' && !document.getElementById('empty').hidden",
    );
    await bridge.fillWebview(V, '#search', '');
    await bridge.waitWebview(
      V,
      `(n) => document.body.dataset.count === String(n)`,
      fx.hooks.history.list().length,
    );

    const row = (action: string) => `#list .row[data-id="${id}"] [data-action=${action}]`;
    await bridge.clickWebview(V, row('reuse'));
    await bridge.waitWebview(
      G,
      `(p) => document.body.dataset.ready === 'true' && document.getElementById('prompt').value === p`,
      prompt,
    );

    // Insert goes into the last active text editor (the gallery has the focus meanwhile).
    await showGallery();
    await bridge.clickWebview(V, row('insert'));
    const link = await waitFor(
      () => /!\[[^\]]*\]\(images\/([^)]+\.png)\)/.exec(editor.document.getText()),
      'the inserted link',
    );
    assert.ok(await exists(wsUri(`webviews/images/${link[1]}`)));

    const item = fx.hooks.history.get(id) as HistoryItem;
    const cache = fx.hooks.history.cacheUri(item);
    assert.ok(cache && (await exists(cache)), 'the item has a cached copy before Delete');
    await bridge.clickWebview(V, row('delete'));
    await waitFor(() => !fx.hooks.history.get(id), 'the item to leave the history');
    await bridge.waitWebview(V, `(id) => !document.querySelector('#list .row[data-id="' + id + '"]')`, id);
    assert.equal(await exists(cache), false, 'the cached copy is deleted');
    const thumb = fx.hooks.history.thumbnailUri(item);
    assert.ok(!thumb || !(await exists(thumb)), 'the thumbnail is deleted');
    assert.ok(await exists(wsUri(`webviews/images/${link[1]}`)), 'the workspace file stays');
  });

  test('gallery: Clear Cache frees what is not in the workspace, rebuilds the rest from it, and can be undone', async () => {
    await showGallery();
    // The page makes each visible row's thumbnail once and the host stores it beside the image.
    const cached = fx.hooks.history.list().filter((i) => i.cacheFile);
    assert.ok(cached.length > 0);
    for (const item of cached) {
      const thumb = fx.hooks.history.thumbnailUri(item) as vscode.Uri;
      await waitFor(() => exists(thumb), `the stored thumbnail of "${item.prompt}"`);
    }
    const savedFile = async (i: HistoryItem) => {
      for (const u of i.savedUris) if (await exists(vscode.Uri.parse(u))) return true;
      return false;
    };
    const inWorkspace = new Set<string>();
    for (const i of cached) if (await savedFile(i)) inWorkspace.add(i.id);
    const cacheBytes = new Map<string, Uint8Array>();
    for (const i of cached) cacheBytes.set(i.id, await readBytes(fx.hooks.history.cacheUri(i) as vscode.Uri));

    const before = await fx.hooks.history.cacheSize();
    fx.ui.answer({ kind: 'message', action: 'undo' });
    await bridge.clickWebview(V, '#clear-cache');
    const shown = await fx.ui.waitForMessage(/image cache/);
    const after = await fx.hooks.history.cacheSize();
    // Copies rebuilt from the workspace stay; the rest is freed.
    if (inWorkspace.size > 0) assert.ok(after > 0, 'rebuilt copies are in the cache');
    if (inWorkspace.size < cached.length) assert.ok(after < before, 'the others were freed');
    assert.equal(
      shown.message,
      `Freed ${formatBytes(before - after, vscode.env.language)} from the image cache.`,
    );
    assert.deepEqual(shown.actions, ['Undo']);

    // Undo was chosen: every item has its own cached copy back, byte for byte, and no warning.
    await waitFor(
      async () => fx.hooks.history.list().filter((i) => i.cacheFile).length === cached.length,
      'every cached copy back after Undo',
    );
    for (const i of cached) {
      const now = fx.hooks.history.list().find((x) => x.id === i.id) as HistoryItem;
      assert.deepEqual(await readBytes(fx.hooks.history.cacheUri(now) as vscode.Uri), cacheBytes.get(i.id));
    }

    // Without Undo: items whose file is still in the workspace keep a copy rebuilt from it;
    // only the others lose theirs, and only those say so.
    await bridge.clickWebview(V, '#clear-cache');
    await waitFor(
      async () => fx.ui.messages.filter((m) => /image cache/.test(m.message)).length === 2,
      'second message',
    );
    const list = fx.hooks.history.list();
    for (const i of cached) {
      const now = list.find((x) => x.id === i.id) as HistoryItem;
      assert.equal(!!now.cacheFile, inWorkspace.has(i.id), `cache of "${i.prompt}"`);
    }
    const problems = await bridge.waitWebview<string[], Record<string, boolean>>(
      V,
      `(ids) => {
        const rows = [...document.querySelectorAll('#list .row[data-id]')];
        if (!rows.length) return undefined;
        return Object.fromEntries(rows.filter((r) => ids.includes(r.dataset.id)).map((r) => [r.dataset.id, !!r.querySelector('.problem')]));
      }`,
      [...inWorkspace],
    );
    for (const [id, problem] of Object.entries(problems))
      assert.equal(problem, false, `row ${id} claims no copy`);
  });

  test('gallery: Delete can be undone, with the cached file back', async () => {
    await showGallery();
    const item = fx.hooks.history.list().find((i) => i.cacheFile) as HistoryItem;
    assert.ok(item, 'an item with a cached copy');
    const bytes = await readBytes(fx.hooks.history.cacheUri(item) as vscode.Uri);
    const count = fx.hooks.history.list().length;
    fx.ui.answer({ kind: 'message', action: 'undo' });
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"]`);
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"] [data-action=delete]`);
    const shown = await fx.ui.waitForMessage(/^Image deleted\.$/);
    assert.deepEqual(shown.actions, ['Undo']);
    await waitFor(
      async () => fx.hooks.history.list().some((i) => i.id === item.id),
      'the item back after Undo',
    );
    assert.equal(fx.hooks.history.list().length, count);
    assert.deepEqual(await readBytes(fx.hooks.history.cacheUri(item) as vscode.Uri), bytes);
    await bridge.waitWebview(V, '(id) => !!document.querySelector(`#list .row[data-id="${id}"]`)', item.id);

    // Dismissed: it stays deleted.
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"] [data-action=delete]`);
    await waitFor(async () => !fx.hooks.history.list().some((i) => i.id === item.id), 'deleted');
    await waitFor(
      async () => !(await exists(fx.hooks.history.cacheUri(item) as vscode.Uri)),
      'the cached copy gone from the cache (kept in the trash)',
    );
  });

  test('gallery: Regenerate makes a new image of the same prompt, model and size; a failure shows the same reason', async () => {
    await showGallery();
    const item = fx.hooks.history.list()[0];
    assert.ok(item, 'an item to regenerate');
    const count = fx.hooks.history.list().length;
    const regenerate = `#list .row[data-id="${item.id}"] [data-action=regenerate]`;
    await bridge.clickWebview(V, `#list .row[data-id="${item.id}"]`);
    await bridge.clickWebview(V, regenerate);
    await waitFor(() => fx.hooks.history.list().length === count + 1, 'the regenerated image');
    const made = fx.hooks.history.list()[0];
    assert.notEqual(made.id, item.id);
    assert.deepEqual([made.prompt, made.model, made.size], [item.prompt, item.model, item.size]);
    const sent = server.requests.filter((r) => r.path === '/v1/images/generations').at(-1)?.json;
    assert.deepEqual(sent, { prompt: item.prompt, model: item.model, size: item.size, n: 1 });
    await bridge.waitWebview(V, '(id) => !!document.querySelector(`#list .row[data-id="${id}"]`)', made.id);

    server.enqueue('generate', {
      status: 400,
      body: {
        error: { message: 'Your prompt was flagged by the safety system.', type: 'invalid_request_error' },
      },
    });
    fx.ui.reset();
    await bridge.clickWebview(V, `#list .row[data-id="${made.id}"]`);
    await bridge.clickWebview(V, `#list .row[data-id="${made.id}"] [data-action=regenerate]`);
    const shown = await fx.ui.waitForMessage(/flagged by the safety system/);
    assert.equal(shown.kind, 'error');
    const status = await bridge.waitWebview<string, string>(
      V,
      '(text) => { const s = document.getElementById("status").textContent; return s === text ? s : undefined; }',
      shown.message,
    );
    assert.equal(status, shown.message, 'the gallery says what the notification says');
    assert.equal(fx.hooks.history.list().length, count + 1, 'a refused request adds nothing');
  });

  test('gallery: Clear All asks first', async () => {
    await showGallery();
    const count = fx.hooks.history.list().length;
    assert.ok(count > 0);
    fx.ui.answer({ kind: 'confirm', yes: false });
    await bridge.clickWebview(V, '#clear-all');
    await waitFor(() => fx.ui.questions.length === 1, 'the confirmation');
    await sleep(200);
    assert.equal(fx.hooks.history.list().length, count, 'No keeps everything');
    fx.ui.answer({ kind: 'confirm', yes: true });
    await bridge.clickWebview(V, '#clear-all');
    await waitFor(() => fx.hooks.history.list().length === 0, 'the history to be cleared');
    await bridge.waitWebview(
      V,
      "() => document.body.dataset.count === '0' && !document.getElementById('empty').hidden",
    );
    assert.equal(fx.ui.questions.length, 2);
  });

  test('gallery: 1,000 items render only the visible rows and search still works', async () => {
    await setSettings({ 'history.maxItems': 5000 });
    const now = Date.now();
    const seeded: HistoryItem[] = Array.from({ length: 1000 }, (_, i) => ({
      id: `seed-${String(i).padStart(4, '0')}`,
      prompt: `Seed item ${String(i).padStart(4, '0')}: a quiet harbour`,
      model: 'qh-draw-x2-preview',
      size: '1024x1024',
      createdAt: now - i * 60_000,
      remoteUrl: server.imageUrl(`seed-${i}`),
      savedUris: [],
    }));
    await fx.hooks.history.add(seeded);
    await showGallery();
    await bridge.waitWebview(
      V,
      "() => document.body.dataset.count === '1000' && document.body.dataset.mode === 'list'",
    );
    const rendered = await bridge.evalWebview<undefined, number>(
      V,
      "() => document.querySelectorAll('#list .row').length",
    );
    assert.ok(rendered > 0 && rendered < 60, `${rendered} rows in the DOM`);
    assert.equal((await rows())[0].id, 'seed-0000');

    // Scrolled far down, the rows there exist and the first ones are gone.
    // Row 600 by the rows' own height (the stylesheet's, not a number copied here).
    await bridge.evalWebview(
      V,
      "() => { const list = document.getElementById('list'); list.scrollTop = 600 * list.querySelector('.row').offsetHeight; }",
    );
    await bridge.waitWebview(
      V,
      '() => !!document.querySelector(\'#list .row[data-id="seed-0600"]\') && !document.querySelector(\'#list .row[data-id="seed-0000"]\')',
    );
    assert.ok(
      (await bridge.evalWebview<undefined, number>(
        V,
        "() => document.querySelectorAll('#list .row').length",
      )) < 60,
    );

    await bridge.fillWebview(V, '#search', 'item 0777');
    await bridge.waitWebview(V, "() => document.body.dataset.count === '1'");
    assert.deepEqual(
      (await rows()).map((r) => r.id),
      ['seed-0777'],
    );
    assert.equal(await text(V, '#count'), '1 of 1000 images');
    await bridge.fillWebview(V, '#search', '');
    await bridge.waitWebview(V, "() => document.body.dataset.count === '1000'");
  });

  test('host: messages of the wrong shape are dropped without effect', async () => {
    const target = fx.hooks.history.list()[0];
    assert.ok(target, 'the seeded items are there');
    await showGallery();
    const bad: unknown[] = [
      null,
      'delete',
      { type: 'nope', requestId: 1 },
      { type: 'delete', id: target.id },
      { type: 'delete', requestId: '1', id: target.id },
      { type: 'delete', requestId: -1, id: target.id },
      { type: 'delete', requestId: 1, id: '../../history.json' },
      { type: 'delete', requestId: 1, id: target.id, extra: true },
      { type: 'clearAll' },
      { type: 'clearAll', requestId: 1.5 },
      { type: 'thumbnail', id: target.id, data: 'not bytes' },
    ];
    assert.equal(await bridge.evalWorkbench(POST_AS_PAGE, { view: V, messages: bad }), bad.length);
    await openGenerator('A prompt');
    const badGenerator: unknown[] = [
      { type: 'generate', requestId: 1, prompt: '', model: 'dall-e-3', size: '1024x1024', n: 1 },
      { type: 'generate', requestId: 2, prompt: 'x', model: 'dall-e-3', size: '../1024', n: 1 },
      { type: 'generate', requestId: 3, prompt: 'x', model: 'dall-e-3', size: '1024x1024', n: 11 },
      { type: 'generate', requestId: 4, prompt: 'x', model: 'dall-e-3', size: '1024x1024', n: '1' },
      { type: 'insertFile', requestId: 5, id: 'a/b' },
    ];
    assert.equal(
      await bridge.evalWorkbench(POST_AS_PAGE, { view: G, messages: badGenerator }),
      badGenerator.length,
    );
    await sleep(500);
    assert.ok(fx.hooks.history.get(target.id), 'nothing was deleted');
    assert.equal(fx.hooks.history.list().length, 1000);
    assert.deepEqual(fx.ui.questions, [], 'Clear All did not ask');
    assert.equal(generations().length, 0, 'nothing was generated');

    // The same channel with a well-formed message does reach the host.
    await showGallery();
    await bridge.evalWorkbench(POST_AS_PAGE, {
      view: V,
      messages: [{ type: 'delete', requestId: 7, id: target.id }],
    });
    await waitFor(() => !fx.hooks.history.get(target.id), 'the valid Delete');
  });

  test('gallery: the first screen comes inside the page; what changed while hidden shows when it comes back', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await fx.hooks.history.clear();
    const item = (id: string, prompt: string, createdAt: number): HistoryItem => ({
      id,
      prompt,
      model: 'qh-draw-x2-preview',
      size: '1024x1024',
      createdAt,
      remoteUrl: server.imageUrl(id),
      savedUris: [],
    });
    const now = Date.now();
    await fx.hooks.history.add([item('first-b', 'Second </script><b>kept as text</b>', now - 1000)]);
    await fx.hooks.history.add([item('first-a', 'First of the page', now)]);
    await showGallery();
    await bridge.waitWebview(V, "() => document.body.dataset.count === '2'");
    // The page fetched neither script nor styles, and its HTML held a first screen of the history
    // (as data, which no prompt can end; which items depends on when it was last rendered).
    const inHtml = await bridge.evalWebview<undefined, { window: boolean; fetched: number }>(
      V,
      `() => ({
        window: Array.isArray(JSON.parse(document.getElementById('image-gen-init').textContent).window.items),
        fetched: document.querySelectorAll('script[src], link[rel="stylesheet"]').length,
      })`,
    );
    assert.deepEqual(inHtml, { window: true, fetched: 0 });
    assert.deepEqual(
      (await rows()).map((r) => [r.id, r.prompt]),
      [
        ['first-a', 'First of the page'],
        ['first-b', 'Second </script><b>kept as text</b>'],
      ],
    );

    await vscode.commands.executeCommand('workbench.view.explorer');
    await fx.hooks.history.remove('first-a');
    await fx.hooks.history.add([item('first-c', 'Added while hidden', now + 1000)]);
    await showGallery();
    await bridge.waitWebview(
      V,
      `() => document.body.dataset.count === '2' && document.querySelector('#list .row[data-id="first-c"]') && !document.querySelector('#list .row[data-id="first-a"]')`,
    );
    assert.deepEqual(
      (await rows()).map((r) => r.id),
      ['first-c', 'first-b'],
    );
    await fx.hooks.history.clear();
  });

  test('gallery: 10,000 items: the first rows at once, the rest as they scroll into view, search over all', async () => {
    await fx.hooks.history.clear();
    await setSettings({ 'history.maxItems': 20_000 });
    const now = Date.now();
    const id = (i: number) => `big-${String(i).padStart(5, '0')}`;
    const seeded: HistoryItem[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: id(i),
      prompt: `Big item ${String(i).padStart(5, '0')}: a lighthouse at dusk`,
      model: 'qh-draw-x2-preview',
      size: '1024x1024',
      createdAt: now - i * 1000,
      remoteUrl: server.imageUrl(id(i)),
      savedUris: [],
    }));
    await fx.hooks.history.add(seeded);
    await showGallery();
    await bridge.waitWebview(
      V,
      "() => document.body.dataset.count === '10000' && !!document.querySelector('#list .row')",
    );
    const rendered = await bridge.evalWebview<undefined, number>(
      V,
      "() => document.querySelectorAll('#list .row').length",
    );
    assert.ok(rendered > 0 && rendered < 60, `${rendered} rows in the DOM`);
    assert.deepEqual(
      (await rows()).slice(0, 3).map((r) => r.id),
      [id(0), id(1), id(2)],
    );

    // Far down, rows the host had not sent yet arrive as they come into view.
    await bridge.evalWebview(
      V,
      "() => { const list = document.getElementById('list'); list.scrollTop = 9000 * list.querySelector('.row').offsetHeight; }",
    );
    await bridge.waitWebview(
      V,
      '() => !!document.querySelector(\'#list .row[data-id="big-09000"]\') && !document.querySelector(\'#list .row[data-id="big-00000"]\')',
    );
    const far = await rows();
    assert.ok(far.length < 60, `${far.length} rows in the DOM`);
    assert.ok(
      far.some((r) => r.id === id(9000) && r.pos === 9001),
      'row 9,001 is in its place',
    );

    // The search runs over every item, not only those the page was sent.
    await bridge.fillWebview(V, '#search', 'item 09876');
    await bridge.waitWebview(V, "() => document.body.dataset.count === '1'");
    assert.deepEqual(
      (await rows()).map((r) => r.id),
      [id(9876)],
    );
    assert.equal(await text(V, '#count'), '1 of 10000 images');
    await bridge.fillWebview(V, '#search', '');
    await bridge.waitWebview(V, "() => document.body.dataset.count === '10000'");
    await fx.hooks.history.clear();
  });

  test('no page error or CSP violation was reported during the suite', async () => {
    const problems = (await bridge.errors()).filter((p: PageProblem) => p.time >= started);
    assert.deepEqual(
      problems.filter((p) => p.webview || p.kind !== 'console'),
      [],
      'from the webviews',
    );
    assert.deepEqual(
      problems.filter((p) => !WORKBENCH_NOISE.some((re) => re.test(p.text))),
      [],
      'from the workbench',
    );
  });
});
