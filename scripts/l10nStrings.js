// Finds every `l10n.t('…')` string in the extension's sources; shared by `npm run l10n` and the unit test.
const fs = require('node:fs');
const path = require('node:path');

const CALL = /\bl10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/gs;

function unescape(raw) {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_, c) => {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c[0] === 'u') return String.fromCodePoint(parseInt(c.replace(/[u{}]/g, ''), 16));
    if (c[0] === 'x') return String.fromCharCode(parseInt(c.slice(1), 16));
    return c;
  });
}

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every distinct localized string of `src/`, sorted. */
function l10nStrings(root) {
  const found = new Set();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) found.add(unescape(m[2]));
  }
  return [...found].sort();
}

module.exports = { l10nStrings };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const strings = l10nStrings(root);
  const bundle = Object.fromEntries(strings.map((s) => [s, s]));
  fs.writeFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
  const zh = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
  const missing = strings.filter((s) => !(s in zh));
  console.log(`${strings.length} strings; ${missing.length} without Chinese`);
  for (const s of missing) console.log(`  ${JSON.stringify(s)}`);
}
