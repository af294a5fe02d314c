// `npm run bench`: the budgets of PRODUCT.md §9 as figures. Nothing here passes or fails.
//
//   npm run bench                       everything, 3 launches of VS Code (code-server)
//   npm run bench -- --launches 5       more launches (activation and the first gallery render
//                                       happen once per launch)
//   npm run bench -- --no-host          sizes only (bundles and .vsix), no VS Code launch
//   npm run bench -- --grep gallery     only the host benchmarks whose title matches (no sizes);
//                                       written to test-results/bench/results.partial.json
//   npm run bench -- --profile          also a CPU profile of the extension host during the
//                                       overhead runs: test-results/bench/overhead.cpuprofile
//
// Sizes come from `node esbuild.js --production` and `npm run package`. Everything else is
// measured inside the real extension host by bench/host/extensionHost.bench.ts, run through the
// integration harness (scripts/integration.mjs) against the fixture image server started here in
// separate processes. Medians are printed as a table and written to bench/results.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import esbuild from 'esbuild';
import { startFixtureProvider } from '../scripts/fixtureProvider.mjs';
import { runSuite } from '../scripts/integration.mjs';
import { projectRoot } from '../scripts/runtime.mjs';
import { forbiddenEntries, listVsix } from './vsix.mjs';

const { transpileOptions } = createRequire(import.meta.url)('../esbuild.js');
const BENCH_DIR = path.join(projectRoot, 'test-results', 'bench');
const RESULTS_FILE = path.join(projectRoot, 'bench', 'results.json');
const HOST_SUITE = { name: 'bench', include: 'out/bench/host/**/*.bench.js', workspaceTrust: false };
const KB = 1024;
const MB = 1024 * 1024;

function parseOptions(argv) {
  const options = { launches: 3, host: true, profile: false, grep: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--launches') options.launches = Number(argv[++i]);
    else if (argv[i] === '--no-host') options.host = false;
    else if (argv[i] === '--profile') options.profile = true;
    else if (argv[i] === '--grep') options.grep = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (known: --launches N, --no-host, --profile, --grep P)`);
  }
  if (!Number.isInteger(options.launches) || options.launches < 1)
    throw new Error('--launches takes a positive integer');
  return options;
}

const log = (line = '') => console.log(line);

function run(command, args, { quiet = false } = {}) {
  const r = spawnSync(command, args, {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status})`);
  }
  return r.stdout ?? '';
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// Sizes

function fileSize(relative) {
  const file = path.join(projectRoot, relative);
  return fs.existsSync(file) ? fs.statSync(file).size : undefined;
}

function measureBundles() {
  log('[bench] production build (node esbuild.js --production)');
  run(process.execPath, ['esbuild.js', '--production'], { quiet: true });
  const webviews = fs
    .readdirSync(path.join(projectRoot, 'dist', 'webviews'))
    .filter((f) => f.endsWith('.js'))
    .sort();
  const lazy = fs
    .readdirSync(path.join(projectRoot, 'dist', 'lazy'))
    .filter((f) => f.endsWith('.js'))
    .sort();
  return [
    {
      id: 'bundle.extension',
      label: 'dist/extension.js (minified, what activation loads)',
      value: fileSize('dist/extension.js'),
      unit: 'bytes',
      budget: 150 * KB,
    },
    // The bundles src/extension.ts requires on first use (scripts/extensionBundles.js): not loaded at
    // activation, but shipped and loaded by the first generation, view or tool, so they are shown too.
    ...lazy.map((f) => ({
      id: `bundle.lazy.${f.replace(/\.js$/, '')}`,
      label: `dist/lazy/${f} (minified, loaded on first use)`,
      value: fileSize(`dist/lazy/${f}`),
      unit: 'bytes',
      budget: undefined,
    })),
    ...webviews.map((f) => ({
      id: `bundle.webview.${f.replace(/\.js$/, '')}`,
      label: `dist/webviews/${f} (minified)`,
      value: fileSize(`dist/webviews/${f}`),
      unit: 'bytes',
      budget: 50 * KB,
    })),
  ];
}

