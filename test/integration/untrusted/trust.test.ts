// Runs in the `untrusted` suite: code-server launched with workspace trust on and the folder not
// trusted, so restricted-mode behaviour (PRODUCT.md §7) can be tested.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('Untrusted workspace', () => {
  test('the workspace is not trusted and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension('imagegen.image-gen');
    assert.ok(ext, 'the extension is not loaded in restricted mode');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
