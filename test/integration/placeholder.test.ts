// PRODUCT.md §15 in a real VS Code: the "generating…" mark shown where an image will land while it
// is generated. It is a decoration, so the document is never touched by it: these tests read what
// the editors were given (the test hooks) and assert the document text and dirty state around it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import { filesIn, openDocument, waitFor } from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-placeholder-8c2f4a1e6d90';
const DOC = 'docs/placeholder/page.md';
const IMAGES = 'docs/placeholder/images';
const ARGS = { model: 'qh-draw-x2-preview', size: '256x256' };

function generate(prompt: string): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generate', { ...ARGS, prompt });
}

suite('The placeholder while an image is generated (PRODUCT.md §15)', () => {
  const fx = useFixture({
    key: KEY,
    settings: { altText: 'prompt' },
    clean: [IMAGES],
    beforeClose: () => {
      fx.hooks.cancelAll();
      fx.server.release();
    },
  });
  const server = fx.server;

  /**
   * Starts a held generation at the cursor and waits until its request is at the server. The
   * command's promise comes back wrapped: an async function returning it would wait for it.
   */
  async function startHeld(prompt: string): Promise<{ running: Thenable<GenerateResult | undefined> }> {
    server.hold();
    const running = generate(prompt);
    await waitFor(() => server.inFlight > 0, 'the generation request');
    return { running };
  }

  test('shown at the landing line in every editor of the document, followed through typing, replaced by the image; one undo', async () => {
    const text = 'Shelves of books beside\nthe window.\n\nNext.\n';
    const editor = await openDocument(DOC, text);
    const at = editor.document.positionAt(text.indexOf('beside'));
    editor.selection = new vscode.Selection(at, at);
    const uri = editor.document.uri;
    const { running } = await startHeld('books on a shelf');

    const mark = '⟳ Image Gen: generating "books on a shelf"';
    assert.deepEqual(fx.hooks.placeholders(uri), [{ uri: uri.toString(), line: 2, text: mark }]);
    assert.equal(editor.document.getText(), text, 'the placeholder is not text of the document');
    assert.equal(editor.document.isDirty, false);

    // A second editor of the same document shows it too.
    await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.Two });
    await waitFor(() => fx.hooks.placeholders(uri).length === 2, 'the mark in both editors');

    // Typing above moves it with the paragraph.
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'A new first line.\n\n')));
    const typed = editor.document.getText();
    await waitFor(() => fx.hooks.placeholders(uri).every((p) => p.line === 4), 'the mark two lines down');

    server.release();
    assert.ok(await running, JSON.stringify(fx.ui.shown));
    assert.deepEqual(fx.hooks.placeholders(uri), [], 'gone once the image is in');
    const [file] = await filesIn(IMAGES);
    assert.equal(
      editor.document.getText(),
      `A new first line.\n\nShelves of books beside\nthe window.\n\n![books on a shelf](images/${file})\n\nNext.\n`,
    );

    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), typed, 'one undo takes the image, and only the image, away');
  });

  test('a failure removes it and leaves the document byte for byte as before, not dirty', async () => {
    // A document of its own: one already open keeps the line endings it was opened with.
    const text = '# Page\r\n\r\nA paper boat\r\n';
    const editor = await openDocument('docs/placeholder/crlf.md', text);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    server.enqueue('generate', { status: 500 });
    const { running } = await startHeld('a paper boat');
    assert.deepEqual(
      fx.hooks.placeholders(editor.document.uri).map((p) => p.line),
      [1],
    );
    server.release();
    assert.equal(await running, undefined);
    assert.deepEqual(fx.hooks.placeholders(), []);
    assert.equal(editor.document.getText(), text);
    assert.equal(editor.document.isDirty, false);
    assert.equal(fx.ui.errors.length, 1, JSON.stringify(fx.ui.shown));
  });

  test('a cancel removes it and leaves the document byte for byte as before, not dirty', async () => {
    const text = 'Alpha.\n\nBeta.';
    const editor = await openDocument(DOC, text);
    editor.selection = new vscode.Selection(2, 2, 2, 2);
    const { running } = await startHeld('cancel me');
    assert.deepEqual(
      fx.hooks.placeholders(editor.document.uri).map((p) => p.line),
      [2],
    );
    fx.hooks.cancelAll();
    assert.equal(await running, undefined);
    assert.deepEqual(fx.hooks.placeholders(), []);
    assert.equal(editor.document.getText(), text);
    assert.equal(editor.document.isDirty, false);
    assert.deepEqual(fx.ui.errors, [], 'a cancel is not an error');
  });
});
