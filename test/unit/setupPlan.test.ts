import * as assert from 'node:assert/strict';

// The first-run set-up's decisions (scripts/setupPlan.js, plain Node like the rest of scripts/).
type Plan = {
  action: 'none' | 'install' | 'stop';
  missing: Array<{ package: string; why: string }>;
  packages: string[];
  command?: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nodeModulesState, planSystemPackages } = require('../../../scripts/setupPlan.js') as {
  nodeModulesState(lock: unknown, hidden: unknown): { upToDate: boolean; reason?: string };
  planSystemPackages(input: {
    needs: string[];
    has: (probe: string) => boolean;
    isRoot: boolean;
    hasAptGet: boolean;
    pretendMissing?: string[];
  }): Plan;
};

const lock = {
  packages: {
    '': { name: 'image-gen', version: '0.1.0' },
    'node_modules/esbuild': { version: '0.28.2', dev: true },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', dev: true, optional: true },
    'node_modules/@esbuild/linux-x64': { version: '0.28.2', dev: true, optional: true },
    'node_modules/node-fetch': { version: '2.7.0' },
  },
};
const installed = {
  packages: {
    'node_modules/esbuild': { version: '0.28.2' },
    'node_modules/@esbuild/linux-x64': { version: '0.28.2' },
    'node_modules/node-fetch': { version: '2.7.0' },
  },
};

suite('setup plan: node_modules', () => {
  test('no npm record of an install (fresh clone, or an npm ci cut short) needs npm ci', () => {
    const state = nodeModulesState(lock, undefined);
    assert.equal(state.upToDate, false);
    assert.match(state.reason ?? '', /missing or incomplete/);
  });

  test('the installed tree of the lock file is up to date, optional packages of other platforms aside', () => {
    assert.deepEqual(nodeModulesState(lock, installed), { upToDate: true });
  });

  test('a version the lock file changed makes node_modules older than it', () => {
    const newer = {
      packages: { ...lock.packages, 'node_modules/node-fetch': { version: '2.7.1' } },
    };
    const state = nodeModulesState(newer, installed);
    assert.equal(state.upToDate, false);
    assert.match(state.reason ?? '', /older than package-lock\.json \(node-fetch 2\.7\.0 → 2\.7\.1\)/);
  });

  test('a package the lock file added, or one it dropped, needs npm ci', () => {
    const added = { packages: { ...lock.packages, 'node_modules/yaml': { version: '2.9.1' } } };
    assert.match(nodeModulesState(added, installed).reason ?? '', /lacks yaml/);
    const dropped = {
      packages: { ...installed.packages, 'node_modules/left-pad': { version: '1.3.0' } },
    };
    assert.match(
      nodeModulesState(lock, dropped).reason ?? '',
      /has left-pad, which package-lock\.json no longer lists/,
    );
  });
});

suite('setup plan: Debian packages', () => {
  const all = () => true;
  const without =
    (...absent: string[]) =>
    (probe: string) =>
      !absent.includes(probe);

  test('nothing to do when everything is there', () => {
    const plan = planSystemPackages({
      needs: ['build', 'browser'],
      has: all,
      isRoot: false,
      hasAptGet: true,
    });
    assert.deepEqual(plan, { action: 'none', missing: [], packages: [] });
  });

  test('npm start (no browser) does not ask for chromium', () => {
    const plan = planSystemPackages({
      needs: ['build'],
      has: without('/usr/bin/chromium'),
      isRoot: true,
      hasAptGet: true,
    });
    assert.equal(plan.action, 'none');
  });

  test('nothing asks for libkrb5-dev any more', () => {
    const plan = planSystemPackages({
      needs: ['build', 'browser'],
      has: () => false,
      isRoot: true,
      hasAptGet: true,
    });
    assert.deepEqual(plan.packages, ['g++', 'make', 'python3', 'chromium']);
    assert.ok(!plan.packages.includes('libkrb5-dev'));
  });

  test('as root with apt-get: install them, naming each and why', () => {
    const plan = planSystemPackages({
      needs: ['browser', 'build'],
      has: without('/usr/bin/chromium', 'make'),
      isRoot: true,
      hasAptGet: true,
    });
    assert.equal(plan.action, 'install');
    assert.deepEqual(plan.packages, ['chromium', 'make']);
    assert.equal(plan.command, 'apt-get update && apt-get install -y chromium make');
    assert.match(plan.missing[0].why, /integration tests/);
  });

  test('not root: stop with the one sudo command to run', () => {
    const plan = planSystemPackages({ needs: ['browser'], has: () => false, isRoot: false, hasAptGet: true });
    assert.equal(plan.action, 'stop');
    assert.equal(plan.command, 'sudo apt-get update && sudo apt-get install -y chromium');
  });

  test('root without apt-get (not Debian): stop and name the packages', () => {
    const plan = planSystemPackages({
      needs: ['build'],
      has: without('g++'),
      isRoot: true,
      hasAptGet: false,
    });
    assert.equal(plan.action, 'stop');
    assert.equal(plan.command, 'apt-get update && apt-get install -y g++');
  });

  test('the test-only override treats present packages as missing, once each', () => {
    const plan = planSystemPackages({
      needs: ['build', 'build'],
      has: all,
      isRoot: true,
      hasAptGet: true,
      pretendMissing: ['make', 'chromium'],
    });
    // chromium is not among the needs, so pretending it is missing changes nothing.
    assert.deepEqual(plan.packages, ['make']);
    assert.equal(plan.action, 'install');
  });
});
