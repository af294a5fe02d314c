// PRODUCT.md §13 end to end: capabilities checked before sending, streaming partial images, async
// tasks, the balance item and `usage` in history, image-only model lists, against the fixture server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateResult } from '../../src/commands/generate';
import {
  filesIn,
  isPng,
  openDocument,
  readBytes,
  removeAll,
  select,
  setSettings,
  wsUri,
} from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-test-models-0123456789abcdef';
const PROMPT = 'A lighthouse in a storm';
const DOC = 'docs/models/page.md';
const IMAGES = 'docs/models/images';

function fromSelection(arg?: unknown): Thenable<GenerateResult | undefined> {
  return vscode.commands.executeCommand<GenerateResult | undefined>('imageGen.generateFromSelection', arg);
}

suite('Models know what they can do; streaming, tasks, balance (§13)', () => {
  const fx = useFixture({ key: KEY, settings: { maxRetries: 2 }, clean: [IMAGES] });
  const server = fx.server;
  const generations = () =>
    server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/generations');

  async function run(
    arg: Record<string, unknown>,
  ): Promise<{ result: GenerateResult | undefined; text: string }> {
    const editor = await openDocument(DOC, `${PROMPT}\n`);
    select(editor, PROMPT);
    const result = await fromSelection(arg);
    return { result, text: editor.document.getText() };
  }

  async function assertNothingInserted(text: string): Promise<void> {
    assert.equal(text, `${PROMPT}\n`);
    assert.deepEqual(await filesIn(IMAGES), []);
  }

  test('gpt-image-1 streams: stream true, partial_images 2; partials reported; the completed image saved with its usage', async () => {
    server.options.streaming = { gapMs: 30 };
    const { result, text } = await run({ model: 'gpt-image-1', size: '1024x1024', n: 1 });
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const body = generations()[0].json as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.equal(body.partial_images, 2);
    assert.match(String(generations()[0].headers.accept), /text\/event-stream/);
    const files = await filesIn(IMAGES);
    assert.equal(files.length, 1);
    assert.ok(isPng(await readBytes(wsUri(`${IMAGES}/${files[0]}`))));
    assert.match(text, /!\[.*\]\(images\/.*\.png\)/);
    const item = fx.hooks.history.list().find((i) => i.id === result.images[0].historyId);
    assert.equal(item?.usage?.total_tokens, 1068, 'usage kept in history');
  });

  test('a stream cut before completed inserts nothing and is not retried', async () => {
    server.options.streaming = { cut: 'end' };
    const { result, text } = await run({ model: 'gpt-image-1', size: '1024x1024', n: 1 });
    assert.equal(result, undefined);
    await assertNothingInserted(text);
    assert.equal(generations().length, 1, 'not retried');
    await fx.ui.waitForMessage(/Unexpected response/);
  });

  test('a reset stream inserts nothing and is not retried', async () => {
    server.options.streaming = { cut: 'reset', partials: 1 };
    const { result, text } = await run({ model: 'gpt-image-1-mini', size: '1024x1536', n: 1 });
    assert.equal(result, undefined);
    await assertNothingInserted(text);
    assert.equal(generations().length, 1, 'not retried');
    assert.ok(fx.ui.errors.length >= 1, JSON.stringify(fx.ui.shown));
  });

  test("an error event shows the provider's words and inserts nothing", async () => {
    server.options.streaming = { error: true, partials: 1 };
    const { result, text } = await run({ model: 'gpt-image-1.5', size: '1024x1024', n: 1 });
    assert.equal(result, undefined);
    await assertNothingInserted(text);
    await fx.ui.waitForMessage(/rejected by the safety system/);
  });

  test('a server that ignores stream and answers JSON works', async () => {
    server.options.streaming = { ignore: true };
    const { result } = await run({ model: 'gpt-image-1', size: '1024x1024', n: 1 });
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.equal((generations()[0].json as Record<string, unknown>).stream, true);
    assert.equal((await filesIn(IMAGES)).length, 1);
  });

  test('zero partial images: the completed image alone', async () => {
    server.options.streaming = { partials: 0 };
    const { result } = await run({
      model: 'gpt-image-2',
      size: '1536x864',
      n: 1,
      extra: { partial_images: 0 },
    });
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    assert.equal((generations()[0].json as Record<string, unknown>).partial_images, 0);
  });

  test('a size the model cannot make is refused before sending; the nearest one is offered and used', async () => {
    fx.ui.answer({ kind: 'message', action: 'useNearestSize' });
    const { result } = await run({ model: 'dall-e-3', size: '1280x720', n: 1 });
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const warned = fx.ui.messages.find((m) => m.kind === 'warn');
    assert.match(warned?.message ?? '', /dall-e-3 cannot make 1280x720 images.*1792x1024/);
    assert.deepEqual(
      generations().map((r) => (r.json as { size: string }).size),
      ['1792x1024'],
    );
  });

  test('declining the nearest size sends nothing', async () => {
    fx.ui.answer({ kind: 'message' });
    const { result, text } = await run({ model: 'gpt-image-2', size: '1000x1000', n: 1 });
    assert.equal(result, undefined);
    await assertNothingInserted(text);
    assert.equal(generations().length, 0);
    assert.match(fx.ui.messages[0]?.message ?? '', /1008x1008/);
  });

  test('an option value the model does not take is refused; one it does not take at all is dropped visibly', async () => {
    const refused = await run({ model: 'gpt-image-1', size: '1024x1024', n: 1, extra: { quality: 'hd' } });
    assert.equal(refused.result, undefined);
    assert.equal(generations().length, 0);
    await fx.ui.waitForMessage(/does not take quality = hd/);

    server.options.streaming = { ignore: true };
    const dropped = await run({
      model: 'dall-e-3',
      size: '1024x1024',
      n: 1,
      extra: { style: 'natural', background: 'transparent' },
    });
    assert.ok(dropped.result, JSON.stringify(fx.ui.shown));
    const body = generations()[0].json as Record<string, unknown>;
    assert.equal(body.style, 'natural');
    assert.equal(body.background, undefined);
    await fx.ui.waitForMessage(/Adjusted for what dall-e-3 can do: background left out/);
  });

  test('an async task answer is polled to completion', async () => {
    server.options.tasks = { polls: 2 };
    const { result } = await run({ model: 'qh-draw-x2-preview', size: '1024x1024', n: 1 });
    assert.ok(result?.images[0]?.uri, JSON.stringify(fx.ui.shown));
    const polls = server.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/v1/images/generations/'),
    );
    assert.equal(polls.length, 3, 'two running answers, then the result');
    assert.equal(generations().length, 1);
  });

  test('a task at the URL it names; a failed task shows its reason and inserts nothing', async () => {
    server.options.tasks = { polls: 1, style: 'task_id+poll_url' };
    assert.ok((await run({ model: 'qh-draw-x1-pro', size: '1024x1024', n: 1 })).result);
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/tasks/')));

    server.options.tasks = { polls: 0, fail: true };
    await removeAll(IMAGES);
    const failed = await run({ model: 'qh-draw-x1-pro', size: '1024x1024', n: 1 });
    assert.equal(failed.result, undefined);
    await assertNothingInserted(failed.text);
    await fx.ui.waitForMessage(/no capacity/);
  });

  test('a task that never ends times out within the request timeout', async () => {
    await setSettings({ requestTimeoutSeconds: 3 });
    server.options.tasks = { polls: 1000 };
    const { result, text } = await run({ model: 'qh-draw-x1-pro', size: '1024x1024', n: 1 });
    assert.equal(result, undefined);
    await assertNothingInserted(text);
    await fx.ui.waitForMessage(/No answer from .* in 3 s/);
  });

  for (const [shape, shown] of [
    ['openai', '$7.66'],
    ['gateway', '¥42.50'],
    ['wrapped', '¥42.50'],
    ['credits', '$15.00'],
  ] as const) {
    test(`balance in the ${shape} shape shows ${shown}, refreshed after a generation`, async () => {
      server.options.billing = shape;
      assert.ok((await run({ model: 'qh-draw-x2-preview', size: '1024x1024', n: 1 })).result);
      assert.equal(await fx.hooks.balanceShown(), `$(credit-card) ${shown}`);
      const billing = server.requests.filter((r) => r.path.startsWith('/v1/dashboard/billing/'));
      assert.ok(billing.length >= 1);
      assert.ok(billing.every((r) => r.server === 'api' && r.headers.authorization === `Bearer ${KEY}`));
    });
  }

  for (const shape of [404, 401, 'html'] as const) {
    test(`balance answered ${shape}: hidden, the generation unaffected`, async () => {
      server.options.billing = 'openai';
      assert.ok(await fx.hooks.balanceShown());
      server.options.billing = shape;
      const { result } = await run({ model: 'qh-draw-x2-preview', size: '1024x1024', n: 1 });
      assert.ok(result?.images[0]?.uri);
      assert.equal(await fx.hooks.balanceShown(), undefined);
      assert.deepEqual(fx.ui.errors, []);
    });
  }

  test('Show Balance says what is left, or that the provider does not tell', async () => {
    server.options.billing = 'openai';
    await vscode.commands.executeCommand('imageGen.showBalance');
    await fx.ui.waitForMessage(/left \(limit \$20\.00, used \$12\.34\)/);
    server.options.billing = undefined;
    await vscode.commands.executeCommand('imageGen.showBalance');
    await fx.ui.waitForMessage(/does not report a balance/);
  });

  test('a tagged /models lists image models only; unknown ids stay typeable', async () => {
    server.options.taggedModels = true;
    fx.ui.answer({ kind: 'pick', custom: 'my-typed-model' });
    const editor = await openDocument(DOC, `${PROMPT}\n`);
    select(editor, PROMPT);
    await fromSelection({ size: '1024x1024' });
    const pick = fx.ui.shown.find((s) => s.kind === 'pick');
    assert.ok(pick && pick.kind === 'pick', JSON.stringify(fx.ui.shown));
    const labels = pick.labels.join('\n');
    assert.match(labels, /cogview-4/);
    assert.doesNotMatch(labels, /gpt-4o-mini|sd-chat-helper|text-embedding/);
    assert.equal((generations()[0]?.json as { model?: string } | undefined)?.model, 'my-typed-model');
  });
});
