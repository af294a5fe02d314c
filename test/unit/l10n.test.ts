import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { l10nStrings } = require('../../../scripts/l10nStrings.js') as { l10nStrings(root: string): string[] };

const root = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

function manifestKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => manifestKeys(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => manifestKeys(v, out));
  return out;
}

suite('localization', () => {
  test('the scanner finds the strings of the sources (it is not vacuous)', () => {
    const strings = l10nStrings(root);
    assert.ok(strings.length > 40, `only ${strings.length} strings found`);
    assert.ok(strings.includes('Set API Key'));
  });

  test('every l10n.t string has a Simplified Chinese translation', () => {
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    const missing = l10nStrings(root).filter((s) => typeof zh[s] !== 'string' || !(zh[s] as string).trim());
    assert.deepEqual(missing, [], 'run `node scripts/l10nStrings.js` to list them');
  });

  test('the Chinese bundle has no entry for a string the sources no longer use', () => {
    const used = new Set(l10nStrings(root));
    assert.deepEqual(
      Object.keys(readJson('l10n/bundle.l10n.zh-cn.json')).filter((k) => !used.has(k)),
      [],
    );
  });

  test('translations keep every {0} placeholder', () => {
    const zh = readJson('l10n/bundle.l10n.zh-cn.json');
    for (const s of l10nStrings(root)) {
      const placeholders = (t: string) => (t.match(/\{\d+\}/g) ?? []).sort().join();
      if (typeof zh[s] === 'string') assert.equal(placeholders(zh[s] as string), placeholders(s), s);
    }
  });

  test('every %key% of package.json exists in English and in Chinese', () => {
    const keys = [...manifestKeys(readJson('package.json'))];
    assert.ok(keys.length > 30);
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.deepEqual(
      keys.filter((k) => typeof en[k] !== 'string'),
      [],
      'missing in package.nls.json',
    );
    assert.deepEqual(
      keys.filter((k) => typeof zh[k] !== 'string'),
      [],
      'missing in package.nls.zh-cn.json',
    );
    assert.deepEqual(
      Object.keys(zh).filter((k) => !(k in en)),
      [],
      'stale keys in package.nls.zh-cn.json',
    );
  });
});
