import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEditInput, parseGenerateInput } from '../../../src/core/agentInput';
import { EDIT_INPUT_SCHEMA, GENERATE_INPUT_SCHEMA } from '../../../src/core/agentSchemas';
import { editBaseName, resolveAgentSource, resolveAgentTarget } from '../../../src/core/agentTarget';

const ROOT = '/home/u/my project';
const WIN = '/c:/Users/张三/site';

suite('core/agentTarget', () => {
  const ok = (root: string, p: string | undefined) => {
    const r = resolveAgentTarget(root, p, 'cat-20260101-120000');
    assert.ok(r.ok, `${p}: ${!r.ok ? r.error : ''}`);
    return r.value;
  };
  const refused = (root: string, p: string) => {
    const r = resolveAgentTarget(root, p, 'x');
    return r.ok ? 'accepted' : r.error;
  };

  test('no path: images/ with the default name', () => {
    assert.deepEqual(ok(ROOT, undefined), { folder: `${ROOT}/images`, baseName: 'cat-20260101-120000' });
  });
  test('a file path keeps its name; the asked extension is remembered', () => {
    assert.deepEqual(ok(ROOT, 'docs/img/hero 1.PNG'), {
      folder: `${ROOT}/docs/img`,
      baseName: 'hero 1',
      requestedExt: 'png',
    });
    assert.deepEqual(ok(WIN, 'docs\\猫.webp'), {
      folder: `${WIN}/docs`,
      baseName: '猫',
      requestedExt: 'webp',
    });
  });
  test('a trailing slash or a name without extension is a folder', () => {
    assert.equal(ok(ROOT, 'assets/').folder, `${ROOT}/assets`);
    assert.equal(ok(ROOT, 'assets/icons').folder, `${ROOT}/assets/icons`);
    assert.equal(ok(ROOT, './').folder, ROOT);
  });
  test('absolute paths inside the workspace are fine, elsewhere refused', () => {
    assert.equal(ok(ROOT, `${ROOT}/a/b.png`).folder, `${ROOT}/a`);
    assert.equal(ok(WIN, 'C:\\Users\\张三\\site\\x.png').folder, `${WIN}`);
    assert.equal(refused(ROOT, '/etc/passwd.png'), 'outside');
    assert.equal(refused(ROOT, '/home/u/my project2/a.png'), 'outside');
    assert.equal(refused(WIN, 'D:\\x.png'), 'outside');
    assert.equal(refused(ROOT, 'file:///etc/x.png'), 'outside');
    assert.equal(refused(ROOT, '~/.ssh/x.png'), 'outside');
  });
  test('.. that stays inside is fine; one that climbs out is refused', () => {
    assert.equal(ok(ROOT, 'a/../b/c.png').folder, `${ROOT}/b`);
    assert.equal(refused(ROOT, '../x.png'), 'escapes');
    assert.equal(refused(ROOT, 'a/../../x.png'), 'escapes');
    assert.equal(refused(WIN, '..\\..\\x.png'), 'escapes');
  });
  test('names that are not images or not file names are refused', () => {
    assert.equal(refused(ROOT, 'src/extension.ts'), 'notImageName');
    assert.equal(refused(ROOT, 'a/b.svg'), 'notImageName');
    assert.equal(refused(ROOT, 'a/b?.png'), 'badName');
    assert.equal(refused(ROOT, 'CON/b.png'), 'badName');
  });
  test('sources must lie strictly inside', () => {
    assert.equal(resolveAgentSource(ROOT, 'img/a.png'), `${ROOT}/img/a.png`);
    assert.equal(resolveAgentSource(ROOT, '../a.png'), undefined);
    assert.equal(resolveAgentSource(ROOT, '/etc/hosts'), undefined);
    assert.equal(resolveAgentSource(ROOT, '.'), undefined);
  });
  test('edit names: <name>-edit-<time>', () => {
    assert.equal(editBaseName(`${ROOT}/img/猫 cat.jpg`, '20260101-120000'), '猫 cat-edit-20260101-120000');
  });
});

suite('core/agentInput', () => {
  test('generate: defaults, trimming, limits', () => {
    assert.deepEqual(parseGenerateInput({ prompt: ' a cat ' }), {
      ok: true,
      value: { prompt: 'a cat', model: undefined, size: undefined, n: 1, path: undefined },
    });
    assert.deepEqual(
      parseGenerateInput({ prompt: 'x', size: '1024X768', n: 2 }).ok &&
        parseGenerateInput({ prompt: 'x', size: '1024X768' }),
      {
        ok: true,
        value: { prompt: 'x', model: undefined, size: '1024x768', n: 1, path: undefined },
      },
    );
    assert.deepEqual(parseGenerateInput({}), { ok: false, error: { problem: 'missing', field: 'prompt' } });
    assert.deepEqual(parseGenerateInput({ prompt: 3 }), {
      ok: false,
      error: { problem: 'notString', field: 'prompt' },
    });
    assert.deepEqual(parseGenerateInput({ prompt: 'x', n: 5 }), {
      ok: false,
      error: { problem: 'badCount', max: 4 },
    });
    assert.deepEqual(parseGenerateInput({ prompt: 'x', size: 'big' }), {
      ok: false,
      error: { problem: 'badSize', size: 'big' },
    });
    assert.deepEqual(parseGenerateInput('x'), { ok: false, error: { problem: 'notObject' } });
  });
  test('edit: image and prompt required, at most 15 references', () => {
    assert.equal(parseEditInput({ image: 'a.png', prompt: 'p', references: ['b.png', ' '] }).ok, true);
    assert.deepEqual(parseEditInput({ prompt: 'p' }), {
      ok: false,
      error: { problem: 'missing', field: 'image' },
    });
    assert.deepEqual(parseEditInput({ image: 'a.png', prompt: 'p', references: [1] }), {
      ok: false,
      error: { problem: 'notString', field: 'references' },
    });
    assert.deepEqual(parseEditInput({ image: 'a.png', prompt: 'p', references: Array(16).fill('b.png') }), {
      ok: false,
      error: { problem: 'tooManyReferences', max: 15 },
    });
  });
  test('package.json declares exactly the schemas the MCP server offers', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: {
        languageModelTools: Array<{
          name: string;
          inputSchema: unknown;
          toolReferenceName: string;
          canBeReferencedInPrompt: boolean;
        }>;
      };
    };
    const tools = Object.fromEntries(pkg.contributes.languageModelTools.map((t) => [t.name, t]));
    assert.deepEqual(tools.imageGen_generate.inputSchema, GENERATE_INPUT_SCHEMA);
    assert.deepEqual(tools.imageGen_edit.inputSchema, EDIT_INPUT_SCHEMA);
    assert.equal(tools.imageGen_generate.toolReferenceName, 'generateImage');
    assert.equal(tools.imageGen_edit.toolReferenceName, 'editImage');
    assert.ok(tools.imageGen_generate.canBeReferencedInPrompt && tools.imageGen_edit.canBeReferencedInPrompt);
  });
});
