// The extension's bundles (used by esbuild.js and by test/unit/productionBuild.test.ts).
//
// dist/extension.js is what activation loads, so every Markdown user pays for it: it holds the
// history, settings, keys, log and the registrations only. The rest are CommonJS bundles in
// dist/lazy/ that src/extension.ts require()s on first use and hands its live instances:
// - lazy/engine.js: everything a paid request needs (catalog, client, runner, saving, inserting);
// - lazy/<feature>.js (webviews, illustrate, edit, agents): handed the engine's instances, and they
//   take the source modules the engine already holds from it at run time instead of a copy of
//   their own (`fromEngine`), so no code and no module state exist twice among the lazy bundles.
// Why not esbuild's code splitting: it needs ESM output, which VS Code loads only from 1.100 on and
// only in the Node extension host, and esbuild's ESM output cannot require() Node's built-ins from
// bundled CommonJS (node-fetch) without a shim; CommonJS require() is also synchronous, so the
// registrations hand over to a bundle without turning sync provider calls into async ones.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const LAZY_FEATURES = ['webviews', 'illustrate', 'edit', 'agents'];
const LAZY_BUNDLES = ['engine', ...LAZY_FEATURES];
const ENGINE_ENTRY = 'image-gen:engine-entry';

function nodeOptions(isProduction) {
  return {
    absWorkingDir: root,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    alias: { 'whatwg-url': './src/core/whatwgUrlShim.ts' },
    define: isProduction ? require('./productionDefines.js') : {},
    minify: isProduction,
    sourcemap: !isProduction,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  };
}

/** The source modules (repository-relative) the engine bundle is made of. */
async function engineModules(isProduction) {
  const result = await esbuild.build({
    ...nodeOptions(isProduction),
    entryPoints: ['src/bundles/engine.ts'],
    write: false,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .filter((f) => f.startsWith('src/') && f !== 'src/bundles/engine.ts')
    .sort();
}

/** `require('./lazy/<name>.js')` in src/extension.ts stays a call, resolved beside dist/extension.js. */
const lazyBundlesExternal = {
  name: 'lazy-bundles-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/lazy\/[a-z]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The engine's entry: src/bundles/engine.ts plus every module it holds, whole, for the features. */
function engineEntry(shared) {
  return {
    name: 'engine-entry',
    setup(build) {
      build.onResolve({ filter: /^image-gen:engine-entry$/ }, () => ({
        path: ENGINE_ENTRY,
        namespace: 'engine',
      }));
      build.onLoad({ filter: /.*/, namespace: 'engine' }, () => ({
        contents: [
          "export * from './src/bundles/engine';",
          ...shared.map((f, i) => `import * as m${i} from './${f}';`),
          `export const shared = { ${shared.map((f, i) => `${JSON.stringify(f)}: m${i}`).join(', ')} };`,
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      }));
    },
  };
}

/**
 * The names a source module exports (esbuild's own reading of it), or undefined when it has an
 * `export *` (names esbuild cannot list without bundling).
 */
async function exportNames(file) {
  const source = fs.readFileSync(path.join(root, file), 'utf8');
  if (/^export \*/m.test(source)) return undefined;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [file],
    bundle: false,
    format: 'esm',
    platform: 'node',
    outdir: 'dist',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs)[0].exports;
}

/**
 * In a feature bundle, a module the engine holds is the engine's (dist/lazy/engine.js), not a copy.
 * Taken on first access to one of its exports, not when the feature bundle loads: a feature can
 * then show something (the gallery's first screen) before the engine is needed.
 */
function fromEngine(shared) {
  const held = new Set(shared);
  return {
    name: 'from-engine',
    setup(build) {
      build.onResolve({ filter: /^\.\/engine\.js$/, namespace: 'engine-module' }, (args) => ({
        path: args.path,
        external: true,
      }));
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === 'from-engine') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'from-engine',
        });
        const file = path.relative(root, resolved.path).split(path.sep).join('/');
        return held.has(file) ? { path: file, namespace: 'engine-module' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'engine-module' }, async (args) => {
        const engineModule = `require('./engine.js').shared[${JSON.stringify(args.path)}]`;
        const names = await exportNames(args.path);
        if (!names) return { contents: `module.exports = ${engineModule};`, loader: 'js' };
        return {
          contents: [
            'let loaded;',
            `const engine = () => (loaded ??= ${engineModule});`,
            `for (const name of ${JSON.stringify(names)})`,
            '  Object.defineProperty(exports, name, { enumerable: true, get: () => engine()[name] });',
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/** The two builds: activation + engine, then the features (which need the engine's module list). */
async function extensionBuilds(isProduction) {
  const shared = await engineModules(isProduction);
  return [
    {
      label: 'extension',
      virtualEntries: true,
      options: {
        ...nodeOptions(isProduction),
        entryPoints: { extension: 'src/extension.ts', 'lazy/engine': ENGINE_ENTRY },
        plugins: [lazyBundlesExternal, engineEntry(shared)],
      },
    },
    {
      label: 'lazy',
      options: {
        ...nodeOptions(isProduction),
        entryPoints: Object.fromEntries(
          LAZY_FEATURES.map((name) => [`lazy/${name}`, `src/bundles/${name}.ts`]),
        ),
        plugins: [fromEngine(shared)],
      },
    },
  ];
}

module.exports = { extensionBuilds, LAZY_BUNDLES };
