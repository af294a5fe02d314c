// PRODUCT.md §9 and §10: the shipped (production) build carries no active test hooks, and what every
// Markdown user loads at activation (dist/extension.js) holds none of the features that load lazily.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildOptions, Metafile, OutputFile } from 'esbuild';

const root = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extensionBuilds, LAZY_BUNDLES } = require(path.join(root, 'scripts', 'extensionBundles.js')) as {
  extensionBuilds(production: boolean): Promise<Array<{ options: BuildOptions }>>;
  LAZY_BUNDLES: string[];
};

interface Built {
  /** Output (relative to dist/) → its code. */
  text: Map<string, string>;
  /** Output (relative to dist/) → the source files it holds. */
  sources: Map<string, string[]>;
}

/** The same builds esbuild.js runs, in memory. */
async function build(production: boolean): Promise<Built> {
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const built: Built = { text: new Map(), sources: new Map() };
  for (const { options } of await extensionBuilds(production)) {
    const result = await esbuild.build({ ...options, write: false, sourcemap: false, logLevel: 'silent' });
    for (const file of result.outputFiles as OutputFile[])
      built.text.set(path.relative(path.join(root, 'dist'), file.path).split(path.sep).join('/'), file.text);
    for (const [file, output] of Object.entries((result.metafile as Metafile).outputs))
      built.sources.set(file.replace(/^dist\//, ''), Object.keys(output.inputs));
  }
  return built;
}

const sourcesOf = (built: Built, output: string): string[] => built.sources.get(output) ?? [];

/** Evaluates a bundle as Node would require it, with a stand-in for the `vscode` module. */
function load(code: string, lazy: Map<string, string> = new Map()): Record<string, unknown> {
  const anything: unknown = new Proxy(function () {}, {
    get: (_target, key) => (key === 'prototype' ? {} : key === '__esModule' ? false : anything),
    apply: () => anything,
    construct: () => ({}),
  });
  const module = { exports: {} as Record<string, unknown> };
  const req = (id: string): unknown => {
    if (id === 'vscode') return anything;
    // A feature bundle takes the engine's modules from dist/lazy/engine.js.
    const sibling = lazy.get(id);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return sibling === undefined ? require(id) : load(sibling, lazy);
  };
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    req,
    module,
    module.exports,
    root,
    path.join(root, 'dist', 'x.js'),
  );
  return module.exports;
}

suite('production build', function () {
  this.timeout(120_000);
  let shipped: Built;
  let dev: Built;
  suiteSetup(async () => {
    [shipped, dev] = await Promise.all([build(true), build(false)]);
  });

  test('the minified bundles have no test hooks, whatever IMAGE_GEN_TEST_HOOKS says at run time', () => {
    assert.ok(dev.text.get('extension.js')?.includes('testHooks'), 'the development build exports hooks');
    assert.equal(shipped.text.size, 1 + LAZY_BUNDLES.length);
    for (const [file, code] of shipped.text)
      for (const marker of ['testHooks', 'cancelAll', 'runningCount', 'IMAGE_GEN_TEST_HOOKS'])
        assert.ok(!code.includes(marker), `${marker} is in the production ${file}`);
  });

  test('the activation bundle requires each lazy bundle, and each exists and loads', () => {
    const activation = shipped.text.get('extension.js') ?? '';
    const required = [...activation.matchAll(/require\("\.\/lazy\/([a-z]+)\.js"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)].sort(), [...LAZY_BUNDLES].sort());
    const factories: Record<string, string> = {
      engine: 'createEngine',
      webviews: 'createWebviews',
      illustrate: 'createIllustrate',
      edit: 'createEdit',
      agents: 'createAgentTools',
    };
    assert.deepEqual(Object.keys(factories).sort(), [...LAZY_BUNDLES].sort());
    for (const name of LAZY_BUNDLES) {
      const code = shipped.text.get(`lazy/${name}.js`);
      assert.ok(code, `dist/lazy/${name}.js is built`);
      const engine = new Map([['./engine.js', shipped.text.get('lazy/engine.js') ?? '']]);
      assert.equal(
        typeof load(code, engine)[factories[name]],
        'function',
        `lazy/${name}.js exports ${factories[name]}`,
      );
    }
    assert.equal(typeof load(activation).activate, 'function');
  });

  test("the webviews bundle loads and sets up without the engine, and takes the engine's modules on first use", () => {
    let engineLoads = 0;
    const engineCode = shipped.text.get('lazy/engine.js') ?? '';
    // The loader does not cache modules: every require of ./engine.js is counted.
    const siblings = new Map([['./engine.js', engineCode]]);
    const counting = {
      get(id: string) {
        if (id === './engine.js') engineLoads++;
        return siblings.get(id);
      },
    } as Map<string, string>;
    const webviews = load(shipped.text.get('lazy/webviews.js') ?? '', counting);
    const anything: unknown = new Proxy(function () {}, {
      get: (_target, key) => (key === 'prototype' ? {} : anything),
      apply: () => anything,
      construct: () => ({}),
    });
    // Activation's services: anything at all, but for the words of a download problem.
    const services = new Proxy(
      { downloadReason: (problem: string) => `why: ${problem}` },
      { get: (target, key) => (key === 'downloadReason' ? target.downloadReason : anything) },
    );
    let engineCalls = 0;
    const created = (
      webviews.createWebviews as (s: unknown, engine: () => unknown) => { deps: Record<string, unknown> }
    )(services, () => (engineCalls++, anything));
    assert.equal(engineLoads, 0, 'no engine module was loaded to set up the webviews');
    assert.equal(engineCalls, 0, 'the engine was not asked for');
    // A gallery tile's note (its first screen may show one) is activation's words, not the engine's.
    assert.equal((created.deps.downloadReason as (problem: string) => unknown)('network'), 'why: network');
    assert.equal(engineLoads, 0, 'a tile note loaded the engine');
    // What it takes from the engine is taken on first access, never as the bundle loads.
    const code = shipped.text.get('lazy/webviews.js') ?? '';
    const requires = [...code.matchAll(/.{0,12}require\("\.\/engine\.js"\)/g)].map((m) => m[0]);
    assert.ok(requires.length > 0, 'the webviews take modules from the engine');
    for (const call of requires) assert.match(call, /\?\?=\s*require/, `an eager engine require: ${call}`);
  });

  test('activation holds no feature code, and no lazy bundle holds a second history or runner', () => {
    const activation = sourcesOf(shipped, 'extension.js');
    // What each lazy bundle is for: none of it may be in the activation bundle.
    const features: Record<string, string[]> = {
      engine: ['src/app/generationRunner.ts', 'src/services/imageGenerator.ts', 'src/core/apiClient.ts'],
      webviews: ['src/webviews/gallery/galleryView.ts', 'src/webviews/generator/generatorPanel.ts'],
      illustrate: ['src/app/illustrate.ts', 'src/commands/illustrate.ts'],
      edit: ['src/app/editImage.ts', 'src/app/imageLinkActions.ts'],
      agents: ['src/app/agentImages.ts'],
    };
    for (const [name, files] of Object.entries(features))
      for (const file of files) {
        assert.ok(sourcesOf(shipped, `lazy/${name}.js`).includes(file), `${file} is in lazy/${name}.js`);
        assert.ok(!activation.includes(file), `${file} is in the activation bundle`);
      }
    assert.ok(!activation.some((f) => f.includes('node_modules')), 'no package in the activation bundle');
    // One instance of each: the state lives in one bundle, the others are handed it.
    const onlyIn: Record<string, string> = {
      'src/services/historyStore.ts': 'extension.js',
      'src/services/apiKeys.ts': 'extension.js',
      'src/services/logger.ts': 'extension.js',
      'src/services/statusBar.ts': 'extension.js',
      'src/app/generationRunner.ts': 'lazy/engine.js',
      'src/services/catalogService.ts': 'lazy/engine.js',
      'src/services/anchorTracker.ts': 'lazy/engine.js',
    };
    for (const [file, output] of Object.entries(onlyIn))
      for (const other of shipped.text.keys())
        assert.equal(sourcesOf(shipped, other).includes(file), other === output, `${file} in ${other}`);
    // The features take what the engine holds from it (its module, its state), never a copy.
    const engine = new Set(sourcesOf(shipped, 'lazy/engine.js'));
    for (const name of LAZY_BUNDLES.filter((n) => n !== 'engine')) {
      const own = sourcesOf(shipped, `lazy/${name}.js`);
      assert.ok(
        own.some((f) => f.startsWith('engine-module:src/')),
        `lazy/${name}.js takes modules from the engine`,
      );
      for (const file of own) assert.ok(!engine.has(file), `lazy/${name}.js has its own copy of ${file}`);
    }
    // And the words of each feature, as a user would meet them, are not in what activation loads.
    const text = shipped.text.get('extension.js') ?? '';
    const markers: Record<string, string> = {
      engine: '/images/generations',
      illustrate: 'has no headings to put images under.',
      edit: 'so it cannot be edited.',
      agents: 'The tool input must be a JSON object.',
    };
    for (const [name, marker] of Object.entries(markers)) {
      assert.ok(shipped.text.get(`lazy/${name}.js`)?.includes(marker), `"${marker}" in lazy/${name}.js`);
      assert.ok(!text.includes(marker), `"${marker}" is in the activation bundle`);
    }
  });

  test('every command of package.json is registered by the activation bundle', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    const activation = shipped.text.get('extension.js') ?? '';
    for (const { command } of manifest.contributes.commands)
      assert.ok(activation.includes(`"${command}"`), `${command} is not registered at activation`);
  });
});