function measureVsix() {
  log('[bench] packaging (npm run package)');
  const before = Date.now();
  run('npm', ['run', 'package', '--silent'], { quiet: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const file = path.join(projectRoot, `${manifest.name}-${manifest.version}.vsix`);
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < before - 1000)
    throw new Error(`npm run package made no ${path.basename(file)}`);
  const entries = listVsix(file);
  const forbidden = forbiddenEntries(entries);
  return {
    figure: {
      id: 'vsix',
      label: `${path.basename(file)} (${entries.length} files)`,
      value: fs.statSync(file).size,
      unit: 'bytes',
      budget: 400 * KB,
    },
    vsix: { file: path.relative(projectRoot, file), entries, forbidden },
  };
}

// ---------------------------------------------------------------------------------------------
// Extension host

/** Transpiles bench/host/*.ts next to the tests in out/, where the harness looks for suite files. */
async function buildHostBench() {
  const entryPoints = fs
    .readdirSync(path.join(projectRoot, 'bench', 'host'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('bench', 'host', f));
  await esbuild.build(transpileOptions(entryPoints));
}

async function measureInHost(launches, profile, grep) {
  await buildHostBench();
  const fast = await startFixtureProvider(['--port', '0', '--image-bytes', String(1_000_000)]);
  const slow = await startFixtureProvider(['--port', '0', '--latency', '1000', '--stream-gap', '200']);
  const samples = {};
  const notes = {};
  let vscodeVersion;
  try {
    fs.mkdirSync(BENCH_DIR, { recursive: true });
    for (const f of fs.readdirSync(BENCH_DIR)) {
      if (/^host-launch-\d+\.log$|\.cpuprofile$/.test(f)) fs.rmSync(path.join(BENCH_DIR, f));
    }
    fs.writeFileSync(
      path.join(BENCH_DIR, 'config.json'),
      JSON.stringify(
        {
          fastBaseUrl: fast.baseUrl,
          slowBaseUrl: slow.baseUrl,
          overheadRuns: 8,
          parallelRuns: 3,
          galleryItems: 1000,
          galleryItems10k: 10_000,
          galleryReopens: 2,
          profile,
        },
        null,
        2,
      ),
    );
    for (let launch = 1; launch <= launches; launch++) {
      const hostFile = path.join(BENCH_DIR, 'host.json');
      const logFile = path.join(BENCH_DIR, `host-launch-${launch}.log`);
      fs.rmSync(hostFile, { force: true });
      const out = fs.openSync(logFile, 'w');
      log(
        `[bench] extension host, launch ${launch}/${launches} (log: ${path.relative(projectRoot, logFile)})`,
      );
      const result = await runSuite(HOST_SUITE, {
        grep,
        log: (line) => fs.writeSync(out, `${line}\n`),
      });
      fs.closeSync(out);
      for (const f of result.failures) log(`[bench]   not measured: ${f.title}: ${f.error.split('\n')[0]}`);
      if (!fs.existsSync(hostFile)) continue;
      const host = JSON.parse(fs.readFileSync(hostFile, 'utf8'));
      vscodeVersion = host.vscodeVersion;
      for (const [name, entry] of Object.entries(host.results)) {
        if (entry.samples) (samples[name] ??= []).push(...entry.samples);
        if (entry.note) (notes[name] ??= []).push(`launch ${launch}: ${entry.note}`);
      }
    }
  } finally {
    await Promise.all([fast.stop(), slow.stop()]);
  }
  return { samples, notes, vscodeVersion };
}

function hostFigures({ samples, notes }) {
  const figure = (id, label, unit, budget, key = id) => ({
    id,
    label,
    unit,
    budget,
    value: samples[key]?.length ? median(samples[key]) : undefined,
    samples: samples[key] ?? [],
    note: notes[key]?.join('; '),
  });
  const overhead = figure('overhead', 'command → file saved → link inserted (1 MB PNG)', 'ms', 150);
  const bare = figure('bareDownload', 'bare download of the same file (baseline)', 'ms', undefined);
  const ratio = {
    id: 'overheadRatio',
    label: 'overhead ÷ bare download (ratio of medians)',
    unit: '×',
    budget: 2,
    value: overhead.value !== undefined && bare.value ? overhead.value / bare.value : undefined,
    samples: [],
  };
  const saveInsert = figure(
    'saveInsert',
    'save + insert of a cached 1 MB PNG (gallery Insert path)',
    'ms',
    undefined,
  );
  const paste = figure(
    'anchorPaste',
    "VS Code's own Markdown paste of the same PNG (the anchor)",
    'ms',
    undefined,
  );
  const bareOps = figure(
    'anchorBare',
    '… bare workspace.fs.writeFile + applyEdit (fallback anchor)',
    'ms',
    undefined,
  );
  // The anchor is the built-in paste when it could be driven, else the bare operations (PRODUCT.md §9).
  const anchor = paste.value !== undefined ? paste : bareOps;
  const overheadVsPaste = {
    id: 'overheadVsPaste',
    label: `save + insert ÷ ${anchor === paste ? 'built-in paste' : 'bare operations'} (ratio of medians)`,
    unit: '×',
    budget: 1.2,
    value: saveInsert.value !== undefined && anchor.value ? saveInsert.value / anchor.value : undefined,
    samples: [],
    note: anchor === paste ? undefined : paste.note,
  };
  return [
    figure('activate', 'activate() call', 'ms', 15),
    figure('activateResolved', 'activate() until its promise resolved', 'ms', undefined),
    figure('activateHostMarks', 'activation as VS Code logs it (whole ms)', 'ms', undefined),
    figure('codeLoading', 'loading dist/extension.js (require)', 'ms', undefined),
    overhead,
    bare,
    ratio,
    figure('overheadNone', '… the same command with insertAs none (no file, no link)', 'ms', undefined),
    figure('bareGeneration', "… bare POST + download (the provider's share)", 'ms', undefined),
    saveInsert,
    paste,
    bareOps,
    overheadVsPaste,
    figure('parallel', 'n=4 on dall-e-3, 1 s server latency (wall)', 'ms', 1300),
    figure(
      'firstPartial',
      'gpt-image-1 stream: first partial image (events 200 ms apart, 1 s latency)',
      'ms',
      undefined,
    ),
    figure('streamCompleted', '… the completed image of the same stream', 'ms', undefined),
    figure('bareParallel', '… the same 4 requests + downloads, bare, in parallel', 'ms', undefined),
    figure('galleryFirstRender', 'gallery, 1,000 items: first screen after the view opens', 'ms', 500),
    figure('galleryPageStart', "… of which VS Code's: until the page's document starts", 'ms', undefined),
    figure('galleryPagePaint', "… of which the page's: document start → first paint", 'ms', undefined),
    figure('galleryReopen', 'gallery, 1,000 items: reopened (thumbnails cached)', 'ms', undefined),
    figure('galleryHeapGrowth', 'extension host heap growth, 1,000 items + gallery open', 'bytes', 30 * MB),
    figure('galleryHeapGrowthView', '… of which after the items were loaded (view only)', 'bytes', undefined),
    figure('galleryFirstRender10k', 'gallery, 10,000 items: first screen after the view opens', 'ms', 300),
    figure('galleryPageStart10k', "… of which VS Code's: until the page's document starts", 'ms', undefined),
    figure('galleryPagePaint10k', "… of which the page's: document start → first paint", 'ms', undefined),
    figure('galleryReopen10k', 'gallery, 10,000 items: reopened (thumbnails cached)', 'ms', undefined),
    figure(
      'galleryHeapGrowth10k',
      'extension host heap growth, 10,000 items + gallery open',
      'bytes',
      30 * MB,
    ),
    figure(
      'galleryHeapGrowthView10k',
      '… of which after the items were loaded (view only)',
      'bytes',
      undefined,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Report

function format(value, unit) {
  if (value === undefined) return '—';
  if (unit === 'bytes')
    return value >= MB ? `${(value / MB).toFixed(1)} MB` : `${(value / KB).toFixed(1)} KB`;
  if (unit === 'ms') return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
  if (unit === '×') return `${value.toFixed(2)}×`;
  return String(value);
}

function table(figures) {
  const rows = figures.map((f) => [
    f.label,
    format(f.value, f.unit),
    f.budget === undefined ? '' : `≤ ${format(f.budget, f.unit)}`,
    f.budget === undefined || f.value === undefined ? '' : f.value <= f.budget ? 'yes' : 'NO',
    f.samples?.length ? String(f.samples.length) : '',
  ]);
  const head = ['what', 'median', 'budget', 'within', 'n'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  log('[bench] build (node esbuild.js)');
  run(process.execPath, ['esbuild.js'], { quiet: true });

  // A targeted run (--grep) measures host figures only and leaves bench/results.json alone.
  const partial = options.grep !== undefined;
  const figures = partial ? [] : measureBundles();
  const { figure: vsixFigure, vsix } = partial ? { vsix: undefined } : measureVsix();
  if (vsixFigure) figures.push(vsixFigure);
  // The sizes left the production build in dist/, which has no test hooks: the host runs the
  // development build, as the integration tests do.
  if (!partial) run(process.execPath, ['esbuild.js'], { quiet: true });
  let host = { samples: {}, notes: {} };
  if (options.host) host = await measureInHost(options.launches, options.profile, options.grep);
  figures.push(...(options.host ? hostFigures(host) : []));

  // Leave the usual development build (with source maps) behind, as `npm run build` would.
  run(process.execPath, ['esbuild.js'], { quiet: true });

  log('');
  log(table(figures));
  for (const f of figures.filter((x) => x.note)) log(`  ${f.label}: ${f.note}`);
  if (!vsix) log('\n  (targeted run: no sizes measured)');
  else if (vsix.forbidden.length) {
    log(`\n  The .vsix holds files it should not (fix .vscodeignore):`);
    for (const e of vsix.forbidden) log(`    ${e.name}  (${e.why})`);
  } else log(`\n  ${vsix.file}: no sources, tests or source maps among its ${vsix.entries.length} files.`);

  const results = {
    generatedAt: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      node: process.version,
      vscode: host.vscodeVersion,
    },
    launches: options.host ? options.launches : 0,
    grep: options.grep,
    figures: figures.map(({ id, label, unit, value, budget, samples, note }) => ({
      id,
      label,
      unit,
      median: value,
      budget,
      samples,
      note,
    })),
    vsix,
  };
  const file = partial ? path.join(BENCH_DIR, 'results.partial.json') : RESULTS_FILE;
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\n  written to ${path.relative(projectRoot, file)} in ${results.durationSeconds} s`);
}

main().catch((e) => {
  console.error(`[bench] ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
});
