import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS, RESTRICTED, SETTINGS, readSettings, settingsCommandFor } from '../../../src/core/settings';

interface Declared {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

// Compiled to out/test/unit/core/: the repository root is four levels up.
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8'));
const declared: Record<string, Declared> = Object.assign(
  {},
  ...[manifest.contributes.configuration].flat().map((c: { properties: object }) => c.properties),
);

suite('core/settings: package.json and the code agree', () => {
  test('every setting the code reads is declared, with the same default, range and choices', () => {
    for (const [field, s] of Object.entries(SETTINGS)) {
      const d = declared[`imageGen.${s.key}`];
      assert.ok(d, `imageGen.${s.key} (${field}) is not in package.json`);
      assert.deepEqual(d.default, s.default, `default of imageGen.${s.key}`);
      if (s.rule.kind === 'int') {
        assert.equal(d.minimum, s.rule.min, `minimum of imageGen.${s.key}`);
        assert.equal(d.maximum, s.rule.max, `maximum of imageGen.${s.key}`);
      }
      if (s.rule.kind === 'choice') assert.deepEqual(d.enum, s.rule.choices, `choices of imageGen.${s.key}`);
    }
  });
  test('every declared setting is read by the code', () => {
    const read = new Set(Object.values(SETTINGS).map((s) => `imageGen.${s.key}`));
    assert.deepEqual(
      Object.keys(declared).filter((k) => !read.has(k)),
      [],
    );
  });
  test('the settings restricted in untrusted workspaces are the ones package.json restricts', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), [...RESTRICTED].map((k) => `imageGen.${k}`).sort());
  });
});

suite('core/settings: reading', () => {
  test('nothing set gives the defaults', () => {
    assert.deepEqual(
      readSettings(() => undefined),
      DEFAULTS,
    );
  });
  test('values out of range are clamped, unknown choices and blank strings fall back, objects are copied', () => {
    const extra = { quality: 'high' };
    const raw: Record<string, unknown> = {
      count: 99,
      maxRetries: -3,
      'history.maxItems': 12.6,
      insertAs: 'clipboard',
      baseUrl: '  https://example.test/v1  ',
      defaultModel: '   ',
      extraParameters: extra,
      'illustrate.headingLevel': '3',
    };
    const c = readSettings((k) => raw[k]);
    assert.equal(c.count, 10);
    assert.equal(c.maxRetries, 0);
    assert.equal(c.historyMaxItems, 13);
    assert.equal(c.insertAs, 'file');
    assert.equal(c.baseUrl, 'https://example.test/v1');
    assert.equal(c.defaultModel, DEFAULTS.defaultModel);
    assert.deepEqual(c.extraParameters, extra);
    assert.notEqual(c.extraParameters, extra);
    assert.equal(c.illustrateHeadingLevel, 2, 'a string is not a number');
    assert.deepEqual(readSettings((k) => (k === 'extraParameters' ? [1] : undefined)).extraParameters, {});
  });

  test('Open Settings opens the tab whose value wins: Workspace when the workspace sets it', () => {
    assert.equal(
      settingsCommandFor({ workspaceValue: 'http://127.0.0.1:9/v1' }),
      'workbench.action.openWorkspaceSettings',
    );
    assert.equal(settingsCommandFor({ workspaceFolderValue: 'x' }), 'workbench.action.openWorkspaceSettings');
    assert.equal(settingsCommandFor({}), 'workbench.action.openSettings');
    assert.equal(settingsCommandFor(undefined), 'workbench.action.openSettings');
  });
});
