// Edit Image… and the CodeLens on image links (PRODUCT.md §11) in the real VS Code, against the
// fixture server's strict multipart `/v1/images/edits`: the request shape, where results go,
// what the user is told, and that the source file is never touched.
import * as assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import type { EditResult } from '../../src/app/editImage';
import type { ShownPrompt } from '../../src/app/imageLinkActions';
import { readEmbeddedProvenance, SIDECAR_SUFFIX } from '../../src/core/provenance';
import { renderImage } from '../fixtures/png';
import { browserBridge } from './support/bridge';
import { ImageServer, type RecordedRequest } from '../fixtures/imageServer';
import {
  closeAllEditors,
  exists,
  filesIn,
  isPng,
  openDocument,
  readBytes,
  recordUi,
  removeAll,
  resetSettings,
  setSettings,
  testHooks,
  waitFor,
  wsUri,
} from './support/env';
import { useFixture } from './support/fixture';
import type { RecordingUi } from './support/recordingUi';

const KEY = 'sk-test-edit-0123456789abcdef';
const DIR = 'edit/images';
const SOURCE = `${DIR}/harbour.png`;

function editImage(arg?: unknown): Thenable<EditResult | undefined> {
  return vscode.commands.executeCommand<EditResult | undefined>('imageGen.editImage', arg);
}

/** Name, file name and bytes of every file part of a recorded multipart request, in order. */
function fileParts(request: RecordedRequest | undefined, name?: string) {
  assert.ok(request?.form, `no multipart request recorded: ${request?.body.slice(0, 200)}`);
  return request.form.parts
    .filter((p) => p.filename !== undefined && (name === undefined || p.name === name))
    .map((p) => ({ name: p.name, filename: p.filename, type: p.contentType, data: p.data }));
}

function field(request: RecordedRequest | undefined, name: string): string | undefined {
  return request?.form?.parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
}

