// Decisions of the first-run set-up (scripts/setup.mjs), kept free of I/O so unit tests can cover
// every case without installing or removing anything: is node_modules what package-lock.json
// describes, and which Debian packages are missing and what to do about them.
'use strict';

/**
 * What each need takes from the system: the command (or file) looked for, the Debian package
 * that provides it, and why it is needed.
 */
const SYSTEM_NEEDS = {
  // node-gyp compiles code-server's native modules (spdlog, sqlite3, watchdog…) on first install.
  build: [
    { probe: 'g++', package: 'g++', why: 'compiles code-server’s native modules (node-gyp)' },
    { probe: 'make', package: 'make', why: 'compiles code-server’s native modules (node-gyp)' },
    { probe: 'python3', package: 'python3', why: 'runs node-gyp' },
  ],
  // Only the integration tests drive the workbench; `npm start` opens in the user's own browser.
  browser: [
    { probe: '/usr/bin/chromium', package: 'chromium', why: 'drives VS Code in the integration tests' },
  ],
};

/**
 * Whether node_modules holds what package-lock.json asks for. `hidden` is npm's own record of
 * the installed tree (node_modules/.package-lock.json), written at the end of a complete
 * install; an interrupted `npm ci` leaves none.
 * @param {any} lock parsed package-lock.json
 * @param {any} hidden parsed node_modules/.package-lock.json, or undefined when absent
 * @returns {{ upToDate: boolean, reason?: string }}
 */
function nodeModulesState(lock, hidden) {
  if (!hidden?.packages) return { upToDate: false, reason: 'node_modules is missing or incomplete' };
  const wanted = lock?.packages ?? {};
  for (const [key, entry] of Object.entries(wanted)) {
    if (key === '') continue; // the project itself
    const installed = hidden.packages[key];
    // Optional packages for other platforms (esbuild's, for one) are never installed.
    if (!installed) {
      if (entry.optional) continue;
      return { upToDate: false, reason: `node_modules lacks ${key.replace(/^.*node_modules\//, '')}` };
    }
    if (installed.version !== entry.version) {
      return {
        upToDate: false,
        reason: `node_modules is older than package-lock.json (${key.replace(/^.*node_modules\//, '')} ${installed.version} → ${entry.version})`,
      };
    }
  }
  for (const key of Object.keys(hidden.packages)) {
    if (!(key in wanted)) {
      return {
        upToDate: false,
        reason: `node_modules has ${key.replace(/^.*node_modules\//, '')}, which package-lock.json no longer lists`,
      };
    }
  }
  return { upToDate: true };
}

/**
 * Which Debian packages are missing for `needs`, and what to do.
 * @param {{ needs: Array<keyof typeof SYSTEM_NEEDS>, has: (probe: string) => boolean,
 *   isRoot: boolean, hasAptGet: boolean, pretendMissing?: string[] }} input
 *   `pretendMissing`: packages to treat as absent (tests of this path only)
 * @returns {{ action: 'none' | 'install' | 'stop', missing: Array<{ package: string, why: string }>,
 *   packages: string[], command?: string }}
 *   `install`: run apt-get here (root with apt-get); `stop`: tell the user `command`
 */
function planSystemPackages({ needs, has, isRoot, hasAptGet, pretendMissing = [] }) {
  const missing = [];
  for (const need of needs) {
    for (const item of SYSTEM_NEEDS[need] ?? []) {
      if (missing.some((m) => m.package === item.package)) continue;
      if (pretendMissing.includes(item.package) || !has(item.probe))
        missing.push({ package: item.package, why: item.why });
    }
  }
  const packages = missing.map((m) => m.package);
  if (!missing.length) return { action: 'none', missing, packages };
  const sudo = isRoot ? '' : 'sudo ';
  const command = `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
  return { action: isRoot && hasAptGet ? 'install' : 'stop', missing, packages, command };
}

module.exports = { SYSTEM_NEEDS, nodeModulesState, planSystemPackages };
