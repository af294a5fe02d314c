// PRODUCT.md §6 row by row, plus the transport faults of issue 5, against the scriptable fixture
// server in a real VS Code. For every fault: what the user is shown (text and buttons), that no text
// was inserted, that no partial or empty file exists (workspace and the gallery cache), that the
// gallery record is consistent, and that the next generation works.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import type { HistoryItem } from '../../src/core/history';
import { ImageServer, steps, type Step } from '../fixtures/imageServer';
import {
  authHeaders,
  filesIn,
  isPng,
  openDocument,
  readBytes,
  readPicture,
  select,
  setSettings,
  waitFor,
  wsUri,
  type TestHooks,
} from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-faults-7f3c2a9e41d84b6c';
const PROMPT = 'A paper boat on a stormy sea';
const DOC = 'docs/faults/page.md';
const IMAGES = 'docs/faults/images';
const TEXT = `# Faults\n\n${PROMPT}\n\nAfter.\n`;
const MODEL = 'qh-draw-x2-preview';
const SIZE = '256x256';

function fromSelection(arg: Record<string, unknown> = {}): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: MODEL,
    size: SIZE,
    ...arg,
  });
}

function generations(server: ImageServer) {
  return server.requests.filter((r) => r.path === '/v1/images/generations');
}

/** `host:port` of a URL, as the messages name it. */
function hostOf(url: string): string {
  return new URL(url).host;
}

/** Every *.log file under the VS Code logs folder of this window's user data, concatenated. */
function readLogs(hooks: TestHooks): string {
  // globalStorageUri = <user-data>/User/globalStorage/<id>; logs live in <user-data>/logs.
  const userData = path.resolve(hooks.context.globalStorageUri.fsPath, '..', '..', '..');
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log')) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(path.join(userData, 'logs'));
  return texts.join('\n');
}

interface Snapshot {
  historyIds: Set<string>;
  cacheFiles: Set<string>;
}

async function cacheEntries(hooks: TestHooks): Promise<string[]> {
  const entries = await vscode.workspace.fs
    .readDirectory(hooks.history.imagesDir)
    .then(undefined, () => [] as [string, vscode.FileType][]);
  return entries.map(([name]) => name);
}

async function snapshot(hooks: TestHooks): Promise<Snapshot> {
  await hooks.history.ready();
  return {
    historyIds: new Set(hooks.history.list().map((i) => i.id)),
    cacheFiles: new Set(await cacheEntries(hooks)),
  };
}

/** Gallery items added since the snapshot. */
function newItems(hooks: TestHooks, before: Snapshot): HistoryItem[] {
  return hooks.history.list().filter((i) => !before.historyIds.has(i.id));
}

