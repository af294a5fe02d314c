// PRODUCT.md §10, what the provider controls, in a real VS Code against the fixture server: answer
// size limits after decompression (a 1 GB gzip bomb, with the extension host's memory measured),
// extra and unusable `data` items, downloads at most 4 at once, cancel after the answer, paid
// requests confirmed, base URLs with user info, keys that cannot go into a header, downloads to
// private addresses, and `insertAs: url` for an image that failed to download.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import type { HistoryItem } from '../../src/core/history';
import { systemResolver } from '../../src/core/addressPolicy';
import {
  filesIn,
  isPng,
  openDocument,
  readBytes,
  select,
  setSettings,
  waitFor,
  wsUri,
  type TestHooks,
} from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-hardening-5e1f0a7b93c24d86';
const PROMPT = 'A lighthouse in a snowstorm';
const DOC = 'docs/hardening/page.md';
const IMAGES = 'docs/hardening/images';
const TEXT = `# Hardening\n\n${PROMPT}\n\nAfter.\n`;
const MODEL = 'qh-draw-x2-preview';
const SIZE = '256x256';
const MB = 1024 * 1024;

function fromSelection(arg: Record<string, unknown> = {}): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', {
    model: MODEL,
    size: SIZE,
    ...arg,
  });
}

/** Every *.log file under this window's logs folder, concatenated. */
function readLogs(hooks: TestHooks): string {
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

suite('Hardening: what the provider controls (PRODUCT.md §10)', () => {
  const fx = useFixture({ key: KEY, settings: { requestTimeoutSeconds: 30 }, clean: [IMAGES] });
  const { server } = fx;
  let editor: vscode.TextEditor;
  let known: Set<string>;

  const generations = () => server.requests.filter((r) => r.path === '/v1/images/generations');
  const downloads = () => server.requests.filter((r) => r.server === 'cdn');
  const host = () => new URL(server.baseUrl).host;
  const newItems = (): HistoryItem[] => fx.hooks.history.list().filter((i) => !known.has(i.id));

  suiteTeardown(() => {
    fx.hooks.generator.resolver = systemResolver;
  });
  setup(async () => {
    editor = await openDocument(DOC, TEXT);
    select(editor, PROMPT);
    await fx.hooks.history.ready();
    known = new Set(fx.hooks.history.list().map((i) => i.id));
  });

  async function assertNothingWritten(): Promise<void> {
    assert.equal(editor.document.getText(), TEXT, 'no text was inserted');
    assert.deepEqual(await filesIn(IMAGES), [], 'no file was saved into the workspace');
  }

  test('a gzip bomb of 1 GB inflated: "unexpected response", not retried, host memory bounded', async function () {
    this.timeout(120_000);
    server.enqueue('generate', { gzipBomb: { inflatedBytes: 1024 * MB } });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let result: GenerateResult | undefined;
    try {
      result = await fromSelection();
    } finally {
      clearInterval(sampler);
    }
    const growthMb = (peak - before) / MB;
    console.log(`gzip bomb: extension host RSS grew by at most ${growthMb.toFixed(0)} MB`);
    assert.equal(result, undefined);
    const shown = await fx.ui.waitForMessage(/the answer was far larger than any answer of its kind/);
    assert.equal(shown.kind, 'error');
    assert.ok(shown.message.startsWith(`Unexpected response from ${host()}`), shown.message);
    assert.ok(growthMb < 450, `the extension host grew by ${growthMb.toFixed(0)} MB`);
    assert.equal(generations().length, 1, 'not retried');
    await assertNothingWritten();
    assert.deepEqual(newItems(), []);
    assert.match(readLogs(fx.hooks), /larger than 200 MB; stopped reading and closed the connection/);
  });

  test('/models: a gzip bomb stops at 1 MB, and a body that keeps coming is cut, its connection closed', async function () {
    this.timeout(60_000);
    server.enqueue('models', { gzipBomb: { inflatedBytes: 1024 * MB } });
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('imageGen.testConnection');
    assert.deepEqual(result, { ok: false });
    await fx.ui.waitForMessage(/Unexpected response from .*: the answer was far larger/);
    // 64 MB that the server cannot finish writing unless the client reads on: the client stops at
    // 1 MB and closes the connection, which the server records as aborted.
    server.reset();
    server.enqueue('models', { stream: { bytes: 64 * MB, chunked: true, prefixPng: false } });
    fx.ui.reset();
    assert.deepEqual(await vscode.commands.executeCommand('imageGen.testConnection'), { ok: false });
    await fx.ui.waitForMessage(/the answer was far larger/);
    await waitFor(
      () => server.requests.find((r) => r.path === '/v1/models')?.aborted,
      'the /models connection to be closed by the client',
    );
  });

  test('n=1 answered with 40 images: one downloaded, saved and linked; the rest ignored and logged', async () => {
    const images = Array.from({ length: 40 }, (_, i) => ({
      url: server.addFile(server.renderFor(PROMPT, SIZE, i), `extra-${Date.now()}-${i}`),
    }));
    server.enqueue('generate', { images });
    const result = await fromSelection();
    assert.equal(result?.images.length, 1, JSON.stringify(fx.ui.shown));
    assert.equal(downloads().length, 1, 'only the first image was downloaded');
    assert.equal(downloads()[0].path, new URL(images[0].url).pathname);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1);
    assert.equal(newItems().length, 1);
    assert.deepEqual(fx.ui.errors, []);
    assert.match(readLogs(fx.hooks), /listed 39 image\(s\) more than the 1 asked for: ignored/);
  });

  test('downloads of one generation run at most 4 at once (n=6, confirmed)', async function () {
    this.timeout(30_000);
    server.hold('image');
    fx.ui.answer({ kind: 'confirm', yes: true });
    const pending = fromSelection({ n: 6, insertAs: 'none' });
    await waitFor(() => server.imagesInFlight === 4, 'four downloads at once');
    // A fifth would start at once if there were no limit: give it the time to show.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(downloads().length, 4, 'the other two wait for a free slot');
    server.release();
    const result = await pending;
    assert.equal(result?.images.length, 6, JSON.stringify(fx.ui.shown));
    assert.equal(downloads().length, 6);
    assert.equal(server.maxImagesInFlight, 4);
  });

  test('one item without image data does not throw away the other: it is saved and linked, "1 of 2 failed"', async () => {
    const good = server.addFile(server.renderFor(PROMPT, SIZE, 0), `partial-${Date.now()}`);
    server.enqueue('generate', { images: [{ revised_prompt: 'no image here' }, { url: good }] });
    const result = await fromSelection({ n: 2 });
    assert.equal(result?.images.length, 1, JSON.stringify(fx.ui.shown));
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1);
    assert.ok(isPng(await readBytes(wsUri(`${IMAGES}/${files[0]}`))));
    assert.equal(
      editor.document.getText(),
      `# Hardening\n\n${PROMPT}\n\n![${PROMPT}](images/${files[0]})\n\nAfter.\n`,
    );
    const message = await fx.ui.waitForMessage(/1 of 2 images failed\./);
    assert.equal(
      message.message,
      `1 of 2 images failed. Unexpected response from ${host()}: an image it listed had no usable image data.`,
    );
    assert.equal(newItems().length, 1);
  });

  test('cancel after the provider answered: nothing inserted or written; the paid images stay in the gallery, marked cancelled', async () => {
    server.enqueue('image', {}, { hang: true });
    const running = fromSelection({ n: 2 });
    await waitFor(() => downloads().length === 2, 'both downloads');
    // Let the first (quick) download land in the cache before cancelling.
    await new Promise((r) => setTimeout(r, 300));
    fx.hooks.cancelAll();
    assert.equal(await running, undefined);
    assert.deepEqual(fx.ui.errors, []);
    await assertNothingWritten();
    const kept = newItems();
    assert.equal(kept.length, 2, JSON.stringify(kept));
    assert.ok(kept.every((i) => i.cancelled === true && i.remoteUrl && i.savedUris.length === 0));
    assert.equal(kept.filter((i) => i.cacheFile).length, 1, 'the finished download is cached');
  });

  test('more than 4 images, or a retry policy that could send more than 3 paid requests, asks first; declined, nothing is sent', async () => {
    assert.equal(await fromSelection({ n: 5 }), undefined);
    await setSettings({ maxRetries: 3 });
    assert.equal(await fromSelection(), undefined);
    const confirms = fx.ui.shown.filter((s) => s.kind === 'confirm');
    assert.deepEqual(
      confirms.map((c) => c.message),
      [
        'This generation asks for 5 images, and each image is paid for.',
        'imageGen.maxRetries is 3, so a request that fails may be sent up to 4 times, and each attempt may be paid for.',
      ],
    );
    assert.deepEqual(server.requests, [], 'nothing was sent');
    assert.deepEqual(fx.ui.errors, []);
    await assertNothingWritten();
    // Within the limits nothing is asked.
    await setSettings({ maxRetries: 2 });
    fx.ui.reset();
    assert.ok(await fromSelection({ n: 4, insertAs: 'none' }));
    assert.deepEqual(fx.ui.questions, []);
  });

  test('a base URL with user:password@ is refused everywhere, and the password never reaches the log', async () => {
    const withCredentials = server.baseUrl.replace('http://', 'http://alice:hunter2-pw@');
    await setSettings({ baseUrl: withCredentials });
    const expected =
      'The imageGen.baseUrl setting contains a user name or password (user:password@…). Remove it from the URL; the API key is set with Set API Key.';
    assert.equal(await fromSelection(), undefined);
    const first = await fx.ui.waitForMessage(/user:password@/);
    assert.equal(first.message, expected);
    assert.deepEqual(first.actions, ['Open Settings']);
    assert.deepEqual(await vscode.commands.executeCommand('imageGen.testConnection'), { ok: false });
    assert.equal(await vscode.commands.executeCommand('imageGen.setApiKey', 'sk-another-key-123456'), false);
    // Opening the model picker would call /models: it must not either (the pick is dismissed).
    await vscode.commands.executeCommand('imageGen.generateFromSelection', { size: SIZE });
    assert.equal(fx.ui.errors.filter((e) => e === expected).length, 3, JSON.stringify(fx.ui.errors));
    assert.deepEqual(server.requests, [], 'nothing was sent to the server');
    await assertNothingWritten();
    assert.ok(!readLogs(fx.hooks).includes('hunter2'), 'the password is not in any log');
  });

  test('keys that cannot go into a header are refused when entered and when used', async () => {
    const origin = server.apiOrigin;
    const zeroWidth = 'sk-abc\u200bdef123456';
    const expectedEntry =
      'The key contains characters that cannot be sent in an HTTP header (such as a zero-width space, full-width letters or a line break). Paste the key again as plain text.';
    // Entered as an argument.
    assert.equal(await vscode.commands.executeCommand('imageGen.setApiKey', zeroWidth), false);
    assert.deepEqual(fx.ui.errors, [expectedEntry]);
    assert.equal(await fx.hooks.keys.get(origin), KEY, 'the good key was kept');
    // Typed into the input box: the box refuses it.
    for (const typed of ['ｓｋ－ｆｕｌｌｗｉｄｔｈ', 'sk-line\nbreak']) {
      fx.ui.answer({ kind: 'input', value: typed });
      assert.equal(await vscode.commands.executeCommand('imageGen.setApiKey'), false);
    }
    const refusals = fx.ui.shown
      .filter((s) => s.kind === 'input')
      .map((s) => (s as { refused?: string }).refused);
    assert.deepEqual(refusals, [expectedEntry, expectedEntry]);
    assert.equal(await fx.hooks.keys.get(origin), KEY);
    // Stored earlier (another version, synced settings): refused when used, nothing sent.
    await fx.hooks.keys.set(origin, zeroWidth);
    fx.ui.reset();
    assert.equal(await fromSelection(), undefined);
    const used = await fx.ui.waitForMessage(/contains characters that cannot be sent/);
    assert.equal(
      used.message,
      `The API key stored for ${host()} contains characters that cannot be sent in an HTTP header (such as a zero-width space, full-width letters or a line break). Set the key again.`,
    );
    assert.deepEqual(used.actions, ['Set API Key']);
    assert.deepEqual(server.requests, []);
    await assertNothingWritten();
    assert.ok(!readLogs(fx.hooks).includes('abc\u200bdef'), 'the key is not in the log');
  });

  test('insertAs url never links an image that failed to download; the gallery keeps it with the reason', async () => {
    server.enqueue('image', { status: 404 });
    const result = await fromSelection({ insertAs: 'url' });
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.equal(result.images[0].markdown, undefined);
    await fx.ui.waitForMessage(/the image URL answered HTTP 404/);
    await assertNothingWritten();
    const [item] = newItems();
    assert.equal(item.problem, 'httpStatus');
    assert.ok(item.remoteUrl);
  });

  suite('downloads to private addresses', () => {
    // "vm"-style host names of this machine resolve to 127.0.0.1 through /etc/hosts: the API is
    // reached for real under that name, while the extension's resolver is told it is public.
    const name = os.hostname();
    let origin: string;

    setup(async function () {
      const addresses = await (await import('node:dns')).promises.lookup(name, { all: true }).catch(() => []);
      if (!addresses.some((a) => a.address === '127.0.0.1')) this.skip();
      origin = server.apiOrigin.replace('127.0.0.1', name);
      await fx.hooks.context.globalState.update('imageGen.insecureOriginsConfirmed', [origin]);
      await setSettings({ baseUrl: `${origin}/v1` });
      await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    });
    teardown(async () => {
      fx.hooks.generator.resolver = systemResolver;
      await fx.hooks.context.globalState.update('imageGen.insecureOriginsConfirmed', undefined);
    });

    test('a public API naming a loopback image URL: not downloaded, kept in the gallery with the reason', async () => {
      fx.hooks.generator.resolver = async (h) => (h === name ? ['203.0.113.10'] : ['127.0.0.1']);
      const result = await fromSelection();
      assert.ok(result, JSON.stringify(fx.ui.shown));
      assert.equal(generations().length, 1, 'the API itself was called');
      assert.deepEqual(downloads(), [], 'the private image URL was never requested');
      await fx.ui.waitForMessage(/points at a private or local network address/);
      await assertNothingWritten();
      const [item] = newItems();
      assert.equal(item.problem, 'privateAddress');
    });

    test('an API on a private address itself may serve images from one (the real resolver)', async () => {
      const result = await fromSelection();
      assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
      assert.equal(downloads().length, 1);
      assert.equal((await filesIn(IMAGES)).length, 1);
    });
  });
});
