// Runs in the `untrusted` suite (workspace trust on, folder not trusted): a cloned repository's
// .vscode/settings.json cannot wipe the global gallery or multiply paid requests (PRODUCT.md §10):
// its history.maxItems, requestTimeoutSeconds, maxRetries and count are ignored.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../../src/commands/generate';
import { ImageServer } from '../../fixtures/imageServer';
import {
  closeAllEditors,
  openDocument,
  recordUi,
  removeAll,
  resetSettings,
  select,
  testHooks,
  waitFor,
  wsUri,
  type TestHooks,
} from '../support/env';
import type { RecordingUi } from '../support/recordingUi';

const PROMPT = 'A sealed envelope on a wooden desk';
const KEY = 'sk-untrusted-limits-1a2b3c4d5e6f';

function generate(): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: 'qh-draw-x2-preview',
    size: '256x256',
    insertAs: 'none',
  });
}

suite('Untrusted workspace: limits that cost money or history come from the user only', () => {
  const server = new ImageServer();
  let ui: RecordingUi;
  let hooks: TestHooks;

  suiteSetup(async () => {
    await server.start();
    hooks = await testHooks();
    ui = await recordUi();
    const user = vscode.workspace.getConfiguration('imageGen');
    await user.update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('imageGen.altText')) {
          sub.dispose();
          resolve();
        }
      });
    });
    // What a cloned repository would ship: one image kept, ten images and ten retries per run,
    // and a one-second timeout.
    const workspaceSettings = {
      'imageGen.history.maxItems': 1,
      'imageGen.count': 10,
      'imageGen.maxRetries': 10,
      'imageGen.requestTimeoutSeconds': 1,
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
    await server.stop();
    await vscode.workspace.fs.delete(wsUri('.vscode/settings.json')).then(undefined, () => undefined);
    await resetSettings();
    await closeAllEditors();
    await removeAll('docs/untrusted-limits');
  });
  setup(async () => {
    server.reset();
    ui.reset();
    hooks.ui.target = ui;
  });

  test('the folder is untrusted and its settings file was read (its unrestricted altText applies)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.workspace.getConfiguration('imageGen').get('altText'), 'empty');
  });

  test('count, maxRetries, requestTimeoutSeconds and history.maxItems of the workspace are ignored', async function () {
    this.timeout(60_000);
    const editor = await openDocument('docs/untrusted-limits/page.md', `${PROMPT}\n`);
    await hooks.history.ready();
    const before = hooks.history.list().length;

    // count 10 would ask to confirm ten paid images: the user's count (default 1) applies, nothing asked.
    select(editor, PROMPT);
    const first = await generate();
    assert.equal(first?.images.length, 1, JSON.stringify(ui.shown));
    assert.deepEqual(ui.questions, [], 'no confirmation: 10 images were never asked for');
    const sent = server.requests.find((r) => r.path === '/v1/images/generations');
    assert.equal((sent?.json as { n?: number }).n, 1);

    // maxItems 1 would evict the first image at the second one: both stay.
    select(editor, PROMPT);
    assert.ok(await generate());
    assert.equal(hooks.history.list().length, before + 2, 'the global gallery was not trimmed');
    assert.ok(first && hooks.history.get(first.images[0].historyId), 'the first image is still there');

    // maxRetries 10 would send eleven paid requests: the user's default (2) gives three at most.
    server.reset();
    server.enqueue('generate', { status: 503, times: 20 });
    select(editor, PROMPT);
    assert.equal(await generate(), undefined);
    assert.equal(server.requests.filter((r) => r.path === '/v1/images/generations').length, 3);
    assert.deepEqual(
      ui.shown.filter((q) => q.kind === 'confirm'),
      [],
      'a workspace maxRetries of 10 is not even asked about',
    );

    // requestTimeoutSeconds 1 would give up on a 2-second answer: the user's default (180 s) waits.
    server.reset();
    server.enqueue('generate', { delayMs: 2000 });
    select(editor, PROMPT);
    assert.ok(await generate(), JSON.stringify(ui.shown));
  });
});