suite('Edit Image', () => {
  const fx = useFixture({ key: KEY, clean: ['edit'] });
  const { server } = fx;
  let source: Buffer;
  const edits = () => server.requests.filter((r) => r.path === '/v1/images/edits');

  suiteTeardown(() => removeAll('edit'));
  setup(async () => {
    source = renderImage({ prompt: 'a harbour at dawn', width: 64, height: 48, index: 0 });
    await vscode.workspace.fs.createDirectory(wsUri(DIR));
    await vscode.workspace.fs.writeFile(wsUri(SOURCE), source);
  });

  test('from the CodeLens on a link: asks the change and the model, saves beside the source, links after the old one', async () => {
    const editor = await openDocument(
      'edit/page.md',
      '# Port\n\n![harbour](images/harbour.png)\nCaption text.\n',
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    const titles = lenses.filter((l) => l.range.start.line === 2).map((l) => l.command?.title);
    assert.deepEqual(titles, ['Regenerate', 'Edit', 'Show prompt']);
    const lens = lenses.find((l) => l.command?.command === 'imageGen.editImage');
    assert.ok(lens?.command);

    fx.ui.answer({ kind: 'input', value: 'make the sky stormy' }, { kind: 'pick' });
    const result = await vscode.commands.executeCommand<EditResult | undefined>(
      lens.command.command,
      ...(lens.command.arguments ?? []),
    );
    assert.ok(result, `no result; shown: ${JSON.stringify(fx.ui.shown)}`);
    const picks = fx.ui.questions.filter((q) => q.kind === 'pick');
    assert.equal(picks.length, 1);
    assert.ok(picks[0].kind === 'pick' && !picks[0].labels.includes('dall-e-3'), 'dall-e-3 cannot edit');

    const files = (await filesIn(DIR)).filter((f) => f !== 'harbour.png');
    assert.equal(files.length, 1, `files: ${files}`);
    assert.match(files[0], /^harbour-edit-\d{8}-\d{6}\.png$/);
    // The new link comes after the old one, as a paragraph of its own; the old text is all kept.
    const text = editor.document.getText();
    const link = `![make the sky stormy](images/${files[0]})`;
    assert.ok(text.indexOf(link) > text.indexOf('![harbour](images/harbour.png)'), text);
    assert.ok(text.includes(`\n\n${link}\n\n`) || text.endsWith(`\n\n${link}\n`), text);
    assert.deepEqual(
      text.split('\n').filter((l) => l && l !== link),
      ['# Port', '![harbour](images/harbour.png)', 'Caption text.'],
    );
    const sent = edits();
    assert.equal(sent.length, 1);
    assert.equal(field(sent[0], 'prompt'), 'make the sky stormy');
    assert.equal(field(sent[0], 'model'), 'qh-draw-x2-preview');
    assert.equal(field(sent[0], 'size'), undefined, 'no size: the provider keeps the source size');
    const images = fileParts(sent[0]);
    assert.deepEqual(
      images.map((p) => [p.name, p.filename, p.type]),
      [['image', 'harbour.png', 'image/png']],
    );
    assert.deepEqual(images[0].data, source, 'the source bytes are sent as they are');
    assert.deepEqual(Buffer.from(await readBytes(wsUri(SOURCE))), source, 'the source file is unchanged');
    const saved = await readBytes(wsUri(`${DIR}/${files[0]}`));
    assert.ok(isPng(saved));
    const provenance = readEmbeddedProvenance(saved);
    assert.equal(provenance?.prompt, 'make the sky stormy');
    assert.equal(provenance?.parent, 'harbour.png');
  });

  test('insertAs replace swaps exactly the link under the cursor', async () => {
    const text = 'A ![one](images/harbour.png) and\n\n![two](images/harbour.png)\n\nend\n';
    const editor = await openDocument('edit/page.md', text);
    const second = text.indexOf('![two]') + 3;
    const pos = editor.document.positionAt(second);
    editor.selection = new vscode.Selection(pos, pos);
    const result = await editImage({
      image: wsUri(SOURCE).toString(),
      prompt: 'at night',
      model: 'gpt-image-1',
      insertAs: 'replace',
    });
    assert.ok(result?.images[0].uri, JSON.stringify(fx.ui.shown));
    const name = vscode.Uri.parse(result.images[0].uri).path.split('/').pop();
    assert.equal(
      editor.document.getText(),
      `A ![one](images/harbour.png) and\n\n![at night](images/${name})\n\nend\n`,
    );
    assert.deepEqual(Buffer.from(await readBytes(wsUri(SOURCE))), source);
    assert.deepEqual(fx.ui.questions, [], 'with image, prompt and model given nothing is asked');
  });

  test('from the explorer: the Uri is the image; references go in order as image[]; the mask is sent', async () => {
    const refA = renderImage({ prompt: 'reference a', width: 32, height: 32, index: 0 });
    const refB = renderImage({ prompt: 'reference b', width: 16, height: 16, index: 0 });
    await vscode.workspace.fs.writeFile(wsUri(`${DIR}/b-ref.png`), refB);
    await vscode.workspace.fs.writeFile(wsUri(`${DIR}/a-ref.png`), refA);
    fx.ui.answer(
      { kind: 'input', value: 'same style as the references' },
      { kind: 'pick', label: 'nano-banana-2' },
    );
    const result = await editImage(wsUri(SOURCE));
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.ok(await exists(vscode.Uri.parse(result.images[0].uri!)), 'saved beside the source');
    assert.match(
      fx.ui.messages.at(-1)?.message ?? '',
      /harbour-edit-/,
      'no editor: the user is told where it went',
    );

    // A mask of the source's size: transparent on the left half (change), opaque on the right.
    const maskPng = new PNG({ width: 64, height: 48 });
    for (let i = 0; i < 64 * 48; i++) maskPng.data[i * 4 + 3] = i % 64 < 32 ? 0 : 255;
    const maskBytes = PNG.sync.write(maskPng);
    await vscode.workspace.fs.writeFile(wsUri(`${DIR}/mask.png`), maskBytes);
    await editImage({
      image: wsUri(SOURCE).toString(),
      prompt: 'combine',
      model: 'gpt-image-1',
      references: [wsUri(`${DIR}/b-ref.png`).toString(), `${DIR}/a-ref.png`],
      mask: wsUri(`${DIR}/mask.png`).toString(),
      insertAs: 'none',
    });
    assert.deepEqual(fx.ui.errors, []);
    const [mask] = fileParts(edits().at(-1), 'mask');
    assert.deepEqual([mask?.type, mask?.data], ['image/png', maskBytes]);
    const parts = fileParts(edits().at(-1), 'image[]');
    assert.deepEqual(
      parts.map((p) => p.filename),
      ['harbour.png', 'b-ref.png', 'a-ref.png'],
    );
    assert.deepEqual(parts[1].data, refB);
  });

  test('a model without edits is refused before anything is sent', async () => {
    const result = await editImage({ image: wsUri(SOURCE).toString(), prompt: 'x', model: 'dall-e-3' });
    assert.equal(result, undefined);
    assert.equal(edits().length, 0);
    assert.match(fx.ui.errors[0] ?? '', /dall-e-3 cannot edit images/);
  });

  for (const status of [400, 404]) {
    test(`HTTP ${status} from /images/edits says the provider or model does not support edits, with its message`, async () => {
      const before = await filesIn(DIR);
      const editor = await openDocument('edit/page.md', '![h](images/harbour.png)\n');
      const text = editor.document.getText();
      server.enqueue('edit', {
        status,
        body: { error: { message: `Edits are not available (${status})`, type: 'invalid_request_error' } },
      });
      const result = await editImage({
        image: wsUri(SOURCE).toString(),
        prompt: 'x',
        model: 'qh-draw-x1-pro',
      });
      assert.equal(result, undefined);
      assert.equal(fx.ui.errors.length, 1, JSON.stringify(fx.ui.shown));
      assert.match(fx.ui.errors[0], /does not support edits/);
      assert.match(fx.ui.errors[0], new RegExp(`Edits are not available \\(${status}\\)`));
      assert.equal(editor.document.getText(), text, 'nothing inserted');
      assert.deepEqual(await filesIn(DIR), before, 'no file written');
      assert.deepEqual(Buffer.from(await readBytes(wsUri(SOURCE))), source);
    });
  }

  test('provenance round-trips: Show prompt reads it from the file when the gallery does not know it', async () => {
    const hooks = await testHooks();
    await openDocument('edit/page.md', 'A lighthouse on a cliff, oil painting\n');
    const generated = await vscode.commands.executeCommand<{ images: { uri?: string }[] }>(
      'imageGen.generate',
      {
        prompt: '海边悬崖上的灯塔，油画',
        model: 'qh-draw-x1-pro',
        size: '1280x720',
        insertAs: 'file',
      },
    );
    const uri = generated?.images[0].uri;
    assert.ok(uri, JSON.stringify(fx.ui.shown));
    // A teammate's checkout: the gallery has never seen this file.
    await hooks.history.clear();
    const shown = await vscode.commands.executeCommand<ShownPrompt>('imageGen.showImagePrompt', {
      image: uri,
    });
    assert.equal(shown?.provenance?.prompt, '海边悬崖上的灯塔，油画');
    assert.equal(shown?.provenance?.model, 'qh-draw-x1-pro');
    assert.equal(shown?.provenance?.size, '1280x720');
    assert.match(fx.ui.messages.at(-1)?.message ?? '', /海边悬崖上的灯塔，油画/);
  });

  test('other formats get a sidecar that Show prompt reads back', async () => {
    const hooks = await testHooks();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    server.enqueue('generate', { images: [{ url: server.addFile(jpeg, 'photo', 'image/jpeg') }] });
    await setSettings({ destination: 'images/${fileName}' });
    await openDocument('edit/page.md', '\n');
    const generated = await vscode.commands.executeCommand<{ images: { uri?: string }[] }>(
      'imageGen.generate',
      {
        prompt: 'a jpeg photo',
        model: 'qh-draw-x1-pro',
        size: '1024x1024',
      },
    );
    const uri = vscode.Uri.parse(generated?.images[0].uri ?? '');
    assert.match(uri.path, /\.jpg$/);
    assert.ok(await exists(uri.with({ path: `${uri.path}${SIDECAR_SUFFIX}` })), 'sidecar written');
    assert.deepEqual(Buffer.from(await readBytes(uri)), jpeg, 'the image bytes are left as they are');
    await hooks.history.clear();
    const shown = await vscode.commands.executeCommand<ShownPrompt>('imageGen.showImagePrompt', {
      image: uri.toString(),
    });
    assert.equal(shown?.provenance?.prompt, 'a jpeg photo');
  });
});

suite('Edit from the gallery', () => {
  const server = new ImageServer();
  const bridge = browserBridge();
  let ui: RecordingUi;

  suiteSetup(async function () {
    if (!bridge.available()) this.skip();
    await server.start();
  });
  suiteTeardown(async () => {
    await server.stop();
    await resetSettings();
    await removeAll('edit');
  });

  test("the gallery's Edit sends the cached image and keeps the result with its parent", async () => {
    const hooks = await testHooks();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    const made = await vscode.commands.executeCommand<{ images: { historyId: string }[] }>(
      'imageGen.generate',
      {
        prompt: 'a paper boat on a pond',
        model: 'qh-draw-x1-pro',
        size: '1024x1024',
        insertAs: 'none',
      },
    );
    const id = made?.images[0].historyId;
    assert.ok(id, JSON.stringify(ui.shown));
    const item = hooks.history.get(id);
    const cached = Buffer.from(await readBytes(hooks.history.cacheUri(item!)!));

    await vscode.commands.executeCommand('imageGen.gallery.focus');
    await bridge.waitWebview('gallery', "() => document.body.dataset.ready === 'true'");
    ui.answer({ kind: 'input', value: 'make the boat red' }, { kind: 'pick' });
    await bridge.clickWebview('gallery', `#list .row[data-id="${id}"] [data-action=edit]`);
    const child = await waitFor(
      () => hooks.history.list().find((i) => i.parent === id),
      'the edited image in the gallery',
    );
    assert.equal(child.prompt, 'make the boat red');
    const sent = server.requests.filter((r) => r.path === '/v1/images/edits');
    assert.equal(sent.length, 1);
    const image = fileParts(sent[0], 'image');
    assert.deepEqual(image[0].data, cached, 'the cached image is what is edited');
  });
});

suite('Edit in the generator panel', () => {
  const server = new ImageServer();
  const bridge = browserBridge();
  const G = 'generator';

  suiteSetup(async function () {
    if (!bridge.available()) this.skip();
    await server.start();
  });
  suiteTeardown(async () => {
    await server.stop();
    await resetSettings();
    await closeAllEditors();
  });

  test('a dropped image with a mask painted by the mouse is sent as image + PNG mask of its size', async () => {
    const ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    await vscode.commands.executeCommand('imageGen.setApiKey', KEY);
    const source = renderImage({ prompt: 'a meadow', width: 64, height: 48, index: 0 });
    await vscode.commands.executeCommand('imageGen.openGenerator');
    await bridge.waitWebview(G, "() => document.body.dataset.ready === 'true'");

    // A file dropped from the desktop, as the browser hands it to the page.
    await bridge.evalWebview(
      G,
      `([b64, name]) => {
        const bin = atob(b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: 'image/png' }));
        document.getElementById('drop-zone').dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        return true;
      }`,
      [source.toString('base64'), 'meadow.png'],
    );
    await bridge.waitWebview(G, "() => document.querySelectorAll('#references li').length === 1");
    assert.equal(
      await bridge.evalWebview(G, "() => document.querySelector('#generate .label').textContent"),
      'Edit',
    );

    await bridge.clickWebview(G, '#mask-mode');
    await bridge.waitWebview(G, "() => !document.getElementById('mask-editor').hidden");
    // Brush in screen pixels; the canvas is shown at the image's own size here (64 px wide).
    await bridge.evalWebview(
      G,
      `() => { const b = document.getElementById('brush-size'); b.value = '8'; b.dispatchEvent(new Event('input')); }`,
    );
    const shownWidth = await bridge.evalWebview<undefined, number>(
      G,
      "() => document.getElementById('mask-canvas').getBoundingClientRect().width",
    );
    assert.equal(Math.round(shownWidth), 64);
    await bridge.dragWebview(G, '#mask-canvas', [
      [0.25, 0.5],
      [0.375, 0.5],
      [0.5, 0.5],
    ]);
    await bridge.waitWebview(G, "() => document.body.dataset.maskStrokes === '1'");
    await bridge.screenshot('edit-mode-mask', G);

    await bridge.fillWebview(G, '#prompt', 'a pond in the middle');
    await bridge.clickWebview(G, '#generate');
    const request = await waitFor(
      () => server.requests.find((r) => r.path === '/v1/images/edits'),
      'the edit request',
      30_000,
    );
    await waitFor(() => hooksHasItem('a pond in the middle'), 'the result in the gallery');
    assert.deepEqual(ui.errors, []);
    const image = fileParts(request, 'image');
    assert.equal(image.length, 1);
    assert.equal(image[0].filename, 'meadow.png');
    assert.deepEqual(image[0].data, source);
    const [maskPart] = fileParts(request, 'mask');
    assert.equal(maskPart?.type, 'image/png');
    const mask = PNG.sync.read(maskPart.data);
    assert.deepEqual([mask.width, mask.height], [64, 48], 'the mask has the image size');
    const alpha = (x: number, y: number) => mask.data[(y * mask.width + x) * 4 + 3];
    assert.equal(alpha(24, 24), 0, 'painted: transparent (change here)');
    assert.equal(alpha(16, 24), 0);
    assert.equal(alpha(2, 2), 255, 'not painted: opaque (keep)');
    assert.equal(alpha(24, 12), 255);
    assert.equal(alpha(60, 40), 255);
  });
});

async function hooksHasItem(prompt: string): Promise<boolean> {
  const hooks = await testHooks();
  return hooks.history.list().some((i) => i.prompt === prompt);
}
