// PRODUCT.md §10, what the workspace and the disk control, in a real VS Code: the gallery history
// shared by several windows and kept aside when unreadable, saves that follow no symbolic link out
// of the workspace, notebook Markdown cells, LaTeX targets, image pixel bombs in the gallery, and
// the webviews' resource roots.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import type { HistoryChange, HistoryItem } from '../../src/core/history';
import { HistoryStore } from '../../src/services/historyStore';
import { HistoryTrash, TRASH_KEEP_MS } from '../../src/services/historyTrash';
import { Logger } from '../../src/services/logger';
import { renderImage } from '../fixtures/png';
import { browserBridge } from './support/bridge';
import { filesIn, openDocument, removeAll, select, setSettings, waitFor, wsUri } from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-workspace-9d8c7b6a5f4e3d21';
const PROMPT = 'A fox reading a map by lantern light';
const MODEL = 'qh-draw-x2-preview';
const SIZE = '256x256';

function fromSelection(arg: Record<string, unknown> = {}): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: MODEL,
    size: SIZE,
    ...arg,
  });
}

function item(id: string, createdAt: number): HistoryItem {
  return { id, prompt: `prompt ${id}`, model: MODEL, size: SIZE, createdAt, savedUris: [] };
}

suite('Workspace: history shared by windows and kept aside when unreadable', () => {
  let dir: string;
  let log: Logger;

  setup(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-history-'));
    log = new Logger('Image Gen (history test)');
  });
  teardown(() => {
    log.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('two stores on one folder writing at once lose no item (merge by id under a lock)', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.file(dir);
    const a = new HistoryStore(uri, () => 500, log);
    const b = new HistoryStore(uri, () => 500, log);
    await Promise.all([a.ready(), b.ready()]);
    const now = Date.now();
    // 40 rounds: each window adds an item in the same tick, so their writes overlap.
    for (let round = 0; round < 40; round++) {
      await Promise.all([a.add([item(`a${round}`, now + round)]), b.add([item(`b${round}`, now + round)])]);
    }
    // Changes and deletes travel too: once each window has written again (and so merged the
    // other's items), A deletes one of B's items and B updates one of A's.
    await Promise.all([a.flush(), b.flush()]);
    await a.update('a0', { revisedPrompt: 'seen by A' });
    await a.flush();
    await b.update('b0', { revisedPrompt: 'seen by B' });
    await b.flush();
    assert.ok(a.get('b7') && b.get('a3'), 'each window has merged the other one');
    await a.remove('b7');
    await b.update('a3', { savedUris: ['file:///x.png'] });
    await Promise.all([a.add([item('a-last', now + 100)]), b.add([item('b-last', now + 100)])]);
    await Promise.all([a.flush(), b.flush()]);
    const reader = new HistoryStore(uri, () => 500, log);
    await reader.ready();
    const ids = new Set(reader.list().map((i) => i.id));
    const expected = [
      ...Array.from({ length: 40 }, (_, r) => `a${r}`),
      ...Array.from({ length: 40 }, (_, r) => `b${r}`).filter((id) => id !== 'b7'),
      'a-last',
      'b-last',
    ];
    assert.deepEqual(
      expected.filter((id) => !ids.has(id)),
      [],
      'items lost',
    );
    assert.equal(ids.has('b7'), false, 'a deleted item stays deleted');
    assert.equal(reader.list().length, expected.length);
    assert.deepEqual(reader.get('a3')?.savedUris, ['file:///x.png'], "another window's change is kept");
    const leftovers = fs.readdirSync(dir).filter((n) => n !== 'history.json');
    assert.deepEqual(leftovers, [], 'no temporary or lock file left behind');
    for (const s of [a, b, reader]) s.dispose();
  });

  test("another window leaves this window's trash alone: Undo still brings the file back; a day-old trash goes", async () => {
    const uri = vscode.Uri.file(dir);
    const a = new HistoryStore(uri, () => 500, log);
    await a.ready();
    await a.add([item('t1', Date.now()), item('t2', Date.now() - 1)]);
    const png = renderImage({ prompt: 'trash', width: 16, height: 16, index: 0 });
    const type = { ext: 'png', mime: 'image/png' } as const;
    const files = {
      t1: await a.cacheImage('t1', png, type),
      t2: await a.cacheImage('t2', png, type),
    };
    await a.update('t1', { cacheFile: files.t1 });
    await a.update('t2', { cacheFile: files.t2 });
    const cached = (id: 't1' | 't2'): string => path.join(dir, 'images', files[id]);
    assert.ok(fs.existsSync(cached('t1')) && fs.existsSync(cached('t2')));
    await a.remove('t1');
    assert.equal(fs.existsSync(cached('t1')), false, 'the file went with the item');

    // Another window opens on the same storage and empties old trash.
    const b = new HistoryStore(uri, () => 500, log);
    await b.ready();
    await new HistoryTrash(vscode.Uri.joinPath(uri, 'trash')).emptyOld();
    assert.equal(await a.restore(['t1']), 1);
    assert.equal(a.get('t1')?.cacheFile, files.t1);
    assert.ok(fs.existsSync(cached('t1')), 'Undo brought the file back');

    // A trash left untouched for a day is emptied; an Undo after that brings the record alone.
    await a.remove('t2');
    const trash = path.join(dir, 'trash');
    const old = (Date.now() - TRASH_KEEP_MS - 60_000) / 1000;
    for (const session of fs.readdirSync(trash)) fs.utimesSync(path.join(trash, session), old, old);
    await new HistoryTrash(vscode.Uri.joinPath(uri, 'trash')).emptyOld();
    assert.deepEqual(fs.readdirSync(trash), []);
    assert.equal(await a.restore(['t2']), 1);
    assert.equal(a.get('t2')?.cacheFile, undefined, 'no cached copy is named that is not there');
    for (const s of [a, b]) s.dispose();
  });

  test('a change says whether the history only grew: adds and updates do, removals, evictions and cache changes do not', async () => {
    // A history another window left: this one reads it first, then writes over it.
    const earlier = new HistoryStore(vscode.Uri.file(dir), () => 3, log);
    await earlier.add([item('g0', Date.now() - 1000)]);
    await earlier.flush();
    earlier.dispose();
    const store = new HistoryStore(vscode.Uri.file(dir), () => 3, log);
    await store.ready();
    assert.deepEqual(
      store.list().map((i) => i.id),
      ['g0'],
    );
    const seen: HistoryChange[] = [];
    const listening = store.onDidChange((change) => seen.push(change));
    const step = async (what: () => Promise<unknown>): Promise<HistoryChange[]> => {
      seen.length = 0;
      await what();
      // Writing the file back adds no change: it is as this window last read or wrote it.
      await store.flush();
      return [...seen];
    };
    const now = Date.now();
    // What a page shows stays valid after these (every file it names is still there).
    assert.deepEqual(await step(() => store.add([item('g1', now), item('g2', now + 1)])), ['grew']);
    assert.deepEqual(await step(() => store.update('g1', { savedUris: ['file:///g1.png'] })), ['grew']);
    // These may take away an item or a file a page names.
    assert.deepEqual(
      await step(() => store.add([item('g3', now + 2), item('g4', now + 3)])),
      ['changed'],
      'g0 and g1 evicted',
    );
    assert.deepEqual(await step(() => store.remove('g2')), ['changed']);
    assert.deepEqual(await step(() => store.restore(['g2'])), ['changed']);
    assert.deepEqual(await step(() => store.update('g2', { cacheFile: undefined })), ['changed']);
    assert.deepEqual(await step(() => store.clearCache()), ['changed']);
    assert.deepEqual(await step(() => store.clear()), ['changed']);
    listening.dispose();
    store.dispose();
  });

  test('an unparsable history file is kept aside as history.corrupt-<time>.json and reported, not replaced', async () => {
    const garbage = '[{"id":"x", "prompt": TRUNCATED';
    fs.writeFileSync(path.join(dir, 'history.json'), garbage);
    const reports: string[] = [];
    const store = new HistoryStore(
      vscode.Uri.file(dir),
      () => 500,
      log,
      (m) => reports.push(m),
    );
    await store.ready();
    assert.deepEqual(store.list(), []);
    const aside = fs.readdirSync(dir).filter((n) => /^history\.corrupt-.+\.json$/.test(n));
    assert.equal(aside.length, 1, fs.readdirSync(dir).join(', '));
    assert.equal(
      fs.readFileSync(path.join(dir, aside[0]), 'utf8'),
      garbage,
      'the bytes are kept as they were',
    );
    assert.equal(reports.length, 1);
    assert.match(reports[0], /could not be read\. It was kept as .*history\.corrupt-.*\.json/);
    await store.add([item('fresh', Date.now())]);
    await store.flush();
    assert.deepEqual(
      (JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8')) as HistoryItem[]).map((i) => i.id),
      ['fresh'],
    );
    assert.equal(fs.readFileSync(path.join(dir, aside[0]), 'utf8'), garbage, 'still there after a write');
    // A file of the wrong shape and one that is not UTF-8 count too.
    for (const bad of [Buffer.from('{"not":"a list"}'), Buffer.from([0xff, 0xfe, 0x00, 0x5b])]) {
      fs.writeFileSync(path.join(dir, 'history.json'), bad);
      const again = new HistoryStore(
        vscode.Uri.file(dir),
        () => 500,
        log,
        (m) => reports.push(m),
      );
      await again.ready();
      assert.deepEqual(again.list(), []);
      again.dispose();
    }
    assert.equal(reports.length, 3);
    assert.equal(fs.readdirSync(dir).filter((n) => n.startsWith('history.corrupt-')).length, 3);
    store.dispose();
  });
});

suite('Workspace: saves, notebooks, LaTeX and previews', () => {
  const fx = useFixture({ key: KEY });
  const { server } = fx;

  suiteTeardown(() => removeAll('docs/ws'));

  test('a folder that is a symbolic link out of the workspace is refused: nothing written outside', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-outside-'));
    await removeAll('docs/ws/sym');
    fs.mkdirSync(wsUri('docs/ws/sym').fsPath, { recursive: true });
    fs.symlinkSync(outside, wsUri('docs/ws/sym/images').fsPath, 'dir');
    try {
      const text = `${PROMPT}\n`;
      const editor = await openDocument('docs/ws/sym/page.md', text);
      select(editor, PROMPT);
      const result = await fromSelection();
      assert.ok(result, JSON.stringify(fx.ui.shown));
      await fx.ui.waitForMessage(
        /^The folder docs\/ws\/sym\/images leads elsewhere through a symbolic link, so no file was saved there\./,
      );
      assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written through the link');
      assert.equal(editor.document.getText(), text, 'no text was inserted');
      // A dangling link under the file's own name is never written through either.
      const target = path.join(outside, 'planted.png');
      await setSettings({ destination: 'pics/planted.png' });
      fs.mkdirSync(wsUri('docs/ws/sym/pics').fsPath, { recursive: true });
      fs.symlinkSync(target, wsUri('docs/ws/sym/pics/planted.png').fsPath);
      select(editor, PROMPT);
      const second = await fromSelection();
      assert.ok(second?.images[0]?.uri, JSON.stringify(fx.ui.shown));
      assert.ok(second.images[0].uri.endsWith('/pics/planted-1.png'), second.images[0].uri);
      assert.equal(fs.existsSync(target), false, 'the dangling link was not written through');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
      await removeAll('docs/ws/sym');
    }
  });

  test('a document in no workspace folder: its images stay in its folder, a link out of it is refused', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-loose-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'image-gen-outside-'));
    fs.symlinkSync(outside, path.join(home, 'images'), 'dir');
    const file = path.join(home, 'loose.md');
    const text = `${PROMPT}\n`;
    fs.writeFileSync(file, text);
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
      assert.equal(vscode.workspace.getWorkspaceFolder(editor.document.uri), undefined);
      select(editor, PROMPT);
      const result = await fromSelection();
      assert.ok(result, JSON.stringify(fx.ui.shown));
      await fx.ui.waitForMessage(/leads elsewhere through a symbolic link, so no file was saved there/);
      assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written through the link');
      assert.equal(editor.document.getText(), text, 'no text was inserted');
      // Without the link, the image goes beside the document.
      fs.unlinkSync(path.join(home, 'images'));
      select(editor, PROMPT);
      const saved = await fromSelection();
      assert.ok(saved?.images[0]?.uri, JSON.stringify(fx.ui.shown));
      assert.equal(fs.readdirSync(path.join(home, 'images')).length, 1);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a notebook Markdown cell gets its image: the file beside the notebook, the link in the cell', async function () {
    this.timeout(90_000);
    await removeAll('docs/ws/nb');
    const notebook = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: [`# Notes\n`, `\n`, PROMPT] },
        { cell_type: 'code', metadata: {}, source: ['print(1)'], outputs: [], execution_count: null },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const uri = wsUri('docs/ws/nb/notes.ipynb');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(notebook)));
    let document: vscode.NotebookDocument;
    try {
      document = await vscode.workspace.openNotebookDocument(uri);
    } catch (e) {
      // No serializer for .ipynb (the built-in ipynb extension is missing): nothing to test here.
      console.log(`no notebook support: ${String(e)}`);
      this.skip();
    }
    const notebookEditor = await vscode.window.showNotebookDocument(document);
    const cell = document.cellAt(0);
    // Put the Markdown cell into edit mode, as a user does by double-clicking it.
    notebookEditor.selections = [new vscode.NotebookRange(0, 1)];
    const editor = await waitFor(
      async () => {
        const active = vscode.window.activeTextEditor;
        if (active?.document === cell.document) return active;
        await vscode.commands.executeCommand('notebook.cell.edit');
        return undefined;
      },
      'an editor on the Markdown cell',
      20_000,
    );
    select(editor, PROMPT);
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const files = await filesIn('docs/ws/nb/images');
    assert.equal(files.length, 1, 'saved beside the notebook, in its images/ folder');
    assert.equal(result.images[0].uri, wsUri(`docs/ws/nb/images/${files[0]}`).toString());
    assert.equal(cell.document.getText(), `# Notes\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})`);
    assert.equal(document.cellAt(1).document.getText(), 'print(1)', 'the code cell is untouched');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('LaTeX: a remote URL becomes a comment plus \\url{}; a path with % is refused with a message', async () => {
    await removeAll('docs/ws/tex');
    const text = `\\section{Figures}\n${PROMPT}\n`;
    const editor = await openDocument('docs/ws/tex/paper.tex', text);
    select(editor, PROMPT);
    const result = await fromSelection({ insertAs: 'url' });
    const url = result?.images[0]?.url;
    assert.ok(url, JSON.stringify(fx.ui.shown));
    assert.equal(
      editor.document.getText(),
      `\\section{Figures}\n${PROMPT}\n% \\includegraphics needs a local file: download this image (Image Gen)\n\\url{${url}}\n`,
    );
    await setSettings({ destination: 'fig 100%/${fileName}' });
    const before = editor.document.getText();
    select(editor, PROMPT);
    await fromSelection({ insertAs: 'file' });
    await fx.ui.waitForMessage(/contains %, # or \\, which LaTeX cannot load/);
    assert.equal(editor.document.getText(), before, 'no broken \\includegraphics was inserted');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await removeAll('docs/ws/tex');
  });

  test('an image whose header declares over 50 megapixels is cached but never decoded in the gallery', async function () {
    this.timeout(30_000);
    const png = Buffer.from(server.renderFor(PROMPT, SIZE, 3));
    png.writeUInt32BE(20_000, 16); // IHDR width
    png.writeUInt32BE(20_000, 20); // IHDR height: 400 megapixels declared
    const url = server.addFile(png, `bomb-${randomUUID()}`);
    server.enqueue('generate', { images: [{ url }] });
    const result = await fromSelection({ insertAs: 'none', prompt: 'pixel bomb' });
    const id = result?.images[0]?.historyId;
    assert.ok(id, JSON.stringify(fx.ui.shown));
    const stored = fx.hooks.history.get(id);
    assert.equal(stored?.width, 20_000);
    assert.ok(stored?.cacheFile, 'the bytes are cached (they can still be saved as a file)');
    const bridge = browserBridge();
    // Without a browser the gallery half cannot run: pending, not passed.
    if (!bridge.available()) this.skip();
    await vscode.commands.executeCommand('imageGen.gallery.focus');
    await bridge.waitWebview('gallery', "() => document.body.dataset.ready === 'true'");
    const seen = await bridge.waitWebview<string, { images: number; note: string }>(
      'gallery',
      `(rowId) => {
        const row = document.querySelector('[data-id="' + rowId + '"]');
        if (!row) return undefined;
        return {
          images: row.querySelectorAll('img, canvas').length,
          note: row.querySelector('.problem')?.getAttribute('title') ?? '',
        };
      }`,
      id,
    );
    assert.equal(seen.images, 0, 'no image or thumbnail was decoded');
    assert.equal(seen.note, 'No preview: the image declares 20000 × 20000 pixels, more than 50 megapixels.');
  });

  test('webviews may load their own scripts and the image cache, nothing else of global storage', async () => {
    const roots = fx.hooks.webviewRoots().map((u) => u.toString());
    assert.deepEqual(roots, [
      vscode.Uri.joinPath(fx.hooks.context.extensionUri, 'dist', 'webviews').toString(),
      fx.hooks.history.imagesDir.toString(),
      fx.hooks.history.thumbsDir.toString(),
    ]);
    const history = vscode.Uri.joinPath(fx.hooks.history.storageDir, 'history.json').toString();
    assert.ok(!roots.some((r) => history.startsWith(`${r}/`)), 'history.json is under no resource root');
  });
});
