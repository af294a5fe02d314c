// The harness itself: the extension loads in a real VS Code, its manifest and registrations agree,
// and what the other integration tests rely on works (fixture server, files, secrets, bridge).
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { ImageServer } from '../fixtures/imageServer';
import type { TestHooks } from '../../src/testHooks';
import { browserBridge } from './support/bridge';

const EXTENSION_ID = 'imagegen.image-gen';

interface Manifest {
  contributes: { commands: { command: string }[]; views?: Record<string, { id: string }[]> };
}

function extension(): vscode.Extension<{ testHooks?: TestHooks } | undefined> {
  const ext = vscode.extensions.getExtension<{ testHooks?: TestHooks } | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
  return ext;
}

/** GET through Node's http module, the path the extension's node-fetch takes. */
function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      })
      .on('error', reject);
  });
}

suite('Foundation', () => {
  test('the extension activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('every contributed command is registered and every registered imageGen command is contributed', async () => {
    const ext = extension();
    await ext.activate();
    const manifest = ext.packageJSON as Manifest;
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code registers `<viewId>.focus`, `.resetViewLocation`… for every contributed view itself.
    const viewIds = Object.values(manifest.contributes.views ?? {}).flatMap((views) =>
      views.map((v) => v.id),
    );
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('imageGen.'))
      .filter((id) => !viewIds.some((view) => id.startsWith(`${view}.`)))
      .sort();
    assert.ok(contributed.length > 0, 'package.json contributes no command');
    assert.deepEqual(
      contributed.filter((id) => !registered.includes(id)),
      [],
      'contributed in package.json but not registered',
    );
    assert.deepEqual(
      registered.filter((id) => !contributed.includes(id)),
      [],
      'registered but not contributed in package.json',
    );
  });

  test('the extension host reaches the local image server', async () => {
    const server = new ImageServer();
    await server.start();
    try {
      const { status, body } = await getJson(`${server.baseUrl}/models`, {
        authorization: 'Bearer test-key',
      });
      assert.equal(status, 200);
      const ids = (body as { data: { id: string }[] }).data.map((m) => m.id);
      assert.ok(ids.length > 0, 'the server lists no model');
      assert.ok(
        server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/models')),
        'the server recorded no GET /v1/models',
      );
    } finally {
      await server.stop();
    }
  });

  test('workspace.fs writes real files in the temporary workspace copy', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    if (process.env.IMAGE_GEN_WORKSPACE) assert.equal(folder.uri.fsPath, process.env.IMAGE_GEN_WORKSPACE);
    // The fixture's nested document is there, so tests can open it.
    const page = vscode.Uri.joinPath(folder.uri, 'docs', 'guide', 'page.md');
    assert.equal((await vscode.workspace.fs.stat(page)).type, vscode.FileType.File);

    const target = vscode.Uri.joinPath(folder.uri, 'foundation-roundtrip', `${crypto.randomUUID()}.bin`);
    const bytes = crypto.randomBytes(4096);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(target)), bytes);
      // Written through the remote file system, visible on the disk the test runs on.
      assert.deepEqual(fs.readFileSync(target.fsPath), bytes);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(target, '..'), { recursive: true });
    }
    assert.equal(fs.existsSync(target.fsPath), false);
  });

  test('SecretStorage round-trips through the extension context', async function () {
    if (process.env.IMAGE_GEN_TEST_HOOKS !== '1') this.skip();
    const hooks = (await extension().activate())?.testHooks;
    assert.ok(hooks, 'activate() returned no testHooks although IMAGE_GEN_TEST_HOOKS=1');
    const secrets = hooks.context.secrets;
    const key = `foundation-test.${crypto.randomUUID()}`;
    const value = `secret-${crypto.randomBytes(8).toString('hex')}`;
    await secrets.store(key, value);
    try {
      assert.equal(await secrets.get(key), value);
    } finally {
      await secrets.delete(key);
    }
    assert.equal(await secrets.get(key), undefined);
  });
});

