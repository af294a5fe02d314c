// Flat config: typescript-eslint's recommended rules everywhere, plus the architecture's import
// boundaries (HOUSE_STYLE.md): pure logic in src/core and the webviews' browser code never import
// `vscode`, so they run in plain Node tests and in the page.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * `no-restricted-imports` for one layer: `vscode` (when a message is given) and the `layers` of src/
 * are forbidden; from the `typesOnly` layers only type imports (a port's interface) are allowed.
 */
function layer({ vscode, layers = [], typesOnly = [], why }) {
  const group = (names) => names.flatMap((l) => [`**/${l}/*`, `**/${l}/**`]);
  const patterns = [];
  if (layers.length) patterns.push({ group: group(layers), message: why });
  if (typesOnly.length) patterns.push({ group: group(typesOnly), message: why, allowTypeImports: true });
  return {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { paths: vscode ? [{ name: 'vscode', message: vscode }] : [], patterns },
    ],
  };
}

// The Node globals the build, test and bench scripts use (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'performance',
    'global',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default defineConfig(
  globalIgnores([
    'dist/**',
    'out/**',
    '.cache/**',
    'node_modules/**',
    'test-results/**',
    '.vscode-test/**',
    '**/*.d.ts',
  ]),
  js.configs.recommended,
  {
    rules: {
      // Stripping control characters from file names, alt text and logs is deliberate.
      'no-control-regex': 'off',
    },
  },
  {
    // TypeScript rules (and parser) for TypeScript; the plain JS scripts keep ESLint's own parser.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // The layers (docs/architecture.md): each may import only the layers below it. Type-only
  // imports of services are allowed where a layer is handed a service it does not construct.
  {
    files: ['src/core/**'],
    rules: layer({
      vscode: 'No `vscode` here: pass what you need in as parameters (src/services adapts VS Code).',
      layers: ['services', 'app', 'commands', 'webviews', 'agents', 'mcp'],
      why: 'src/core is pure logic: it imports nothing of the extension.',
    }),
  },
  {
    files: ['src/services/**'],
    rules: layer({
      layers: ['app', 'commands', 'webviews', 'agents'],
      why: 'Services adapt VS Code; the use cases (src/app) call them, not the other way round.',
    }),
  },
  {
    files: ['src/app/**'],
    rules: layer({
      layers: ['commands', 'agents'],
      // A use case implements the webviews' port (src/webviews/deps.ts): its interface only.
      typesOnly: ['webviews'],
      why: 'Use cases are called by commands, webviews and agents; they do not call back into them.',
    }),
  },
  {
    files: ['src/commands/**', 'src/webviews/**', 'src/agents/**'],
    ignores: ['src/webviews/*/protocol.ts'],
    rules: layer({
      typesOnly: ['services'],
      why: 'Entry points reach the services through src/app (type imports of what they are handed are fine).',
    }),
  },
  // The bundles (scripts/extensionBundles.js): a value imported from another bundle's entry would
  // copy that bundle in; they reach each other only through require() in src/extension.ts.
  ...[
    ['src/extension.ts', ['./bundles/*']],
    ['src/bundles/**', ['./*']],
  ].map(([file, group]) => ({
    files: [file],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group,
              message: 'Another bundle is required on first use (src/extension.ts): import its types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  })),
  // The MCP server runs in plain Node outside VS Code: core and the HTTP adapter only.
  {
    files: ['src/mcp/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'dist/mcp.js runs outside VS Code.' }],
          patterns: [
            {
              group: ['**/app/**', '**/agents/**', '**/commands/**', '**/webviews/**'],
              message: 'dist/mcp.js runs outside VS Code.',
            },
          ],
        },
      ],
    },
  },
  // Page code runs in the browser: the webviews' protocol files (compiled into the pages too) and
  // pure helpers, never `vscode`, services or use cases.
  {
    files: ['webview-src/**', 'src/webviews/*/protocol.ts'],
    rules: layer({
      vscode: 'Page code runs in the browser: no `vscode`.',
      layers: ['services', 'app', 'commands', 'agents', 'mcp'],
      why: 'Page code talks to the extension only through messages (src/webviews/*/protocol.ts).',
    }),
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
  {
    // Functions these scripts hand to Playwright run in the browser page, not in Node.
    files: ['scripts/integration.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
);
