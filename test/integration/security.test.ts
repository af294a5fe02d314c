// PRODUCT.md §7 in a real VS Code: the API key stays in SecretStorage and goes only to its origin,
// plain http to another machine needs a confirmation first, saved files stay inside the workspace,
// and webview messages cannot reach outside their schema.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import { ImageServer } from '../fixtures/imageServer';
import { browserBridge } from './support/bridge';
import {
  authHeaders,
  closeAllEditors,
  filesIn,
  isPng,
  openDocument,
  readBytes,
  recordUi,
  removeAll,
  resetSettings,
  select,
  setSettings,
  testHooks,
  waitFor,
  workspaceRoot,
  wsUri,
  type TestHooks,
} from './support/env';
import { useFixture } from './support/fixture';
import type { RecordingUi } from './support/recordingUi';

const MODEL = 'qh-draw-x2-preview';
const SIZE = '256x256';
const PROMPT = 'A brass key hidden under a flower pot';
const DOC = 'docs/sec/page.md';
const TEXT = `# Security\n\n${PROMPT}\n`;
const READY = "() => document.body.dataset.ready === 'true'";

/** Letters only, no `sk-` prefix, under 32 characters: nothing but knowing the key can redact it. */
function plainLookingKey(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from(crypto.randomBytes(26), (b) => letters[b % letters.length]).join('');
}

function fromSelection(arg: Record<string, unknown> = {}): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: MODEL,
    size: SIZE,
    ...arg,
  });
}

/** <user-data> of this VS Code: globalStorageUri is <user-data>/User/globalStorage/<extension id>. */
function userDataDir(hooks: TestHooks): string {
  return path.resolve(hooks.context.globalStorageUri.fsPath, '..', '..', '..');
}

/** Every file below `dir` (missing folders are empty), as [path, text-or-latin1]. */
function filesBelow(dir: string): Array<[string, string]> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry): Array<[string, string]> => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesBelow(full);
    return entry.isFile() ? [[full, fs.readFileSync(full).toString('latin1')]] : [];
  });
}

