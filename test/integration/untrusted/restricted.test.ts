// Runs in the `untrusted` suite (workspace trust on, folder not trusted): the workspace's own
// .vscode/settings.json cannot redirect the key, the files or the request body (PRODUCT.md §7).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../../src/commands/generate';
import { ImageServer } from '../../fixtures/imageServer';
import {
  authHeaders,
  closeAllEditors,
  filesIn,
  openDocument,
  recordUi,
  removeAll,
  resetSettings,
  select,
  testHooks,
  waitFor,
  wsUri,
} from '../support/env';
import type { RecordingUi } from '../support/recordingUi';

/** The balance refresh after a generation asks the same origin with the same key; these checks are about the generation. */
const withoutBalance = <T extends { path: string }>(requests: readonly T[]): T[] =>
  requests.filter((r) => !r.path.startsWith('/v1/dashboard/'));
const PROMPT = 'A locked gate in an overgrown garden';
const USER_KEY = 'sk-user-level-0f9e8d7c6b5a4938';

function generate(): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: 'qh-draw-x2-preview',
    size: '256x256',
  });
}

suite('Untrusted workspace: restricted settings come from the user only', () => {
  const userServer = new ImageServer();
  const workspaceServer = new ImageServer();
  let ui: RecordingUi;

  suiteSetup(async () => {
    await userServer.start();
    await workspaceServer.start();
    ui = await recordUi();
    // The user's own choices.
    const user = vscode.workspace.getConfiguration('imageGen');
    await user.update('baseUrl', userServer.baseUrl, vscode.ConfigurationTarget.Global);
    await user.update('maxRetries', 0, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('imageGen.setApiKey', USER_KEY);

    // What a cloned repository would ship, written as a file (the API may refuse restricted writes).
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('imageGen.altText')) {
          sub.dispose();
          resolve();
        }
      });
    });
    const workspaceSettings = {
      'imageGen.baseUrl': workspaceServer.baseUrl,
      'imageGen.destination': '/workspace-images/${fileName}',
      'imageGen.extraParameters': { response_format: 'b64_json', quality: 'hd', exfiltrate: 'workspace' },
      // Not restricted: it must still apply, which proves the file was read.
      'imageGen.altText': 'empty',
    };
    await vscode.workspace.fs.writeFile(
      wsUri('.vscode/settings.json'),
      new TextEncoder().encode(JSON.stringify(workspaceSettings, null, 2)),
    );
    await changed;
    await waitFor(
      () => vscode.workspace.getConfiguration('imageGen').get('altText') === 'empty',
      'the workspace settings to load',
    );
  });
  suiteTeardown(async () => {
    await userServer.stop();
    await workspaceServer.stop();
    await vscode.workspace.fs.delete(wsUri('.vscode/settings.json')).then(undefined, () => undefined);
    await resetSettings();
  });
  setup(async () => {
    userServer.reset();
    workspaceServer.reset();
    ui.reset();
    await removeAll('user-images');
    await removeAll('workspace-images');
    await removeAll('restricted');
  });
  teardown(async () => {
    await closeAllEditors();
  });

  test('workspace-level baseUrl, destination and extraParameters are ignored; the rest of the workspace settings apply', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite runs in restricted mode');
    const hooks = await testHooks();
    const user = vscode.workspace.getConfiguration('imageGen');
    await user.update('destination', '/user-images/${fileName}', vscode.ConfigurationTarget.Global);
    await user.update('extraParameters', { quality: 'standard' }, vscode.ConfigurationTarget.Global);
    await waitFor(
      () => vscode.workspace.getConfiguration('imageGen').inspect('destination')?.globalValue !== undefined,
      'the user value',
    );

    const editor = await openDocument('restricted/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await generate();
    assert.ok(result?.images[0]?.uri, JSON.stringify(ui.shown));

    // baseUrl: the user's server got the request (and the key); the workspace's got nothing.
    assert.deepEqual(workspaceServer.requests, [], 'the workspace-level baseUrl was not used');
    const gens = userServer.requests.filter((r) => r.path === '/v1/images/generations');
    assert.equal(gens.length, 1);
    assert.deepEqual(authHeaders(withoutBalance(userServer.requests), 'api'), [`Bearer ${USER_KEY}`]);
    // extraParameters: the user's, not the workspace's.
    assert.deepEqual(gens[0].json, {
      quality: 'standard',
      prompt: PROMPT,
      model: 'qh-draw-x2-preview',
      size: '256x256',
      n: 1,
    });
    // destination: the user's folder.
    const saved = await filesIn('user-images');
    assert.equal(saved.length, 1);
    assert.equal(result.images[0].uri, wsUri(`user-images/${saved[0]}`).toString());
    assert.deepEqual(await filesIn('workspace-images'), []);
    // altText (not restricted) came from the workspace file.
    assert.equal(editor.document.getText(), `${PROMPT}\n\n![](../user-images/${saved[0]})\n`);
    assert.ok(hooks.history.get(result.images[0].historyId));
  });

  test("with no user-level value, the default applies, never the workspace's", async () => {
    const user = vscode.workspace.getConfiguration('imageGen');
    await user.update('destination', undefined, vscode.ConfigurationTarget.Global);
    await user.update('extraParameters', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(
      () => vscode.workspace.getConfiguration('imageGen').inspect('destination')?.globalValue === undefined,
      'the user value to go',
    );

    const editor = await openDocument('restricted/page.md', `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await generate();
    assert.ok(result?.images[0]?.uri, JSON.stringify(ui.shown));
    // The default destination, images/${fileName} beside the document.
    assert.equal((await filesIn('restricted/images')).length, 1);
    assert.deepEqual(await filesIn('workspace-images'), []);
    const gens = userServer.requests.filter((r) => r.path === '/v1/images/generations');
    assert.deepEqual(
      gens[0].json,
      { prompt: PROMPT, model: 'qh-draw-x2-preview', size: '256x256', n: 1 },
      'no extra parameters',
    );
    assert.deepEqual(workspaceServer.requests, []);
  });

  test('the agent tool follows the same rules: user baseUrl and key, no workspace extraParameters', async () => {
    const user = vscode.workspace.getConfiguration('imageGen');
    await user.update('extraParameters', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(
      () =>
        vscode.workspace.getConfiguration('imageGen').inspect('extraParameters')?.globalValue === undefined,
      'the user value to go',
    );
    const result = await vscode.lm.invokeTool('imageGen_generate', {
      input: { prompt: PROMPT, size: '256x256', path: 'restricted/agent/' },
      toolInvocationToken: undefined,
    });
    const text = result.content
      .filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart)
      .map((p) => p.value)
      .join('\n');
    const saved = await filesIn('restricted/agent');
    assert.equal(saved.length, 1, text);
    assert.ok(text.includes(`restricted/agent/${saved[0]}`), text);
    assert.deepEqual(workspaceServer.requests, [], 'the workspace-level baseUrl was not used');
    const gens = userServer.requests.filter((r) => r.path === '/v1/images/generations');
    assert.deepEqual(gens[0].json, { prompt: PROMPT, model: 'qh-draw-x2-preview', size: '256x256', n: 1 });
    assert.deepEqual(authHeaders(withoutBalance(userServer.requests), 'api'), [`Bearer ${USER_KEY}`]);
  });
});
