// PRODUCT.md §15 in a real VS Code: where an image lands from every entry point (palette,
// selection, the panel's and the gallery's Insert), the selection after it, failure and cancel
// leaving the text as it was, one undo, re-inserting an image already saved in the workspace, hover. Assertions are on the exact document text and files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import type { HistoryItem } from '../../src/core/history';
import { renderImage } from '../fixtures/png';
import { filesIn, openDocument, select, waitFor, wsUri } from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-placement-5d1e0c7a9b3f';
const DOC = 'docs/placement/page.md';
const IMAGES = 'docs/placement/images';
const ARGS = { model: 'qh-draw-x2-preview', size: '256x256' };

function generate(arg: Record<string, unknown>): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generate', { ...ARGS, ...arg });
}
function fromSelection(arg: Record<string, unknown> = {}): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    ...ARGS,
    ...arg,
  });
}

/** Everything the hovers at `position` show, as one text. */
async function hoverText(document: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document,
    position,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Puts the cursor right before the first occurrence of `text`. */
function cursorBefore(editor: vscode.TextEditor, text: string, plus = 0): vscode.Position {
  const offset = editor.document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" is not in the document`);
  const at = editor.document.positionAt(offset + plus);
  editor.selection = new vscode.Selection(at, at);
  return at;
}

async function onlyFile(): Promise<string> {
  const files = await filesIn(IMAGES);
  assert.equal(files.length, 1, `files: ${files}`);
  return files[0];
}

suite('Where an image lands (PRODUCT.md §15)', () => {
  const fx = useFixture({ key: KEY, settings: { altText: 'prompt' }, clean: [IMAGES] });
  const server = fx.server;

  test('palette, cursor on the blank line between two paragraphs: between them, both blank lines kept', async () => {
    const editor = await openDocument(DOC, 'First paragraph.\n\nSecond paragraph.\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    assert.ok(await generate({ prompt: 'a quiet harbour' }), JSON.stringify(fx.ui.shown));
    const file = await onlyFile();
    assert.equal(
      editor.document.getText(),
      `First paragraph.\n\n![a quiet harbour](images/${file})\n\nSecond paragraph.\n`,
    );
    assert.ok(editor.selection.isEmpty && editor.selection.active.isEqual(new vscode.Position(1, 0)));
  });

  test('palette, cursor inside a line: after the end of that paragraph, never inside the sentence', async () => {
    const editor = await openDocument(DOC, 'Shelves of books beside\nthe window.\n\nNext.\n');
    const cursor = cursorBefore(editor, 'beside');
    assert.ok(await generate({ prompt: 'books' }));
    const file = await onlyFile();
    assert.equal(
      editor.document.getText(),
      `Shelves of books beside\nthe window.\n\n![books](images/${file})\n\nNext.\n`,
    );
    assert.ok(editor.selection.isEmpty, 'the cursor is not moved into the link');
    assert.ok(editor.selection.active.isEqual(cursor), 'the cursor stays where it was');
  });

  test('Windows line endings are kept', async () => {
    // A document of its own: one already open keeps the line endings it was opened with.
    const editor = await openDocument('docs/placement/crlf.md', 'One.\r\n\r\nTwo.\r\n');
    cursorBefore(editor, 'One', 2);
    assert.ok(await generate({ prompt: 'crlf' }));
    const file = await onlyFile();
    assert.equal(editor.document.getText(), `One.\r\n\r\n![crlf](images/${file})\r\n\r\nTwo.\r\n`);
  });

  test('from a selection: its own paragraph below it, and the selection stays what it was', async () => {
    const editor = await openDocument(DOC, '# Title\n\nA fox in the snow\nand more text.\n');
    select(editor, 'A fox in the snow');
    const before = editor.selection;
    assert.ok(await fromSelection());
    const file = await onlyFile();
    assert.equal(
      editor.document.getText(),
      `# Title\n\nA fox in the snow\n\n![A fox in the snow](images/${file})\n\nand more text.\n`,
    );
    assert.ok(editor.selection.isEqual(before), `selection ${JSON.stringify(editor.selection)}`);
    assert.equal(editor.document.getText(editor.selection), 'A fox in the snow');
  });

  test('from a whole-line selection (triple-click, line break included): the selection does not grow over the image', async () => {
    const editor = await openDocument(DOC, 'A heron at dawn\n\nNext.\n');
    const before = new vscode.Selection(0, 0, 1, 0);
    editor.selection = before;
    assert.ok(await fromSelection());
    const file = await onlyFile();
    assert.equal(
      editor.document.getText(),
      `A heron at dawn\n\n![A heron at dawn](images/${file})\n\nNext.\n`,
    );
    assert.ok(
      editor.selection.isEqual(new vscode.Selection(0, 0, 0, 'A heron at dawn'.length)),
      `selection ${JSON.stringify(editor.selection)}`,
    );
  });

  test('one undo takes the image away', async () => {
    const text = 'Intro.\n\nA lantern at night\n\nOutro.\n';
    const editor = await openDocument(DOC, text);
    select(editor, 'A lantern at night');
    assert.ok(await fromSelection());
    const file = await onlyFile();
    const done = `Intro.\n\nA lantern at night\n\n![A lantern at night](images/${file})\n\nOutro.\n`;
    assert.equal(editor.document.getText(), done);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), text);
  });

  test('a failure leaves the document byte for byte as before', async () => {
    const text = '# Page\n\nA paper boat\nstill here\n';
    const editor = await openDocument(DOC, text);
    cursorBefore(editor, 'paper');
    server.options.latencyMs = 500;
    server.enqueue('generate', { status: 500 });
    const running = generate({ prompt: 'a paper boat' });
    await waitFor(() => server.requests.length > 0, 'the request');
    assert.equal(await running, undefined);
    assert.equal(editor.document.getText(), text);
    assert.deepEqual(await filesIn(IMAGES), []);
  });

  test('a cancel leaves the document byte for byte as before', async () => {
    const text = 'Alpha.\n\nBeta.\n';
    const editor = await openDocument(DOC, text);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    server.options.latencyMs = 3000;
    const running = generate({ prompt: 'cancel me' });
    await waitFor(() => server.requests.length > 0, 'the request');
    const known = fx.hooks.history.list().length;
    fx.hooks.cancelAll();
    assert.equal(await running, undefined);
    assert.equal(editor.document.getText(), text);
    assert.deepEqual(await filesIn(IMAGES), [], 'nothing saved');
    assert.equal(fx.hooks.history.list().length, known, 'nothing kept in the gallery: nothing was paid for');
    assert.deepEqual(fx.ui.errors, [], 'a cancel is not an error');
  });

  suite('Insert from the panel and the gallery', () => {
    let item: HistoryItem;

    setup(async () => {
      const result = await generate({ prompt: 'a red kite', insertAs: 'none' });
      assert.ok(result);
      const found = fx.hooks.history.get(result.images[0].historyId);
      assert.ok(found?.cacheFile);
      item = found;
    });

    test('panel Insert (target document), cursor between paragraphs', async () => {
      const editor = await openDocument(DOC, 'Para one.\n\nPara two.\n');
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      assert.ok(await fx.hooks.webviewDeps.insert(item, 'file', editor.document.uri));
      const file = await onlyFile();
      assert.equal(editor.document.getText(), `Para one.\n\n![a red kite](images/${file})\n\nPara two.\n`);
    });

    test('gallery Insert (last editor), cursor inside a line, with a selection kept', async () => {
      const editor = await openDocument(DOC, 'Words before the kite\nand after.\n\nEnd.\n');
      select(editor, 'kite');
      const before = editor.selection;
      assert.ok(await fx.hooks.webviewDeps.insert(item, 'file', undefined));
      const file = await onlyFile();
      assert.equal(
        editor.document.getText(),
        `Words before the kite\n\n![a red kite](images/${file})\n\nand after.\n\nEnd.\n`,
      );
      assert.ok(editor.selection.isEqual(before));
    });

    test('re-inserting an image saved in this workspace links the existing file, no duplicate', async () => {
      const editor = await openDocument(DOC, 'One.\n\nTwo.\n');
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      assert.ok(await fx.hooks.webviewDeps.insert(item, 'file', editor.document.uri));
      const file = await onlyFile();
      const current = fx.hooks.history.get(item.id);
      assert.ok(current);
      const end = editor.document.positionAt(editor.document.getText().length);
      editor.selection = new vscode.Selection(end, end);
      assert.ok(await fx.hooks.webviewDeps.insert(current, 'file', editor.document.uri));
      assert.deepEqual(await filesIn(IMAGES), [file], 'no second file');
      assert.equal(
        editor.document.getText(),
        `One.\n\n![a red kite](images/${file})\n\nTwo.\n\n![a red kite](images/${file})\n`,
      );
      // From a document elsewhere the link is relative to it.
      const other = await openDocument('docs/other.md', 'Elsewhere.\n');
      assert.ok(await fx.hooks.webviewDeps.insert(current, 'file', other.document.uri));
      assert.equal(other.document.getText(), `Elsewhere.\n\n![a red kite](placement/images/${file})\n`);
      assert.deepEqual(await filesIn(IMAGES), [file]);
      await vscode.workspace.fs.delete(wsUri('docs/other.md'));
    });

    test('hovering an image link shows the picture and its prompt, from the gallery or from the file', async () => {
      const editor = await openDocument(DOC, 'Text.\n');
      assert.ok(await fx.hooks.webviewDeps.insert(item, 'file', editor.document.uri));
      const file = await onlyFile();
      const at = editor.document.positionAt(editor.document.getText().indexOf('![') + 3);
      const text = await hoverText(editor.document.uri, at);
      assert.ok(!text.includes('&nbsp;'), 'the prompt wraps like prose (no non-breaking spaces)');
      assert.ok(text.includes(wsUri(`${IMAGES}/${file}`).toString(true)), text);
      assert.match(text, /Prompt: a red kite/);
      // A teammate's checkout: the gallery has never seen the file; its PNG text chunk tells.
      await fx.hooks.history.clear();
      const fromFileText = await hoverText(editor.document.uri, at);
      assert.ok(fromFileText.includes(wsUri(`${IMAGES}/${file}`).toString(true)), fromFileText);
      assert.match(fromFileText, /Prompt: a red kite/);
      // A picture that carries nothing of ours: the picture alone.
      await vscode.workspace.fs.writeFile(
        wsUri(`${IMAGES}/plain.png`),
        renderImage({ prompt: 'plain', width: 16, height: 16, index: 0 }),
      );
      const plainEditor = await openDocument(
        DOC,
        'Text.\n\n![plain](images/plain.png)\n\n![endless](file:///dev/zero)\n',
      );
      const unknownText = await hoverText(plainEditor.document.uri, new vscode.Position(2, 3));
      assert.ok(unknownText.includes(wsUri(`${IMAGES}/plain.png`).toString(true)), unknownText);
      assert.doesNotMatch(unknownText, /Prompt:/);
      // A device reports size 0 and never ends: it is not read for a prompt (the hover comes back).
      const deviceText = await hoverText(plainEditor.document.uri, new vscode.Position(4, 3));
      assert.ok(deviceText.includes('/dev/zero'), deviceText);
      assert.doesNotMatch(deviceText, /Prompt:/);
      // Nothing for text that is not an image link.
      assert.doesNotMatch(await hoverText(plainEditor.document.uri, new vscode.Position(0, 1)), /Prompt:/);
    });
  });
});
