// The language-model tools as an agent calls them: vscode.lm.invokeTool, no chat model needed,
// against the fixture server, asserting on files on disk and on the parts of the result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { imageTools } from '../../src/agents/lmTools';
import type { AgentImages } from '../../src/app/agentImages';
import { ConfigurationReader } from '../../src/services/configuration';
import { renderImage } from '../fixtures/png';
import {
  exists,
  filesIn,
  isPng,
  readBytes,
  resetSettings,
  setSettings,
  testHooks,
  wsUri,
} from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-test-agents-0123456789abcdef';

function invoke(name: string, input: object, token?: vscode.CancellationToken) {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
}

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content
    .filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart)
    .map((p) => p.value)
    .join('\n');
}

/** LanguageModelDataPart parts (API of VS Code ≥ 1.106, present in the test host). */
function dataParts(result: vscode.LanguageModelToolResult): Array<{ mimeType: string; data: Uint8Array }> {
  return result.content.filter(
    (p): p is { mimeType: string; data: Uint8Array } =>
      typeof p === 'object' && p !== null && 'mimeType' in p && 'data' in p,
  );
}

suite('Agents: language-model tools', () => {
  const fx = useFixture({ key: KEY, settings: { defaultSize: '256x256' }, clean: ['images', 'agent'] });
  const { server } = fx;

  test('both tools are registered with their tags and schemas', async () => {
    await testHooks();
    const tools = vscode.lm.tools.filter((t) => t.name.startsWith('imageGen_'));
    assert.deepEqual(tools.map((t) => t.name).sort(), ['imageGen_edit', 'imageGen_generate']);
    const generate = tools.find((t) => t.name === 'imageGen_generate');
    assert.deepEqual((generate?.inputSchema as { required?: string[] }).required, ['prompt']);
  });

  test('imageGen_generate saves under images/ and returns path, Markdown link and the image', async () => {
    const result = await invoke('imageGen_generate', { prompt: 'A lighthouse at dusk' });
    const text = textOf(result);
    const files = await filesIn('images');
    assert.equal(files.length, 1, text);
    assert.match(files[0], /^a-lighthouse-at-dusk-\d{8}-\d{6}\.png$/);
    const bytes = await readBytes(wsUri(`images/${files[0]}`));
    assert.ok(isPng(bytes));
    assert.ok(text.includes(`images/${files[0]}`), text);
    assert.ok(text.includes(`![A lighthouse at dusk](images/${files[0]})`), text);
    const data = dataParts(result);
    assert.equal(data.length, 1);
    assert.equal(data[0].mimeType, 'image/png');
    assert.deepEqual(Buffer.from(data[0].data), Buffer.from(bytes));
    const gen = server.requests.filter((r) => r.path === '/v1/images/generations');
    assert.deepEqual(gen[0].json, {
      prompt: 'A lighthouse at dusk',
      model: 'qh-draw-x2-preview',
      size: '256x256',
      n: 1,
    });
    assert.equal(gen[0].headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(fx.ui.questions, [], 'an agent call asks the user nothing');
    const hooks = await testHooks();
    assert.ok(hooks.history.list().some((i) => i.savedUris.includes(wsUri(`images/${files[0]}`).toString())));
  });

  test('a named file is used; asked again, it is never overwritten and the result says why', async () => {
    const first = await invoke('imageGen_generate', {
      prompt: 'fox',
      path: 'agent/art/hero.png',
      size: '64x64',
    });
    assert.ok(textOf(first).includes('agent/art/hero.png'), textOf(first));
    const before = await readBytes(wsUri('agent/art/hero.png'));
    const second = await invoke('imageGen_generate', {
      prompt: 'another fox',
      path: 'agent/art/hero.png',
      n: 2,
    });
    assert.deepEqual(await filesIn('agent/art'), ['hero-1.png', 'hero-2.png', 'hero.png']);
    assert.deepEqual(Buffer.from(await readBytes(wsUri('agent/art/hero.png'))), Buffer.from(before));
    assert.match(textOf(second), /agent\/art\/hero\.png.*agent\/art\/hero-1\.png/);
  });

  test('hostile paths are refused with the reason; nothing is sent or written', async () => {
    for (const [path, reason] of [
      ['../../outside.png', /climbs out of the workspace/],
      ['/etc/outside.png', /outside the workspace/],
      ['agent/notes.md', /\.png, \.jpg/],
    ] as const) {
      const result = await invoke('imageGen_generate', { prompt: 'x', path });
      assert.match(textOf(result), reason, path);
    }
    assert.deepEqual(server.requests, []);
    assert.deepEqual(await filesIn('agent'), []);
  });

  test('bad input is answered, not thrown', async () => {
    const result = await invoke('imageGen_generate', { prompt: 'x', n: 9 });
    assert.match(textOf(result), /"n" must be an integer from 1 to 4/);
    assert.deepEqual(server.requests, []);
  });

  test('cancellation aborts the request: the server sees it go, nothing is saved', async () => {
    server.enqueue('generate', { hang: true });
    const cts = new vscode.CancellationTokenSource();
    const pending = invoke('imageGen_generate', { prompt: 'never finished' }, cts.token);
    const request = await server.waitForRequest((r) => r.path === '/v1/images/generations');
    cts.cancel();
    await assert.rejects(Promise.resolve(pending), (e: Error) => /cancel/i.test(`${e.name} ${e.message}`));
    for (let i = 0; i < 100 && !request.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(request.aborted, true);
    assert.deepEqual(await filesIn('images'), []);
  });

  test('no key: the result says how to set one, and nobody is asked', async () => {
    const hooks = await testHooks();
    await hooks.keys.delete(new URL(server.baseUrl).origin);
    const result = await invoke('imageGen_generate', { prompt: 'x' });
    assert.match(textOf(result), /No API key is set for 127\.0\.0\.1:\d+.*Set API Key/);
    assert.deepEqual(fx.ui.questions, []);
    assert.deepEqual(server.requests, []);
  });

  test('imageGen_edit sends the image as multipart and writes <name>-edit-<time>.png beside it', async () => {
    const source = renderImage({ prompt: 'src', width: 64, height: 64, index: 0 });
    const mask = renderImage({ prompt: 'mask', width: 64, height: 64, index: 0 });
    await vscode.workspace.fs.writeFile(wsUri('agent/cat.png'), source);
    await vscode.workspace.fs.writeFile(wsUri('agent/mask.png'), mask);
    const result = await invoke('imageGen_edit', {
      image: 'agent/cat.png',
      mask: 'agent/mask.png',
      prompt: '加一顶帽子',
    });
    const made = (await filesIn('agent')).filter((f) => /^cat-edit-\d{8}-\d{6}\.png$/.test(f));
    assert.equal(made.length, 1, textOf(result));
    assert.ok(textOf(result).includes(`agent/${made[0]}`));
    assert.equal(dataParts(result).length, 1);
    assert.deepEqual(
      Buffer.from(await readBytes(wsUri('agent/cat.png'))),
      source,
      'the source is never modified',
    );
    const form = server.requests.find((r) => r.path === '/v1/images/edits')?.form;
    assert.deepEqual(
      form?.parts.map((p) => p.name),
      ['prompt', 'model', 'n', 'image', 'mask'],
    );
    assert.ok(form?.parts.find((p) => p.name === 'mask')?.data.equals(mask));
  });

  test('imageGen_edit: a provider that cannot edit says so in its own words; sources outside are refused', async () => {
    await vscode.workspace.fs.writeFile(
      wsUri('agent/cat.png'),
      renderImage({ prompt: 's', width: 32, height: 32, index: 0 }),
    );
    const refused = await invoke('imageGen_edit', { image: 'agent/cat.png', prompt: 'x', model: 'dall-e-3' });
    assert.match(textOf(refused), /does not support edits: .*does not support image edits/);
    const outside = await invoke('imageGen_edit', { image: '../../../etc/hosts', prompt: 'x' });
    assert.match(textOf(outside), /only images inside the workspace folder/);
    assert.equal(server.requests.filter((r) => r.path === '/v1/images/edits').length, 1);
    assert.equal(await exists(wsUri('agent/cat-edit.png')), false);
  });
});

suite('Agents: confirmations', () => {
  const config = new ConfigurationReader();
  suiteTeardown(() => config.dispose());
  // Only the confirmations are looked at: nothing runs, so nothing has a reason to say.
  const tools = imageTools({
    agent: {} as AgentImages,
    config,
    presenter: { reason: () => undefined },
    runner: { track: (work) => work(new AbortController().signal) },
  });
  const token = new vscode.CancellationTokenSource().token;

  async function confirmationOf(tool: vscode.LanguageModelTool<unknown>, input: object): Promise<string> {
    const prepared = await tool.prepareInvocation?.({ input }, token);
    const message = prepared?.confirmationMessages?.message;
    assert.ok(message, 'a confirmation is asked for');
    // MarkdownString.appendText escapes Markdown and writes blanks as &nbsp;.
    return (typeof message === 'string' ? message : message.value).replace(/&nbsp;/g, ' ');
  }

  test('generate shows prompt, model, size, n and where it saves', async () => {
    await resetSettings();
    await setSettings({ defaultModel: 'dall-e-3', defaultSize: '1792x1024' });
    const text = await confirmationOf(tools.generate, {
      prompt: 'A *bold* fox [link](x)',
      n: 3,
      path: 'docs/',
    });
    assert.match(
      text,
      /A \\\*bold\\\* fox \\\[link\\\]\\\(x\\\)/,
      'the prompt is shown as text, not Markdown',
    );
    for (const part of ['dall-e-3', '1792x1024', '3', 'docs/'])
      assert.ok(text.includes(part), `${part} in ${text}`);
    assert.ok(
      await tools.generate.prepareInvocation?.(
        { input: { prompt: 'x', size: '1024x768', model: 'm1' } },
        token,
      ),
    );
    const explicit = await confirmationOf(tools.generate, { prompt: 'x', size: '1024x768', model: 'm1' });
    assert.ok(
      explicit.includes('m1') && explicit.includes('1024x768') && explicit.includes('images/'),
      explicit,
    );
    await resetSettings();
  });

  test('edit shows the image, prompt, model, size, mask and references', async () => {
    const text = await confirmationOf(tools.edit, {
      image: 'art/cat.png',
      prompt: 'add a hat',
      mask: 'art/mask.png',
      references: ['a.png', 'b.png'],
      model: 'gpt-image-1',
      size: '1024x1024',
    });
    for (const part of [
      'art/cat.png',
      'add a hat',
      'art/mask.png',
      'a.png, b.png',
      'gpt-image-1',
      '1024x1024',
    ])
      assert.ok(text.includes(part), `${part} in ${text}`);
  });
});
