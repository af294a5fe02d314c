import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IllustrateResult } from '../../src/app/illustrate';
import { ImageServer } from '../fixtures/imageServer';
import {
  closeAllEditors,
  filesIn,
  openDocument,
  removeAll,
  setSettings,
  testHooks,
  waitFor,
} from './support/env';
import { useFixture } from './support/fixture';

const KEY = 'sk-test-illustrate-0123456789abcdef';
const MODEL = 'qh-draw-x2-preview';
const SIZE = '1280x720';
const DOC = 'docs/article.md';

const NAMES = ['One', 'Two', 'Three', 'Four', 'Five'];
/** A title, an introduction and five `##` sections, each with a paragraph. */
const ARTICLE = [
  '# Field notes',
  '',
  'A week of walking.',
  '',
  ...NAMES.flatMap((name) => [`## Section ${name}`, '', `The ${name.toLowerCase()} day by the sea.`, '']),
].join('\n');

function illustrate(arg?: unknown): Thenable<IllustrateResult | undefined> {
  return vscode.commands.executeCommand<IllustrateResult | undefined>('imageGen.illustrateDocument', arg);
}

/** The `## Section X` lines of the text, 0-based. */
function headingLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (line.startsWith('## Section ') ? [i] : []));
}

/** The line after a heading's blank line: where its image must be. */
function lineUnder(text: string, heading: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(heading);
  assert.ok(i >= 0, `${heading} is gone`);
  assert.equal(lines[i + 1], '', `a blank line under ${heading}`);
  return lines[i + 2];
}

function prompts(server: ImageServer): string[] {
  return server.requests
    .filter((r) => r.path === '/v1/images/generations')
    .map((r) => (r.json as { prompt: string }).prompt);
}

