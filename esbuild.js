// Builds the extension (Node, CommonJS: an activation bundle and lazy ones), each webview script
// (browser) and, outside --production, the tests (transpiled file by file into out/). Prints the size of every bundle.
// Also the one place for these options: bench/run.mjs requires transpileOptions from here.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { extensionBuilds } = require('./scripts/extensionBundles.js');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = __dirname;

/** Reports each output's size once a build finishes. */
const sizeReporter = (label) => ({
  name: 'size-reporter',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length) {
        console.error(`[${label}] build failed with ${result.errors.length} error(s)`);
        return;
      }
      for (const [file, info] of Object.entries(result.metafile?.outputs ?? {})) {
        if (file.endsWith('.map')) continue;
        console.log(`[${label}] ${file.padEnd(40)} ${(info.bytes / 1024).toFixed(1).padStart(7)} KB`);
      }
    });
  },
});

function walk(dir, filter) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, filter) : filter(p) ? [p] : [];
  });
}

function copyStatic() {
  const dest = path.join(root, 'dist', 'webviews');
  fs.mkdirSync(path.join(dest, 'codicons'), { recursive: true });
  const codicons = path.join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  for (const f of ['codicon.css', 'codicon.ttf'])
    fs.copyFileSync(path.join(codicons, f), path.join(dest, 'codicons', f));
}

const builds = [
  {
    // The stdio MCP server (PRODUCT.md §12): its own bundle, so the SDK never reaches extension.js.
    label: 'mcp',
    options: {
      entryPoints: ['src/mcp/main.ts'],
      outfile: 'dist/mcp.js',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      alias: { 'whatwg-url': './src/core/whatwgUrlShim.ts' },
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    },
  },
  {
    label: 'webviews',
    options: {
      entryPoints: {
        generator: 'webview-src/generator/main.ts',
        gallery: 'webview-src/gallery/main.ts',
        // Keys are output names without extension: these become generator.style.css and gallery.style.css.
        'generator.style': 'webview-src/generator/style.css',
        'gallery.style': 'webview-src/gallery/style.css',
      },
      outdir: 'dist/webviews',
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    },
  },
];

/** Transpiles TypeScript file by file (no bundle) into out/, keeping the folders: tests, bench. */
function transpileOptions(entryPoints) {
  return {
    absWorkingDir: root,
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: true,
    logLevel: 'warning',
  };
}

if (!production) {
  builds.push({
    label: 'tests',
    quiet: true,
    options: transpileOptions([
      ...walk('src', (p) => p.endsWith('.ts')),
      ...walk('test', (p) => p.endsWith('.ts')),
    ]),
  });
}

async function main() {
  // The extension's own bundles (activation + lazy ones): scripts/extensionBundles.js.
  builds.unshift(...(await extensionBuilds(production)));
  const existing = builds.filter((b) => {
    if (b.virtualEntries) return true;
    const eps = b.options.entryPoints;
    const files = Array.isArray(eps) ? eps : Object.values(eps);
    return files.every((f) => fs.existsSync(path.join(root, f)));
  });
  copyStatic();
  const contexts = await Promise.all(
    existing.map((b) =>
      esbuild.context({
        ...b.options,
        plugins: [...(b.options.plugins ?? []), ...(b.quiet ? [] : [sizeReporter(b.label)])],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] watching for changes');
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

module.exports = { transpileOptions };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