// Page functions are strings: they run in the browser, and this project's tsconfig has no DOM lib.
suite('Browser bridge', () => {
  const bridge = browserBridge();
  let panel: vscode.WebviewPanel | undefined;

  suiteSetup(function () {
    if (!bridge.available()) this.skip();
  });

  teardown(() => {
    panel?.dispose();
    panel = undefined;
  });

  test('reads the workbench page', async () => {
    const info = await bridge.evalWorkbench<undefined, { workbench: boolean; title: string }>(
      "() => ({ workbench: !!document.querySelector('.monaco-workbench'), title: document.title })",
    );
    assert.equal(info.workbench, true);
    assert.equal(typeof info.title, 'string');
  });

  test('drives a webview: fill, press, click, wait, screenshot, error and CSP reports', async () => {
    const messages: { type: string; text: string }[] = [];
    panel = vscode.window.createWebviewPanel('imageGen.bridgeProbe', 'Bridge probe', vscode.ViewColumn.One, {
      enableScripts: true,
    });
    panel.webview.onDidReceiveMessage((m: { type: string; text: string }) => messages.push(m));
    const nonce = crypto.randomBytes(16).toString('base64');
    panel.webview.html = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}';">
</head>
<body data-image-gen-view="bridge-probe">
  <textarea id="prompt"></textarea><button id="go">Go</button><p id="status">idle</p>
  <script>window.blockedInlineScriptRan = true;</script>
  <script nonce="${nonce}">
    const vscode = acquireVsCodeApi();
    const send = (type) => {
      vscode.postMessage({ type, text: document.getElementById('prompt').value });
      document.getElementById('status').textContent = type;
    };
    document.getElementById('go').addEventListener('click', () => {
      send('click');
      setTimeout(() => { throw new Error('bridge probe error'); });
    });
    document.getElementById('prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send('submit');
    });
  </script>
</body></html>`;

    await bridge.fillWebview('bridge-probe', '#prompt', 'a red fox');
    await bridge.pressWebview('bridge-probe', '#prompt', 'Control+Enter');
    const statusIs = "(want) => document.getElementById('status').textContent === want";
    assert.equal(await bridge.waitWebview('bridge-probe', statusIs, 'submit'), true);
    await bridge.clickWebview('bridge-probe', '#go');
    await bridge.waitWebview('bridge-probe', statusIs, 'click');
    const deadline = Date.now() + 5_000;
    while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(messages, [
      { type: 'submit', text: 'a red fox' },
      { type: 'click', text: 'a red fox' },
    ]);

    const value = await bridge.evalWebview(
      'bridge-probe',
      "(suffix) => document.getElementById('prompt').value + suffix",
      '!',
    );
    assert.equal(value, 'a red fox!');
    // The inline script without the nonce was blocked, and the bridge saw the violation.
    assert.equal(await bridge.evalWebview('bridge-probe', "() => 'blockedInlineScriptRan' in window"), false);
    // So did its uncaught error (thrown on the Go click).
    const problems = await bridge.errors();
    assert.ok(
      problems.some((p) => p.kind === 'csp' && p.webview && /script-src/.test(p.text)),
      `no CSP violation reported; problems: ${JSON.stringify(problems.slice(-5))}`,
    );
    assert.ok(
      problems.some((p) => p.kind === 'pageerror' && p.webview && p.text.includes('bridge probe error')),
      `no page error reported; problems: ${JSON.stringify(problems.slice(-5))}`,
    );

    const file = await bridge.screenshot('bridge-probe', 'bridge-probe');
    assert.ok(fs.statSync(file).size > 0, `empty screenshot ${file}`);
  });

  test('reports a missing webview as an error instead of hanging', async () => {
    await assert.rejects(
      bridge.evalWebview('no-such-view', '() => 1', undefined, 500),
      /no webview with <body data-image-gen-view="no-such-view">/,
    );
  });
});
