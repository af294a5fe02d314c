// PRODUCT.md §10: the shipped (production) build carries no active test hooks.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

suite('production build', () => {
  test('the minified extension has no test hooks, whatever IMAGE_GEN_TEST_HOOKS says at run time', async function () {
    this.timeout(60_000);
    // The defines esbuild.js applies with --production, on the same entry point.
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const root = path.resolve(__dirname, '..', '..', '..');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const defines = require(path.join(root, 'scripts', 'productionDefines.js')) as Record<string, string>;
    const build = async (production: boolean) =>
      (
        await esbuild.build({
          entryPoints: [path.join(root, 'src', 'extension.ts')],
          bundle: true,
          write: false,
          platform: 'node',
          format: 'cjs',
          external: ['vscode'],
          alias: { 'whatwg-url': path.join(root, 'src', 'core', 'whatwgUrlShim.ts') },
          define: production ? defines : {},
          minify: production,
          logLevel: 'silent',
        })
      ).outputFiles[0].text;
    const dev = await build(false);
    assert.ok(dev.includes('testHooks'), 'the development build exports hooks under the variable');
    const shipped = await build(true);
    for (const marker of ['testHooks', 'cancelAll', 'runningCount', 'IMAGE_GEN_TEST_HOOKS'])
      assert.ok(!shipped.includes(marker), `${marker} is in the production bundle`);
  });
});