suite('Security: the API key stays in SecretStorage and goes only to its origin', () => {
  const server = new ImageServer();
  const other = new ImageServer();
  const bridge = browserBridge();
  let ui: RecordingUi;
  let hooks: TestHooks;

  suiteSetup(async () => {
    await server.start();
    await other.start();
    hooks = await testHooks();
  });
  suiteTeardown(async () => {
    await server.stop();
    await other.stop();
    await resetSettings();
  });
  setup(async () => {
    server.reset();
    other.reset();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0, requestTimeoutSeconds: 10 });
    await removeAll('docs/sec/images');
    // Each test starts with no key for the other origins it uses.
    for (const origin of [other.apiOrigin, server.apiOrigin.replace('127.0.0.1', 'localhost')])
      await hooks.keys.delete(origin);
  });
  teardown(async () => {
    await closeAllEditors();
  });

  /** Each store the key must never reach, by name, with its text (or bytes as latin1). */
  async function stores(extra: Record<string, unknown>): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    const settingsFile = path.join(workspaceRoot().fsPath, '.vscode', 'settings.json');
    out.push([
      'workspace .vscode/settings.json',
      fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : '',
    ]);
    out.push([
      'user settings.json',
      fs.readFileSync(path.join(userDataDir(hooks), 'User', 'settings.json'), 'utf8'),
    ]);
    const config = vscode.workspace.getConfiguration('imageGen');
    const inspected = Object.keys(
      hooks.context.extension.packageJSON.contributes.configuration.properties as object,
    ).map((k) => vscode.workspace.getConfiguration().inspect(k));
    out.push(['configuration (imageGen.* inspected)', JSON.stringify([config, inspected])]);
    const state = (m: vscode.Memento) => JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
    out.push(['globalState', state(hooks.context.globalState)]);
    out.push(['workspaceState', state(hooks.context.workspaceState)]);
    out.push(['history (in memory)', JSON.stringify(hooks.history.list())]);
    for (const [file, text] of filesBelow(hooks.context.globalStorageUri.fsPath))
      out.push([`global storage ${file}`, text]);
    for (const [file, text] of filesBelow(path.join(userDataDir(hooks), 'logs')))
      out.push([`log ${file}`, text]);
    for (const [file, text] of filesBelow(hooks.context.logUri.fsPath))
      out.push([`extension log ${file}`, text]);
    out.push(['messages and questions shown', JSON.stringify(ui.shown)]);
    out.push(['open documents', vscode.workspace.textDocuments.map((d) => d.getText()).join('\n')]);
    for (const [name, value] of Object.entries(extra))
      out.push([name, typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')]);
    return out;
  }

  test('a unique key never reaches settings, globalState, history, logs, messages or webviews', async function () {
    this.timeout(120_000);
    const key = plainLookingKey();
    const promptKey = plainLookingKey();
    const seen: Record<string, unknown> = {};

    // Stored by the command argument and, for a second origin, typed into the prompt for a key.
    await vscode.commands.executeCommand('imageGen.setApiKey', key);
    assert.equal(await hooks.keys.get(server.apiOrigin), key, 'the key is in SecretStorage');

    // A generation, a rejected key whose error echoes it, a 400 that quotes it, and Test Connection.
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    const again = (): Thenable<GenerateResult | undefined> => {
      select(editor, PROMPT);
      return fromSelection();
    };
    seen.success = await again();
    assert.ok((seen.success as GenerateResult | undefined)?.images[0]?.uri, JSON.stringify(ui.shown));
    server.enqueue('generate', {
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${key}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
    seen.rejected = await again();
    await ui.waitForMessage(/rejected the API key/);
    server.enqueue('generate', {
      status: 400,
      body: {
        error: {
          message: `The key ${key} may not use ${MODEL}.`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    });
    seen.refused = await again();
    await ui.waitForMessage(/refused the request/);
    server.enqueue('generate', {
      body: `<html><body>proxy error for Bearer ${key}</body></html>`,
      headers: { 'Content-Type': 'text/html' },
    });
    seen.unexpected = await again();
    await ui.waitForMessage(/Unexpected response/);
    seen.connection = await vscode.commands.executeCommand('imageGen.testConnection');

    await setSettings({ baseUrl: other.baseUrl });
    ui.answer({ kind: 'input', value: promptKey });
    seen.otherOrigin = await again();
    assert.ok(seen.otherOrigin, JSON.stringify(ui.shown));
    assert.equal(await hooks.keys.get(other.apiOrigin), promptKey);

    // The webviews: a generation and a failure from the panel, one from the command while both
    // pages listen; then their HTML and every message the host posted to them meanwhile.
    if (bridge.available()) {
      await setSettings({ baseUrl: server.baseUrl });
      await closeAllEditors();
      await vscode.commands.executeCommand('imageGen.gallery.focus');
      await bridge.waitWebview('gallery', READY);
      await vscode.commands.executeCommand('imageGen.openGenerator', PROMPT);
      await bridge.waitWebview('generator', READY);
      const record =
        "() => { window.__seen = []; window.addEventListener('message', (e) => window.__seen.push(JSON.stringify(e.data))); return true; }";
      await bridge.evalWebview('gallery', record);
      await bridge.evalWebview('generator', record);
      const generated = () => server.requests.filter((r) => r.path === '/v1/images/generations').length;
      const count = hooks.history.list().length;
      await bridge.fillWebview('generator', '#size', SIZE);
      await bridge.clickWebview('generator', '#generate');
      await waitFor(() => hooks.history.list().length > count, "the panel's generation");
      server.enqueue('generate', {
        status: 400,
        body: {
          error: {
            message: `Panel: the key ${key} is blocked.`,
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        },
      });
      const sent = generated();
      await bridge.waitWebview('generator', '() => window.__seen.some((m) => m.includes("generateDone"))');
      await bridge.clickWebview('generator', '#generate');
      await waitFor(
        () => generated() > sent && ui.errors.some((e) => e.includes('Panel:')),
        "the panel's failure",
      );
      seen.viaCommand = await vscode.commands.executeCommand('imageGen.generate', {
        prompt: PROMPT,
        model: MODEL,
        size: SIZE,
        insertAs: 'none',
      });
      await bridge.waitWebview(
        'generator',
        '() => window.__seen.some((m) => m.includes("generateDone") && m.includes("failed"))',
      );
      for (const view of ['gallery', 'generator']) {
        seen[`${view} webview HTML`] = await bridge.evalWebview(
          view,
          '() => document.documentElement.outerHTML',
        );
        seen[`${view} webview messages`] = await bridge.evalWebview(view, '() => window.__seen.join("\\n")');
      }
      assert.ok(String(seen['gallery webview HTML']).includes(PROMPT), 'the gallery HTML shows this run');
      assert.ok(
        String(seen['generator webview messages']).includes('generateDone'),
        "the panel's messages were recorded",
      );
    } else {
      seen.webviews = 'no browser bridge: webviews not checked';
    }

    // Positive controls: the stores searched do hold this run's traces, so the search is not vacuous.
    await waitFor(
      () =>
        filesBelow(path.join(userDataDir(hooks), 'logs')).some(([, t]) =>
          t.includes('/v1/images/generations'),
        ),
      'the requests in the log',
    );
    const all = await stores(seen);
    assert.ok(
      all.some(
        ([name, text]) =>
          name.startsWith('global storage') && name.endsWith('history.json') && text.includes(PROMPT),
      ),
      'history.json was searched',
    );
    assert.ok(
      all.some(([name, text]) => name.startsWith('log') && text.includes('[redacted]')),
      'the log was searched and redacts',
    );
    assert.ok(all.some(([name, text]) => name === 'user settings.json' && text.length > 0));

    for (const secret of [key, promptKey]) {
      const leaks = all
        .filter(([, text]) => text.includes(secret) || text.includes(encodeURIComponent(secret)))
        .map(([name]) => name);
      assert.deepEqual(leaks, [], 'the key was found in these stores');
    }
    // It went where it belongs, and only there.
    assert.ok(authHeaders(server.requests, 'api').every((h) => h === `Bearer ${key}`));
    assert.ok(authHeaders(other.requests, 'api').every((h) => h === `Bearer ${promptKey}`));
    assert.deepEqual([...authHeaders(server.requests, 'cdn'), ...authHeaders(other.requests, 'cdn')], []);
    assert.deepEqual(
      hooks.keys
        .origins()
        .filter((o) => o === server.apiOrigin || o === other.apiOrigin)
        .sort(),
      [server.apiOrigin, other.apiOrigin].sort(),
    );
    // Without a browser the webviews were not searched: pending, not passed.
    if (!bridge.available()) this.skip();
  });

  test('Authorization goes only to the origin the key was saved for: image host, redirect target, second base URL, other host name', async () => {
    const key = `sk-origin-${crypto.randomUUID()}`;
    await vscode.commands.executeCommand('imageGen.setApiKey', key);
    const editor = await openDocument(DOC, TEXT);

    // The image comes from the cdn listener via a redirect to yet another origin.
    const moved = other.addFile(server.renderFor('moved', SIZE), 'moved.png');
    server.enqueue('generate', { images: [{ url: server.redirectUrl(moved) }] });
    select(editor, PROMPT);
    assert.ok((await fromSelection())?.images[0]?.uri, JSON.stringify(ui.shown));
    assert.equal(
      other.requests.filter((r) => r.server === 'cdn').length,
      1,
      'the redirect target was fetched',
    );

    // A second base URL: asked for its own key (declined), nothing sent there.
    await setSettings({ baseUrl: other.baseUrl });
    ui.answer({ kind: 'input', value: undefined });
    select(editor, PROMPT);
    assert.equal(await fromSelection(), undefined);
    assert.deepEqual(
      other.requests.filter((r) => r.server === 'api'),
      [],
    );

    // The same server under another host name is another origin: asked again, nothing sent.
    const alias = server.baseUrl.replace('127.0.0.1', 'localhost');
    await setSettings({ baseUrl: alias });
    ui.answer({ kind: 'input', value: undefined });
    const sent = server.requests.length;
    select(editor, PROMPT);
    assert.equal(await fromSelection(), undefined);
    assert.equal(server.requests.length, sent, `nothing was sent to ${alias} with the 127.0.0.1 key`);
    assert.equal(
      ui.questions.filter((q) => q.kind === 'input' && q.password).length,
      2,
      'a key was asked for each new origin',
    );

    assert.deepEqual(
      authHeaders(
        server.requests.filter((r) => !r.path.startsWith('/v1/dashboard/')),
        'api',
      ),
      [`Bearer ${key}`],
      'the key reached its own origin, once (besides the balance refresh, also to its own origin)',
    );
    assert.deepEqual(authHeaders(server.requests, 'cdn'), [], 'not the image host');
    assert.deepEqual(authHeaders(other.requests), [], 'not the redirect target, not the second base URL');
  });

  test('an API redirect to another port or host never carries the key', async () => {
    const key = `sk-redirect-${crypto.randomUUID()}`;
    await vscode.commands.executeCommand('imageGen.setApiKey', key);
    const editor = await openDocument(DOC, TEXT);
    for (const location of [
      `${server.cdnOrigin}/v1/images/generations`,
      `${other.baseUrl}/images/generations`,
      server.baseUrl.replace('127.0.0.1', 'localhost') + '/images/generations',
    ]) {
      server.enqueue('generate', { status: 308, headers: { Location: location } });
      select(editor, PROMPT);
      assert.equal(await fromSelection(), undefined);
    }
    assert.equal(authHeaders(server.requests, 'api').length, 3, 'three attempts at the API');
    assert.deepEqual(authHeaders(server.requests, 'cdn'), []);
    assert.deepEqual(other.requests, [], 'the redirect was not followed');
    assert.equal(ui.errors.filter((e) => /redirected to another server/.test(e)).length, 3);
    assert.equal(editor.document.getText(), TEXT);
  });
});

suite('Security: plain http:// to another machine needs a confirmation first', () => {
  const fx = useFixture({
    onLan: true,
    settings: { requestTimeoutSeconds: 10 },
    // Earlier confirmations forgotten, so each test starts from a first use; each stores its own key.
    prepare: ({ hooks }) => hooks.context.globalState.update('imageGen.insecureOriginsConfirmed', undefined),
  });

  test('declining sends nothing and asks nothing else', async () => {
    assert.ok(!/^http:\/\/127\./.test(fx.server.baseUrl), fx.server.baseUrl);
    await vscode.commands.executeCommand('imageGen.setApiKey', `sk-lan-${crypto.randomUUID()}`);
    fx.ui.answer({ kind: 'confirm', yes: false });
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    assert.equal(await fromSelection(), undefined);
    assert.deepEqual(fx.ui.questions, [
      {
        kind: 'confirm',
        message: `${fx.server.apiOrigin} uses plain http://: your API key and prompts would travel unencrypted. Use it anyway?`,
      },
    ]);
    assert.deepEqual(fx.server.requests, [], 'no request was attempted');
    assert.deepEqual(fx.ui.errors, [], 'declining is not an error');
    assert.equal(editor.document.getText(), TEXT);
  });

  test('the model pick does not send the stored key to /models before the confirmation', async () => {
    await vscode.commands.executeCommand('imageGen.setApiKey', `sk-lan-${crypto.randomUUID()}`);
    fx.ui.answer({ kind: 'pick' }, { kind: 'pick' }, { kind: 'confirm', yes: false });
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    assert.equal(await vscode.commands.executeCommand('imageGen.generateFromSelection'), undefined);
    assert.deepEqual(
      fx.ui.questions.map((q) => q.kind),
      ['pick', 'pick', 'confirm'],
    );
    assert.deepEqual(fx.server.requests, [], 'neither GET /models nor the generation went out');
  });

  test('the confirmation comes before the key is asked for, and is asked once', async () => {
    const key = `sk-lan-${crypto.randomUUID()}`;
    await fx.hooks.keys.delete(fx.server.apiOrigin);
    fx.ui.answer({ kind: 'confirm', yes: true }, { kind: 'input', value: key });
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    assert.ok((await fromSelection())?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.deepEqual(
      fx.ui.questions.map((q) => q.kind),
      ['confirm', 'input'],
    );
    assert.deepEqual(
      authHeaders(
        fx.server.requests.filter((r) => !r.path.startsWith('/v1/dashboard/')),
        'api',
      ),
      [`Bearer ${key}`],
      'the generation, once (the balance refresh goes to the same origin)',
    );
    select(editor, PROMPT);
    assert.ok(await fromSelection());
    assert.deepEqual(
      fx.ui.questions.map((q) => q.kind),
      ['confirm', 'input'],
      'not asked again',
    );
  });

  test('loopback over http:// does not ask', async () => {
    const local = new ImageServer();
    await local.start();
    try {
      for (const baseUrl of [local.baseUrl, local.baseUrl.replace('127.0.0.1', 'localhost')]) {
        await setSettings({ baseUrl });
        await vscode.commands.executeCommand('imageGen.setApiKey', `sk-loop-${crypto.randomUUID()}`);
        const editor = await openDocument(DOC, TEXT);
        select(editor, PROMPT);
        assert.ok(await fromSelection(), `${baseUrl}: ${JSON.stringify(fx.ui.shown)}`);
      }
      assert.deepEqual(fx.ui.questions, []);
    } finally {
      await local.stop();
    }
  });
});

suite('Security: saved files stay inside the workspace folder', () => {
  const fx = useFixture({ key: 'sk-destination-000000000000' });
  let marker: string;

  setup(() => {
    marker = `escape-${crypto.randomBytes(6).toString('hex')}`;
  });
  teardown(async () => {
    await removeAll('docs/sec/images');
    await removeAll('tmp');
  });

  /** Files whose name contains the marker anywhere under the folder that holds the workspace, and in /tmp. */
  function filesNamedLikeMarker(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.name.includes(marker)) found.push(full);
        if (entry.isDirectory() && !entry.isSymbolicLink()) walk(full);
      }
    };
    walk(path.dirname(workspaceRoot().fsPath));
    for (const dir of [os.tmpdir(), '/tmp', os.homedir()]) {
      if (fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.includes(marker)))
        found.push(path.join(dir, marker));
    }
    return found;
  }

  const ESCAPES: Array<(m: string) => string> = [
    (m) => `../../../${m}.png`,
    (m) => `/../${m}.png`,
    (m) => `\${documentWorkspaceFolder}/../${m}.png`,
    (m) => `\${documentDirName}/../../../${m}.png`,
    (m) => `..\\..\\..\\${m}.png`,
    (m) => `images/../../../../${m}/\${fileName}`,
    (m) => `\${unixTime}/../../../../../${m}.png`,
    (m) => `C:\\Windows\\${m}.png`,
  ];

  for (const [i, destination] of ESCAPES.entries()) {
    test(`destination ${destination('MARKER')} is refused: no file outside, nothing inserted, the image kept in the gallery (${i + 1})`, async () => {
      await setSettings({ destination: destination(marker) });
      const editor = await openDocument(DOC, TEXT);
      select(editor, PROMPT);
      const result = await fromSelection();
      const shown = await fx.ui.waitForMessage(/points outside the workspace folder/);
      assert.equal(
        shown.message,
        'The imageGen.destination setting points outside the workspace folder, so no file was saved. The image is in the gallery.',
      );
      assert.deepEqual(filesNamedLikeMarker(), []);
      assert.equal(editor.document.getText(), TEXT, 'nothing inserted');
      assert.ok(result, 'the generation itself succeeded');
      const item = fx.hooks.history.get(result.images[0].historyId);
      assert.ok(item?.cacheFile, 'the image is kept in the gallery');
      assert.deepEqual(item.savedUris, []);
    });
  }

  test('an absolute path means the workspace folder root, never the file system root', async () => {
    await setSettings({ destination: `/tmp/${marker}.png` });
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    const result = await fromSelection();
    assert.equal(result?.images[0]?.uri, wsUri(`tmp/${marker}.png`).toString(), JSON.stringify(fx.ui.shown));
    assert.ok(!fs.existsSync(path.join('/tmp', `${marker}.png`)));
    assert.ok(isPng(await readBytes(wsUri(`tmp/${marker}.png`))));
    assert.equal(
      editor.document.getText(),
      `# Security\n\n${PROMPT}\n\n![${PROMPT}](../../tmp/${marker}.png)\n`,
    );
  });

  test('unsafe characters and reserved names in destination are cleaned', async () => {
    const editor = await openDocument(DOC, TEXT);
    for (const [destination, expected] of [
      ['images/<bad>:"na\u0001me|?*.png', 'badname.png'],
      ['images/CON.png', 'CON_.png'],
      ['images/trailing. . .', 'trailing'],
      ['images/\u202egnp.png', 'gnp.png'],
    ] as const) {
      await setSettings({ destination });
      select(editor, PROMPT);
      const result = await fromSelection();
      assert.equal(
        result?.images[0]?.uri,
        wsUri(`docs/sec/images/${expected}`).toString(),
        `${JSON.stringify(destination)}: ${JSON.stringify(fx.ui.shown)}`,
      );
    }
    assert.deepEqual(
      await filesIn('docs/sec/images'),
      ['CON_.png', 'badname.png', 'gnp.png', 'trailing'].sort(),
    );
  });

  test('a prompt full of path syntax becomes a plain file name inside images/', async () => {
    const prompt = '../../../etc/passwd <script>alert(1)</script> C:\\Windows\\名前 ';
    const editor = await openDocument(DOC, `${prompt}\n`);
    select(editor, prompt.trim());
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const files = await filesIn('docs/sec/images');
    assert.equal(files.length, 1);
    assert.match(files[0], /^etc-passwd-script-alert-1-script-c-windows-名前-\d{8}-\d{6}\.png$/);
    assert.equal(result.images[0].uri, wsUri(`docs/sec/images/${files[0]}`).toString());
  });
});

/** Posts messages to the host as the page would (strings are JSON-parsed in the page, so `__proto__` stays an own key). */
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
    for (const m of messages) post('onmessage', { message: typeof m === 'string' ? JSON.parse(m) : m, transfer: undefined });
    return messages.length;
  }
  return 0;
}`;

suite('Security: webview messages cannot name a path or reach past their schema', () => {
  const server = new ImageServer();
  const bridge = browserBridge();
  let hooks: TestHooks;
  let ui: RecordingUi;

  suiteSetup(async function () {
    if (!bridge.available()) this.skip();
    await server.start();
    hooks = await testHooks();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    await vscode.commands.executeCommand('imageGen.setApiKey', 'sk-webview-messages-00000000');
  });
  suiteTeardown(async () => {
    if (!hooks) return;
    await closeAllEditors();
    await server.stop();
    await resetSettings();
  });

  test('paths, extra keys, __proto__ and look-alike ids are dropped, logged, and change nothing', async () => {
    const made = await vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generate', {
      prompt: PROMPT,
      model: MODEL,
      size: SIZE,
      insertAs: 'none',
    });
    const id = made?.images[0]?.historyId;
    assert.ok(id, JSON.stringify(ui.shown));
    const marker = `webview-${crypto.randomBytes(6).toString('hex')}`;
    const count = hooks.history.list().length;
    const generated = () => server.requests.filter((r) => r.path === '/v1/images/generations').length;
    const sent = generated();
    const userData = path.resolve(hooks.context.globalStorageUri.fsPath, '..', '..', '..');
    const logged = () =>
      filesBelow(path.join(userData, 'logs'))
        .map(
          ([, text]) => text.match(/Ignored an invalid message from the (gallery|generator) webview/g) ?? [],
        )
        .flat();
    const refusedBefore = logged().length;

    await vscode.commands.executeCommand('imageGen.gallery.focus');
    await bridge.waitWebview('gallery', READY);
    const gallery = [
      { type: 'insert', requestId: 1, id, path: `/tmp/${marker}.png` },
      { type: 'reveal', requestId: 2, id: '../../../etc/passwd' },
      { type: 'open', requestId: 3, id: `${id}/../../${marker}` },
      { type: 'delete', requestId: 4, id: `${id}\u0000` },
      `{"type":"delete","requestId":5,"id":"${id}","__proto__":{"polluted":"${marker}"}}`,
      `{"__proto__":{"type":"clearAll","requestId":6}}`,
      { type: 'clearAll', requestId: 7, confirm: true },
    ];
    assert.equal(
      await bridge.evalWorkbench(POST_AS_PAGE, { view: 'gallery', messages: gallery }),
      gallery.length,
    );

    await vscode.commands.executeCommand('imageGen.openGenerator', PROMPT);
    await bridge.waitWebview('generator', READY);
    const generator = [
      {
        type: 'generate',
        requestId: 8,
        prompt: 'x',
        model: MODEL,
        size: SIZE,
        n: 1,
        destination: `/tmp/${marker}.png`,
      },
      {
        type: 'generate',
        requestId: 9,
        prompt: 'x',
        model: MODEL,
        size: SIZE,
        n: 1,
        extra: { response_format: 'b64_json' },
      },
      { type: 'insertFile', requestId: 10, id, uri: `file:///tmp/${marker}.png` },
      { type: 'insertFile', requestId: 11, id: `../${id}` },
    ];
    assert.equal(
      await bridge.evalWorkbench(POST_AS_PAGE, { view: 'generator', messages: generator }),
      generator.length,
    );

    await waitFor(
      () => logged().length >= refusedBefore + gallery.length + generator.length,
      'every message to be refused in the log',
    );
    assert.ok(hooks.history.get(id), 'nothing was deleted');
    assert.equal(hooks.history.list().length, count, 'nothing was added or cleared');
    assert.equal(generated(), sent, 'nothing was generated');
    assert.deepEqual(ui.questions, [], 'nothing was asked (Clear All, save dialogs)');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
    assert.ok(!fs.existsSync(`/tmp/${marker}.png`));
    assert.equal(
      vscode.workspace.textDocuments.filter((d) => d.getText().includes(marker)).length,
      0,
      'nothing was inserted anywhere',
    );
  });
});
