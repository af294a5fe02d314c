// Reads the file list of a .vsix (a zip) from its central directory, and checks that the package
// holds no sources, tests or source maps. No dependency: a zip's directory is a simple table.
import fs from 'node:fs';

const EOCD_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;

/**
 * @param {string} file
 * @returns {{ name: string, size: number, compressed: number }[]}
 */
export function listVsix(file) {
  const zip = fs.readFileSync(file);
  // The end-of-central-directory record is in the last 22 + 65535 bytes (after an optional comment).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== ENTRY_SIGNATURE) throw new Error(`${file}: broken central directory`);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, size, compressed });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// What must never ship: TypeScript sources, tests, source maps, build inputs and local state.
const FORBIDDEN = [
  [/\.map$/, 'source map'],
  [/(?<!\.d)\.ts$/, 'TypeScript source'],
  [
    /^extension\/(src|test|out|webview-src|bench|scripts|node_modules|\.cache|test-results|\.vscode|\.ci)\//,
    'source, test or build folder',
  ],
  [
    /^extension\/(tsconfig\.json|esbuild\.js|eslint\.config\.mjs|\.vscode-test\.mjs|package-lock\.json|\.prettierrc)$/,
    'build configuration',
  ],
];

/** Entries that should not be in the package, each with the reason. */
export function forbiddenEntries(entries) {
  return entries.flatMap((e) => {
    const hit = FORBIDDEN.find(([re]) => re.test(e.name));
    return hit ? [{ name: e.name, why: hit[1] }] : [];
  });
}