suite('Faults: what the user sees, and that nothing is lost or half-written', () => {
  // A short timeout everywhere, so a fault that hangs fails the test quickly instead of hanging it.
  const fx = useFixture({ key: KEY, settings: { requestTimeoutSeconds: 10 }, clean: [IMAGES] });
  const { server } = fx;
  const other = new ImageServer();
  let editor: vscode.TextEditor;
  let before: Snapshot;

  suiteSetup(() => other.start());
  suiteTeardown(() => other.stop());
  setup(async () => {
    other.reset();
    editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    before = await snapshot(fx.hooks);
  });

  /** No text inserted, no file in the document's images folder, nothing partial or empty in the cache. */
  async function assertNothingWritten(): Promise<void> {
    assert.equal(editor.document.getText(), TEXT, 'no text was inserted');
    assert.deepEqual(await filesIn(IMAGES), [], 'no file was saved into the workspace');
    const names = await cacheEntries(fx.hooks);
    assert.deepEqual(
      names.filter((n) => n.includes('.partial')),
      [],
      'no .partial file in the gallery cache',
    );
    const known = new Set(fx.hooks.history.list().map((i) => i.cacheFile));
    for (const name of names.filter((n) => !before.cacheFiles.has(n))) {
      assert.ok(known.has(name), `cache file ${name} belongs to no gallery item`);
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(fx.hooks.history.imagesDir, name));
      assert.ok(stat.size > 0, `cache file ${name} is empty`);
    }
  }

  /** The API failed: nothing reached the gallery. */
  function assertNoGalleryItem(): void {
    assert.deepEqual(newItems(fx.hooks, before), [], 'a failed request leaves no gallery item');
  }

  /** The image could not be kept: the generation is in the gallery with its URL and why. */
  function assertKeptWithUrl(
    result: GenerateResult | undefined,
    problem: HistoryItem['problem'],
  ): HistoryItem {
    const items = newItems(fx.hooks, before);
    assert.equal(items.length, 1, `gallery items: ${JSON.stringify(items)}`);
    const [item] = items;
    assert.ok(item.remoteUrl, 'the record keeps the remote URL');
    assert.equal(item.problem, problem);
    assert.equal(item.cacheFile, undefined, 'no cached copy is claimed');
    assert.deepEqual(item.savedUris, []);
    assert.ok(result, 'the generation itself succeeded');
    assert.deepEqual(
      result.images,
      [{ url: item.remoteUrl, historyId: item.id }],
      'no file and no snippet are reported',
    );
    return item;
  }

  /** The error message shown, with its buttons. */
  async function shown(pattern: RegExp, actions: string[]): Promise<void> {
    const message = await fx.ui.waitForMessage(pattern);
    assert.equal(message.kind, 'error');
    assert.deepEqual(message.actions, actions);
    assert.equal(fx.ui.errors.length, 1, `exactly one error: ${JSON.stringify(fx.ui.errors)}`);
  }

  /** After the fault, with the server back to normal, a generation saves a file and links it under its prompt. */
  async function assertNextGenerationWorks(): Promise<void> {
    assert.equal(server.queued('generate'), 0, 'every scripted API answer was used');
    assert.equal(server.queued('image'), 0, 'every scripted image answer was used');
    const errorsBefore = fx.ui.errors.length;
    select(editor, PROMPT);
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, `the next generation failed: ${JSON.stringify(fx.ui.shown)}`);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1, `files: ${files}`);
    assert.ok(isPng(await readBytes(wsUri(`${IMAGES}/${files[0]}`))));
    assert.equal(
      editor.document.getText(),
      `# Faults\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})\n\nAfter.\n`,
    );
    assert.equal(fx.ui.errors.length, errorsBefore, 'the next generation showed no error');
  }

  // ---- §6: API failures ------------------------------------------------------------------------

  test('no key: asks for one; dismissed, nothing is sent and Set API Key is offered', async () => {
    await fx.hooks.keys.delete(server.apiOrigin);
    fx.ui.answer({ kind: 'input', value: undefined });
    assert.equal(await fromSelection(), undefined);
    await shown(
      new RegExp(`No API key is set for ${hostOf(server.baseUrl)}\\. Set one to generate images\\.`),
      ['Set API Key'],
    );
    assert.deepEqual(server.requests, [], 'nothing reached the server without a key');
    await assertNothingWritten();
    assertNoGalleryItem();
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    await assertNextGenerationWorks();
  });

  for (const status of [401, 403]) {
    test(`${status}: the key was rejected for the host → Set API Key`, async () => {
      server.enqueue('generate', { status });
      assert.equal(await fromSelection(), undefined);
      await shown(new RegExp(`${hostOf(server.baseUrl)} rejected the API key \\(HTTP ${status}\\)`), [
        'Set API Key',
      ]);
      await assertNothingWritten();
      assertNoGalleryItem();
      await assertNextGenerationWorks();
    });
  }

  test("400: the provider's own message, with model and size", async () => {
    const message = 'Your request was rejected as a result of our safety system.';
    server.enqueue('generate', {
      status: 400,
      body: {
        error: { message, type: 'invalid_request_error', param: null, code: 'content_policy_violation' },
      },
    });
    assert.equal(await fromSelection(), undefined);
    await shown(
      new RegExp(`refused the request: ${message.replace(/\./g, '\\.')} \\(model ${MODEL}, size ${SIZE}\\)`),
      [],
    );
    assert.equal(generations(server).length, 1, '400 is not retried');
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test("400 from the provider's own validation (a size dall-e-3 does not offer)", async () => {
    // The catalog would refuse this size before sending (models.test.ts); sizes the user lists in
    // settings widen it, and then the provider's own validation is the judge.
    await setSettings({
      models: [{ id: 'dall-e-3', sizes: ['1024x1024', '1792x1024', '1024x1792', '1280x720'] }],
    });
    assert.equal(await fromSelection({ model: 'dall-e-3', size: '1280x720' }), undefined);
    await shown(
      /refused the request: Invalid size '1280x720' for dall-e-3\. Supported sizes are 1024x1024, 1792x1024, 1024x1792\. \(model dall-e-3, size 1280x720\)/,
      [],
    );
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('a base URL that is not an http(s) URL: nothing is sent, the setting is named → Open Settings', async () => {
    for (const baseUrl of ['api.qhaigc.net/v1', 'ftp://api.qhaigc.net/v1']) {
      await setSettings({ baseUrl });
      fx.ui.reset();
      assert.equal(await fromSelection(), undefined);
      await shown(/^The imageGen\.baseUrl setting is not a valid http\(s\) URL, so nothing was sent\./, [
        'Open Settings',
      ]);
    }
    assert.equal(server.requests.length, 0);
    await assertNothingWritten();
    assertNoGalleryItem();
  });

  test('404: a base URL without the endpoint → Open Settings', async () => {
    await setSettings({ baseUrl: `${server.apiOrigin}/wrong/v1` });
    assert.equal(await fromSelection(), undefined);
    await shown(
      new RegExp(
        `The image endpoint was not found at ${hostOf(server.baseUrl)}\\. Check the base URL setting\\.`,
      ),
      ['Open Settings'],
    );
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].path, '/wrong/v1/images/generations');
    await assertNothingWritten();
    assertNoGalleryItem();
    await setSettings({ baseUrl: server.baseUrl });
    await assertNextGenerationWorks();
  });

  test('429: retried per Retry-After, then "rate limited or out of quota"', async () => {
    await setSettings({ maxRetries: 1 });
    server.enqueue('generate', steps.retryAfter(1), steps.retryAfter(1));
    assert.equal(await fromSelection(), undefined);
    await shown(
      new RegExp(
        `${hostOf(server.baseUrl)} is rate limiting requests or your quota is used up\\. Try again later\\.`,
      ),
      [],
    );
    const gens = generations(server);
    assert.equal(gens.length, 2, 'one retry');
    assert.ok(
      gens[1].at - gens[0].at >= 950,
      `the retry waited ${gens[1].at - gens[0].at} ms, Retry-After said 1 s`,
    );
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('429 with a Retry-After beyond two minutes is not waited for', async () => {
    await setSettings({ maxRetries: 2 });
    server.enqueue('generate', steps.retryAfter(3600));
    assert.equal(await fromSelection(), undefined);
    await shown(/is rate limiting requests or your quota is used up/, []);
    assert.equal(generations(server).length, 1);
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('5xx: retried with backoff, then "HOST is unavailable" → Show Log', async () => {
    await setSettings({ maxRetries: 2 });
    server.enqueue('generate', { status: 500 }, { status: 502 }, { status: 503 });
    assert.equal(await fromSelection(), undefined);
    await shown(
      new RegExp(`${hostOf(server.baseUrl)} is unavailable right now\\. Try again in a moment\\.`),
      ['Show Log'],
    );
    const gens = generations(server);
    assert.equal(gens.length, 3, 'two retries');
    assert.ok(
      gens[1].at - gens[0].at >= 250 && gens[2].at - gens[1].at >= 500,
      'exponential backoff with a floor',
    );
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('a 503 that recovers on retry: two requests, one image, no error', async () => {
    await setSettings({ maxRetries: 1 });
    server.enqueue('generate', { status: 503 });
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.equal(generations(server).length, 2);
    assert.deepEqual(fx.ui.errors, []);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1);
    assert.equal(
      editor.document.getText(),
      `# Faults\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})\n\nAfter.\n`,
    );
    assert.equal(newItems(fx.hooks, before).length, 1);
  });

  test('a Retry-After in HTTP-date form is honoured', async () => {
    await setSettings({ maxRetries: 1 });
    server.enqueue('generate', steps.retryAfterDate(new Date(Date.now() + 3000), 503));
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const gens = generations(server);
    assert.equal(gens.length, 2);
    // The date has whole seconds, so the wait is at least 2 s; the backoff alone would be far shorter.
    const waited = gens[1].at - gens[0].at;
    assert.ok(waited >= 1500, `waited ${waited} ms`);
    assert.deepEqual(fx.ui.errors, []);
  });

  test('a connection reset before any response is retried', async () => {
    await setSettings({ maxRetries: 1 });
    server.enqueue('generate', { reset: 'beforeHeaders' });
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.equal(generations(server).length, 2);
    assert.deepEqual(fx.ui.errors, []);
  });

  test('a connection reset before any response, retries used up → unavailable', async () => {
    server.enqueue('generate', { reset: 'beforeHeaders' });
    assert.equal(await fromSelection(), undefined);
    await shown(/is unavailable right now/, ['Show Log']);
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  for (const [name, step] of [
    ['a connection reset mid-body', { reset: 'midBody' }],
    ['a truncated JSON body', { truncate: 40 }],
  ] as Array<[string, Step]>) {
    test(`${name}: unavailable at once, never retried (the paid answer had begun)`, async () => {
      await setSettings({ maxRetries: 2 });
      server.enqueue('generate', step);
      assert.equal(await fromSelection(), undefined);
      await shown(new RegExp(`${hostOf(server.baseUrl)} is unavailable right now`), ['Show Log']);
      assert.equal(generations(server).length, 1, 'not retried');
      await assertNothingWritten();
      assertNoGalleryItem();
      await assertNextGenerationWorks();
    });
  }

  test('headers that never come: "no answer in N s" → Open Settings, never retried', async () => {
    await setSettings({ maxRetries: 2, requestTimeoutSeconds: 1 });
    server.enqueue('generate', { hang: true });
    const started = Date.now();
    assert.equal(await fromSelection(), undefined);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900, `took ${elapsed} ms: less than the 1 s timeout`);
    await shown(
      new RegExp(
        `No answer from ${hostOf(server.baseUrl)} in 1 s\\. The request was not repeated, since generation is paid\\.`,
      ),
      ['Open Settings'],
    );
    assert.equal(generations(server).length, 1, 'a timeout is never retried');
    await waitFor(() => generations(server)[0].aborted, 'the hung request to be abandoned');
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('DNS failure → "host not found" → Open Settings, Test Connection (which says the same)', async () => {
    await setSettings({ baseUrl: 'https://image-gen-faults.invalid/v1' });
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    assert.equal(await fromSelection(), undefined);
    const said =
      /^Host not found: image-gen-faults\.invalid does not resolve\. Check the base URL setting and your network\.$/;
    await shown(said, ['Open Settings', 'Test Connection']);
    fx.ui.reset();
    assert.deepEqual(await vscode.commands.executeCommand('imageGen.testConnection'), { ok: false });
    await shown(said, ['Open Settings', 'Test Connection']);
    await assertNothingWritten();
    assertNoGalleryItem();
    await setSettings({ baseUrl: server.baseUrl });
    await assertNextGenerationWorks();
  });

  test('an untrusted (self-signed) certificate → "not trusted" → Open Settings, Test Connection', async () => {
    const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tls');
    const tls = https.createServer({
      key: fs.readFileSync(path.join(fixtures, 'self-signed.key')),
      cert: fs.readFileSync(path.join(fixtures, 'self-signed.crt')),
    });
    tls.on('request', (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const port = (tls.address() as { port: number }).port;
    try {
      await setSettings({ baseUrl: `https://127.0.0.1:${port}/v1` });
      await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
      assert.equal(await fromSelection(), undefined);
      const said = new RegExp(`^The certificate of 127\\.0\\.0\\.1:${port} is not trusted \\([A-Z_]+\\)\\.`);
      await shown(said, ['Open Settings', 'Test Connection']);
      assert.equal(editor.document.getText(), TEXT);
      fx.ui.reset();
      assert.deepEqual(await vscode.commands.executeCommand('imageGen.testConnection'), { ok: false });
      await shown(said, ['Open Settings', 'Test Connection']);
    } finally {
      await new Promise((resolve) => tls.close(resolve));
    }
    await assertNothingWritten();
    await setSettings({ baseUrl: server.baseUrl });
    await assertNextGenerationWorks();
  });

  test('connection refused → "nothing answers at HOST" → Open Settings, Test Connection', async () => {
    const closed = new ImageServer();
    await closed.start();
    const baseUrl = closed.baseUrl;
    await closed.stop();
    await setSettings({ baseUrl });
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    assert.equal(await fromSelection(), undefined);
    const said = new RegExp(
      `^Nothing answers at ${hostOf(baseUrl).replace(/\./g, '\\.')}: the connection was refused\\. Check the base URL setting, or start the server\\.$`,
    );
    await shown(said, ['Open Settings', 'Test Connection']);
    assert.equal(editor.document.getText(), TEXT, 'byte for byte as before');
    fx.ui.reset();
    assert.deepEqual(await vscode.commands.executeCommand('imageGen.testConnection'), { ok: false });
    await shown(said, ['Open Settings', 'Test Connection']);
    // The panel and the gallery get the same sentence to show on their pages.
    fx.ui.reset();
    let reason = '';
    const request = { prompt: PROMPT, model: MODEL, size: SIZE, n: 1 };
    await fx.hooks.webviewDeps.generate(
      request,
      new AbortController().signal,
      () => undefined,
      (r) => (reason = r),
    );
    assert.match(reason, said);
    await shown(said, ['Open Settings', 'Test Connection']);
    await assertNothingWritten();
    assertNoGalleryItem();
    await setSettings({ baseUrl: server.baseUrl });
    await assertNextGenerationWorks();
  });

  for (const [name, step, logged] of [
    [
      'an HTML error page with status 200',
      steps.html(200),
      '<!DOCTYPE html><html><head><title>Welcome</title>',
    ],
    [
      'a text body that is not JSON',
      { body: 'upstream connect error or disconnect/reset before headers' },
      'upstream connect error',
    ],
    ['JSON without data', { body: { created: 1, status: 'queued-fault-marker' } }, 'queued-fault-marker'],
    ['data: []', { body: { created: 1, data: [], note: 'empty-data-marker' } }, 'empty-data-marker'],
    [
      'items with neither url nor b64_json',
      { images: [{ revised_prompt: 'neither-field-marker' }] },
      'neither-field-marker',
    ],
    ['invalid base64', { images: [{ b64_json: 'not*valid*base64-marker' }] }, 'not*valid*base64-marker'],
  ] as Array<[string, Step, string]>) {
    test(`${name}: "unexpected response from HOST", the body's start in the log`, async () => {
      await setSettings({ maxRetries: 2 });
      server.enqueue('generate', step);
      assert.equal(await fromSelection(), undefined);
      await shown(
        new RegExp(
          `Unexpected response from ${hostOf(server.baseUrl)}\\. The first 500 characters are in the log\\.`,
        ),
        ['Show Log'],
      );
      assert.equal(generations(server).length, 1, 'not retried');
      await waitFor(() => readLogs(fx.hooks).includes(logged), `"${logged}" in the log`);
      await assertNothingWritten();
      assertNoGalleryItem();
      await assertNextGenerationWorks();
    });
  }

  test('an unexpected body longer than 500 characters: only its first 500 reach the log', async () => {
    const marker = 'tail-beyond-500-characters';
    server.enqueue('generate', {
      body: `<html>${'x'.repeat(600)}${marker}</html>`,
      headers: { 'Content-Type': 'text/html' },
    });
    assert.equal(await fromSelection(), undefined);
    await shown(/Unexpected response from/, ['Show Log']);
    await waitFor(() => readLogs(fx.hooks).includes(`<html>${'x'.repeat(494)}`), 'the excerpt in the log');
    assert.ok(!readLogs(fx.hooks).includes(marker), 'the rest of the body stays out of the log');
    await assertNothingWritten();
    assertNoGalleryItem();
  });

  test('a redirect from the API to another origin is refused, and the key stays put', async () => {
    server.enqueue('generate', steps.redirect(`${other.baseUrl}/images/generations`, 307));
    assert.equal(await fromSelection(), undefined);
    await shown(/redirected to another server, which was not followed so the API key stays private/, [
      'Show Log',
    ]);
    assert.deepEqual(other.requests, [], 'the other origin was never contacted');
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  test('a same-origin redirect loop on the API ends with an unexpected response', async () => {
    server.enqueue('generate', { ...steps.redirect('/v1/images/generations', 307), times: 10 });
    assert.equal(await fromSelection(), undefined);
    await shown(/Unexpected response from/, ['Show Log']);
    assert.equal(generations(server).length, 6, 'at most 5 hops were followed');
    server.reset();
    await assertNothingWritten();
    assertNoGalleryItem();
    await assertNextGenerationWorks();
  });

  // ---- §6: the image could not be kept -----------------------------------------------------------

  const DOWNLOAD_FAULTS: Array<
    [string, () => Step[], () => Step[], RegExp, NonNullable<HistoryItem['problem']>]
  > = [
    [
      'the image URL answers 404',
      () => [{ images: [{ url: server.imageUrl('expired-long-ago') }] }],
      () => [],
      /the image URL answered HTTP 404/,
      'httpStatus',
    ],
    [
      'the image URL returns something that is not an image',
      () => [{ images: [{ url: server.addFile(Buffer.from('<html>not an image</html>'), 'fake.png') }] }],
      () => [],
      /what arrived is not a PNG, JPEG, WebP or GIF image/,
      'notImage',
    ],
    [
      'an image over 50 MB (Content-Length)',
      () => [{}],
      () => [steps.huge()],
      /the image is larger than 50 MB/,
      'tooLarge',
    ],
    [
      'an image over 50 MB (streamed, no Content-Length)',
      () => [{}],
      () => [steps.huge(51 * 1024 * 1024, { chunked: true })],
      /the image is larger than 50 MB/,
      'tooLarge',
    ],
    [
      'an image URL in a redirect loop',
      () => [{ images: [{ url: server.redirectLoopUrl() }] }],
      () => [],
      /the image URL redirects too many times/,
      'redirect',
    ],
    [
      'an image download reset mid-body',
      () => [{}],
      () => [{ reset: 'midBody' }],
      /the image could not be downloaded/,
      'network',
    ],
  ];

  for (const [name, apiSteps, imageSteps, reason, problem] of DOWNLOAD_FAULTS) {
    test(`${name}: kept in the gallery with its URL, the message says why no file was saved`, async () => {
      server.enqueue('generate', ...apiSteps());
      server.enqueue('image', ...imageSteps());
      const result = await fromSelection();
      await shown(
        new RegExp(
          `The image was generated but no file was saved: ${reason.source}\\. It is kept in the gallery with its URL\\.`,
        ),
        [],
      );
      await assertNothingWritten();
      assertKeptWithUrl(result, problem);
      assert.deepEqual(authHeaders(server.requests, 'cdn'), [], 'image requests carry no key');
      await assertNextGenerationWorks();
    });
  }

  test('an image download that stalls: "the download took too long", kept with its URL', async () => {
    await setSettings({ requestTimeoutSeconds: 1 });
    server.enqueue('image', { hang: true });
    const result = await fromSelection();
    await shown(
      /no file was saved: the download took too long\. It is kept in the gallery with its URL\./,
      [],
    );
    await assertNothingWritten();
    assertKeptWithUrl(result, 'timeout');
    await setSettings({ requestTimeoutSeconds: 10 });
    await assertNextGenerationWorks();
  });

  test('an image URL that redirects to another origin is downloaded, without the key', async () => {
    const png = server.renderFor('redirected', SIZE);
    const elsewhere = other.addFile(png, 'moved.png');
    server.enqueue('generate', { images: [{ url: server.redirectUrl(elsewhere, 302) }] });
    const result = await fromSelection();
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.deepEqual(fx.ui.errors, []);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1);
    assert.deepEqual(await readPicture(wsUri(`${IMAGES}/${files[0]}`)), png);
    assert.equal(other.requests.length, 1, 'the redirect target was fetched');
    assert.deepEqual(authHeaders(server.requests, 'cdn'), [], 'no key to the image host');
    assert.deepEqual(authHeaders(other.requests), [], 'no key to the redirect target');
    assert.deepEqual(
      authHeaders(
        server.requests.filter((r) => !r.path.startsWith('/v1/dashboard/')),
        'api',
      ),
      [`Bearer ${KEY}`],
      'the key went to the API only (the balance refresh goes there too)',
    );
  });

  test('b64_json that decodes to something that is not an image: recorded with the problem, nothing saved', async () => {
    server.enqueue('generate', {
      images: [{ b64_json: Buffer.from('GIF? no, just text padding').toString('base64') }],
    });
    const result = await fromSelection();
    // An inline image has no URL, so the message does not promise one.
    await shown(/no file was saved: what arrived is not a PNG, JPEG, WebP or GIF image\.$/, []);
    await assertNothingWritten();
    const items = newItems(fx.hooks, before);
    assert.equal(items.length, 1);
    assert.equal(items[0].problem, 'notImage');
    assert.equal(items[0].cacheFile, undefined);
    assert.ok(result);
    await assertNextGenerationWorks();
  });

  test('user cancels during the image download: nothing inserted or saved, no error; the paid image stays in the gallery marked cancelled', async () => {
    server.enqueue('image', { hang: true });
    const running = fromSelection();
    await waitFor(() => server.requests.some((r) => r.server === 'cdn'), 'the image download');
    fx.hooks.cancelAll();
    assert.equal(await running, undefined);
    assert.deepEqual(fx.ui.errors, []);
    await assertNothingWritten();
    // The provider had answered (the image is paid for): the gallery keeps its URL, marked cancelled.
    const kept = newItems(fx.hooks, before);
    assert.equal(kept.length, 1, JSON.stringify(kept));
    assert.equal(kept[0].cancelled, true);
    assert.ok(kept[0].remoteUrl?.startsWith(server.cdnOrigin));
    assert.equal(kept[0].cacheFile, undefined, 'the download was cut, so no copy is claimed');
    assert.equal(kept[0].problem, undefined, 'a cancel is not a download failure');
    assert.deepEqual(kept[0].savedUris, []);
    await assertNextGenerationWorks();
  });

  test('a partly failed n=3 on a one-per-request model: the good images are saved and linked, the failure is reported', async () => {
    server.enqueue('generate', {}, { status: 503 }, {});
    const result = await fromSelection({ model: 'dall-e-3', size: '1024x1024', n: 3 });
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.equal(result.images.length, 2);
    await shown(/^1 of 3 images failed\. .* is unavailable right now/, ['Show Log']);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 2);
    const links = editor.document
      .getText()
      .split('\n')
      .filter((l) => l.startsWith('!['));
    assert.deepEqual(links.map((l) => /\(images\/([^)]+)\)/.exec(l)?.[1]).sort(), files);
    assert.equal(newItems(fx.hooks, before).length, 2);
  });
});

// Real providers are never on 127.0.0.1, and VS Code's proxy support treats loopback differently
// (it keeps the caller's agent only for localhost): the body-cut faults again, from a LAN address.
suite('Faults: connections cut mid-body by a provider on another host', () => {
  const fx = useFixture({
    key: KEY,
    onLan: true,
    settings: { maxRetries: 2, requestTimeoutSeconds: 10 },
    clean: [IMAGES],
    // Plain http to this host was confirmed before, as by a user who said yes once.
    prepare: ({ server, hooks }) =>
      hooks.context.globalState.update('imageGen.insecureOriginsConfirmed', [server.apiOrigin]),
  });

  for (const [name, step] of [
    ['a reset mid-body', { reset: 'midBody' }],
    ['a truncated JSON body', { truncate: 40 }],
  ] as Array<[string, Step]>) {
    test(`${name} of the API answer: unavailable at once, not after the timeout`, async () => {
      const editor = await openDocument(DOC, TEXT);
      select(editor, PROMPT);
      fx.server.enqueue('generate', step);
      assert.equal(await fromSelection(), undefined);
      await fx.ui.waitForMessage(new RegExp(`${hostOf(fx.server.baseUrl)} is unavailable right now`));
      assert.equal(generations(fx.server).length, 1, 'not retried');
      assert.equal(editor.document.getText(), TEXT);
    });
  }

  test('a reset mid-body of the image download: no file, kept with its URL, at once', async () => {
    const editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    fx.server.enqueue('image', { reset: 'midBody' });
    const result = await fromSelection();
    await fx.ui.waitForMessage(/no file was saved: the image could not be downloaded/);
    assert.ok(result && result.images[0].url && !result.images[0].uri);
    assert.deepEqual(await filesIn(IMAGES), []);
    assert.equal(editor.document.getText(), TEXT);
  });
});