suite('Illustrate Document', () => {
  const fx = useFixture({
    key: KEY,
    clean: ['docs/images'],
    // A test that failed mid-batch must not leave its generations running into the next one.
    beforeClose: () => {
      fx.hooks.cancelAll();
      server.release();
    },
  });
  const { server } = fx;

  test('five sections: five requests, never more than 4 at once, each image under its heading, the style in every prompt', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    server.hold();
    fx.ui.answer({ kind: 'pick' }); // the list's first item: Generate
    const running = illustrate({ model: MODEL, size: SIZE, style: 'watercolor, soft light' });
    await waitFor(() => server.inFlight === 4, '4 requests in flight', 60_000);
    // Held answers: a fifth request would have to be sent now if the limit were not kept.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(prompts(server).length, 4);
    // Each section in flight is marked under its heading (a decoration: the text is untouched).
    const marks = (await testHooks()).placeholders(editor.document.uri);
    assert.equal(marks.length, 4, JSON.stringify(marks));
    for (const m of marks) assert.match(editor.document.lineAt(m.line - 1).text, /^## Section /);
    assert.equal(editor.document.getText(), ARTICLE);
    server.release();
    const result = await running;
    assert.deepEqual((await testHooks()).placeholders(), []);

    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.equal(server.maxInFlight, 4);
    const sent = prompts(server);
    assert.equal(sent.length, 5);
    for (const p of sent) assert.ok(p.endsWith(', watercolor, soft light'), p);
    assert.deepEqual(
      [...sent].sort(),
      NAMES.map((n) => `Section ${n}: The ${n.toLowerCase()} day by the sea, watercolor, soft light`).sort(),
    );
    const list = fx.ui.questions[0];
    assert.ok(list.kind === 'pick');
    assert.deepEqual(
      list.labels.filter((l) => l.startsWith('$(edit)')),
      NAMES.map((n) => `$(edit) Section ${n}`),
    );
    assert.equal(fx.ui.questions.length, 1, 'model and size given: only the list was shown');

    assert.equal(result.sections.length, 5);
    assert.equal((await filesIn('docs/images')).length, 5);
    const text = editor.document.getText();
    result.sections.forEach((s, i) => {
      assert.equal(s.heading, `Section ${NAMES[i]}`);
      assert.equal(s.images.length, 1);
      const markdown = s.images[0].markdown;
      assert.ok(markdown?.startsWith(`![Section ${NAMES[i]}](images/`), markdown);
      assert.equal(lineUnder(text, `## Section ${NAMES[i]}`), markdown);
      assert.equal(
        text.split('\n')[s.line],
        `## Section ${NAMES[i]}`,
        'result lines are where the headings are now',
      );
    });
    // The paragraphs stay separate paragraphs below the images.
    assert.ok(text.includes(`${result.sections[0].images[0].markdown}\n\nThe one day by the sea.`));
    assert.deepEqual(fx.ui.errors, []);
  });

  test('a 500 on one section leaves it untouched, the others illustrated, and Retry failed finishes it', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    server.answerWhen((json) => (json as { prompt: string }).prompt.startsWith('Section Three'), {
      status: 500,
      times: 1,
    });
    const lines = headingLines(ARTICLE);
    const sections = NAMES.map((n, i) => ({ line: lines[i], prompt: `A picture of day ${n}` }));
    fx.ui.answer({ kind: 'message', action: 'retryFailed' });
    const result = await illustrate({
      model: MODEL,
      size: SIZE,
      style: '',
      sections: sections.map((s, i) => (i === 2 ? { ...s, prompt: 'Section Three picture' } : s)),
    });

    assert.ok(result);
    assert.deepEqual(
      result.sections.map((s) => s.images.length),
      [1, 1, 0, 1, 1],
    );
    assert.match(result.sections[2].error ?? '', /unavailable/);
    const failure = await fx.ui.waitForMessage(/1 of 5 sections were not illustrated/);
    assert.equal(failure.kind, 'error');
    assert.match(failure.message, /“Section Three”/);
    assert.deepEqual(failure.actions, ['Retry failed']);

    // The retry ran (answered by the script above): now every section has its image.
    await waitFor(
      () => (editor.document.getText().match(/!\[/g) ?? []).length === 5,
      'the retried image',
      60_000,
    );
    const text = editor.document.getText();
    for (const n of NAMES) assert.match(lineUnder(text, `## Section ${n}`), /^!\[/);
    assert.equal(prompts(server).filter((p) => p === 'Section Three picture').length, 2);
    assert.equal((await filesIn('docs/images')).length, 5);
  });

  test('a failed section is left exactly as it was', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    server.answerWhen((json) => (json as { prompt: string }).prompt.includes('Three'), { status: 500 });
    const lines = headingLines(ARTICLE);
    const result = await illustrate({
      model: MODEL,
      size: SIZE,
      sections: NAMES.map((n, i) => ({ line: lines[i], prompt: `Day ${n}` })),
    });
    assert.ok(result);
    const text = editor.document.getText();
    assert.ok(
      text.includes('## Section Three\n\nThe three day by the sea.\n\n## Section Four\n\n![Section Four'),
      text,
    );
    assert.equal((text.match(/!\[/g) ?? []).length, 4);
    assert.equal((await filesIn('docs/images')).length, 4);
  });

  test('typing above the sections while they generate misplaces no image; nothing asks with sections, model and size', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    const lines = headingLines(ARTICLE);
    server.hold();
    const running = illustrate({
      model: MODEL,
      size: SIZE,
      style: 'ink sketch',
      sections: NAMES.map((n, i) => ({ line: lines[i], prompt: `Day ${n}` })),
    });
    await waitFor(() => server.inFlight === 4, '4 requests in flight', 60_000);
    await editor.edit((b) => {
      b.insert(new vscode.Position(0, 0), 'Draft — do not publish.\n\n');
      b.insert(new vscode.Position(lines[0] + 2, 0), 'A new first sentence.\n');
      b.insert(new vscode.Position(lines[3] - 1, 0), '\nLate addition to section three.\n');
    });
    server.release();
    const result = await running;

    assert.ok(result);
    assert.deepEqual(fx.ui.questions, [], 'nothing was asked');
    const text = editor.document.getText();
    assert.ok(text.startsWith('Draft — do not publish.\n\n# Field notes\n'), text);
    result.sections.forEach((s, i) => {
      assert.equal(s.prompt, `Day ${NAMES[i]}, ink sketch`);
      assert.equal(lineUnder(text, `## Section ${NAMES[i]}`), s.images[0].markdown);
      assert.equal(text.split('\n')[s.line], `## Section ${NAMES[i]}`);
    });
    assert.ok(text.includes('A new first sentence.\nThe one day by the sea.'), text);
    assert.ok(text.includes('Late addition to section three.\n\n## Section Four'), text);
  });

  test('cancel mid-batch keeps the finished images and leaves the rest untouched', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    const hooks = await testHooks();
    server.answerWhen((json) => !/^Day (One|Two)$/.test((json as { prompt: string }).prompt), { hang: true });
    const lines = headingLines(ARTICLE);
    const running = illustrate({
      model: MODEL,
      size: SIZE,
      sections: NAMES.map((n, i) => ({ line: lines[i], prompt: `Day ${n}` })),
    });
    await waitFor(
      () => (editor.document.getText().match(/!\[/g) ?? []).length === 2,
      'two finished images',
      60_000,
    );
    await waitFor(() => server.inFlight === 3, 'the other three waiting', 60_000);
    hooks.cancelAll();
    const result = await running;

    assert.ok(result);
    assert.equal(result.cancelled, true);
    assert.deepEqual(
      result.sections.map((s) => s.images.length),
      [1, 1, 0, 0, 0],
    );
    assert.deepEqual(
      result.sections.slice(2).map((s) => s.error),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    const text = editor.document.getText();
    assert.match(lineUnder(text, '## Section One'), /^!\[Section One\]/);
    assert.match(lineUnder(text, '## Section Two'), /^!\[Section Two\]/);
    for (const n of ['Three', 'Four', 'Five'])
      assert.equal(lineUnder(text, `## Section ${n}`), `The ${n.toLowerCase()} day by the sea.`);
    assert.equal((await filesIn('docs/images')).length, 2);
    assert.deepEqual(fx.ui.errors, [], 'a cancel is not an error');
  });

  test('first image as reference: one generation, then edits that carry its bytes; a model that cannot edit generates them all', async () => {
    const editor = await openDocument(DOC, ARTICLE);
    const lines = headingLines(ARTICLE);
    const sections = NAMES.slice(0, 3).map((n, i) => ({ line: lines[i], prompt: `Day ${n}` }));
    const result = await illustrate({
      model: 'gpt-image-1',
      size: '1024x1024',
      style: 'linocut',
      sections,
      reference: true,
    });

    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.deepEqual(fx.ui.questions, [], 'nothing was asked');
    const paths = server.requests.map((r) => r.path).filter((p) => p.startsWith('/v1/images/'));
    assert.deepEqual(
      paths,
      ['/v1/images/generations', '/v1/images/edits', '/v1/images/edits'],
      'the first image comes first, alone',
    );
    const first = result.sections[0].images[0];
    assert.ok(first.uri, JSON.stringify(first));
    const firstBytes = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(first.uri)));
    const edits = server.requests.filter((r) => r.path === '/v1/images/edits');
    // The two edits run at once: they may reach the server in either order.
    const fieldOf = (edit: (typeof edits)[number], name: string) =>
      edit.form?.parts.find((p) => p.name === name)?.data.toString('utf8');
    assert.deepEqual(
      edits.map((edit) => fieldOf(edit, 'prompt')).sort(),
      NAMES.slice(1, 3)
        .map((n) => `Day ${n}, linocut`)
        .sort(),
    );
    for (const edit of edits) {
      const field = (name: string) => fieldOf(edit, name);
      assert.equal(field('model'), 'gpt-image-1');
      const images = edit.form?.parts.filter((p) => p.name === 'image') ?? [];
      assert.equal(images.length, 1);
      assert.ok(images[0].data.equals(firstBytes), 'the reference is the first image, byte for byte');
    }
    const text = editor.document.getText();
    result.sections.forEach((s, i) =>
      assert.equal(lineUnder(text, `## Section ${NAMES[i]}`), s.images[0].markdown),
    );
    assert.equal((await filesIn('docs/images')).length, 3);

    // The same request for a model without edits: every image from its own prompt.
    server.reset();
    await closeAllEditors();
    await removeAll('docs/images');
    await openDocument(DOC, ARTICLE);
    const plain = await illustrate({ model: MODEL, size: SIZE, sections, reference: true });
    assert.equal(plain?.sections.filter((s) => s.images.length === 1).length, 3);
    assert.equal(prompts(server).length, 3);
    assert.equal(server.requests.filter((r) => r.path === '/v1/images/edits').length, 0);
  });

  test('Chinese article: the list edits, drops and styles; prompts are drafted in Chinese', async () => {
    const zh = [
      '# 春日游记',
      '',
      '三月的杭州。',
      '',
      '## 第一章：西湖晨光',
      '',
      '清晨的西湖笼罩在薄雾中。',
      '',
      '## 灵隐寺',
      '',
      '古寺的钟声。',
      '',
      '龙井茶园',
      '--------',
      '',
      '山坡上的茶园。',
      '',
    ].join('\n');
    const editor = await openDocument(DOC, zh);
    fx.ui.answer(
      { kind: 'pick', label: '$(edit) 灵隐寺' },
      { kind: 'input', value: '' }, // dropped
      { kind: 'pick', label: '$(symbol-color) Style for every image…' },
      { kind: 'input', value: '水彩画' },
      { kind: 'pick', label: '$(edit) 龙井茶园' },
      { kind: 'input', value: '春天山坡上的龙井茶园，采茶人' },
      { kind: 'pick' },
    );
    const result = await illustrate({ model: MODEL, size: SIZE, cover: true });
    assert.ok(result, JSON.stringify(fx.ui.shown));
    assert.deepEqual(
      result.sections.map((s) => [s.heading, s.prompt]),
      [
        ['春日游记', '春日游记：三月的杭州，水彩画'],
        ['第一章：西湖晨光', '西湖晨光：清晨的西湖笼罩在薄雾中，水彩画'],
        ['龙井茶园', '春天山坡上的龙井茶园，采茶人，水彩画'],
      ],
    );
    assert.deepEqual([...prompts(server)].sort(), result.sections.map((s) => s.prompt).sort());
    const text = editor.document.getText();
    assert.match(lineUnder(text, '# 春日游记'), /^!\[春日游记/);
    assert.match(lineUnder(text, '## 第一章：西湖晨光'), /^!\[第一章：西湖晨光\]/);
    assert.equal(lineUnder(text, '## 灵隐寺'), '古寺的钟声。');
    // A setext heading: the image goes below its underline.
    assert.ok(text.includes('龙井茶园\n--------\n\n![龙井茶园](images/'), text);
  });

  test('with retries that may cost, the batch asks once: declined sends nothing, accepted sends every section', async () => {
    await setSettings({ maxRetries: 3 });
    const sections = [4, 8, 12].map((line) => ({ line, prompt: `section at ${line}` }));
    const editor = await openDocument(DOC, ARTICLE);
    fx.ui.answer({ kind: 'confirm', yes: false });
    const declined = await illustrate({ model: MODEL, size: SIZE, sections });
    assert.equal(fx.ui.questions.filter((q) => q.kind === 'confirm').length, 1);
    assert.match(fx.ui.questions[0].kind === 'confirm' ? fx.ui.questions[0].message : '', /maxRetries is 3/);
    assert.ok(declined?.cancelled);
    assert.equal(prompts(server).length, 0);
    assert.equal(editor.document.getText(), ARTICLE);

    fx.ui.reset();
    fx.ui.answer({ kind: 'confirm', yes: true });
    const accepted = await illustrate({ model: MODEL, size: SIZE, sections });
    assert.equal(fx.ui.questions.filter((q) => q.kind === 'confirm').length, 1, 'asked once for 3 sections');
    assert.equal(prompts(server).length, 3);
    assert.ok(
      accepted?.sections.every((s) => s.images.length === 1),
      JSON.stringify(accepted),
    );
  });

  test('an argument of the wrong type is refused and nothing is sent', async () => {
    await openDocument(DOC, ARTICLE);
    const result = await illustrate({ sections: [{ line: 'four', prompt: 'x' }] });
    assert.equal(result, undefined);
    assert.match(fx.ui.errors[0] ?? '', /"sections"/);
    assert.equal(prompts(server).length, 0);
  });
});
