// The setup the integration suites share, registered as mocha hooks. `useFixture`: the fixture
// image server for the suite; before each test a fresh recording UI, settings reset to the
// server's base URL, the key stored and the test's folders emptied; after each test the editors
// closed. `useWebviewFixture`: the same once per suite, for the suites that drive the webviews.
import * as vscode from 'vscode';
import { ImageServer } from '../../fixtures/imageServer';
import type { ImageServerOptions } from '../../fixtures/imageServer';
import { browserBridge } from './bridge';
import {
  closeAllEditors,
  lanAddress,
  recordUi,
  removeAll,
  resetSettings,
  setSettings,
  testHooks,
} from './env';
import type { TestHooks } from './env';
import type { RecordingUi } from './recordingUi';

export interface FixtureOptions {
  /** Stored for the server's origin before each test; none when undefined (the test stores its own). */
  key?: string;
  /**
   * The server listens on this machine's network address instead of loopback (a provider on
   * another host, reached over plain http); the suite is skipped when the machine has none.
   */
  onLan?: boolean;
  /** Runs before each test after the settings, before the key is stored (e.g. confirmed origins). */
  prepare?: (fixture: Fixture) => void | Thenable<unknown>;
  /** Options of the suite's image server. */
  server?: ImageServerOptions;
  /** Settings besides `baseUrl` set before each test; `maxRetries` is 0 unless given. */
  settings?: Record<string, unknown>;
  /** Workspace folders emptied before each test. */
  clean?: readonly string[];
  /** Runs after each test before the editors are closed (e.g. cancel what a failed test left running). */
  beforeClose?: () => void | Promise<void>;
}

export interface Fixture {
  readonly server: ImageServer;
  /** The current test's recording UI (a new one each test). */
  readonly ui: RecordingUi;
  /** The extension's test hooks (from suiteSetup on). */
  readonly hooks: TestHooks;
}

export function useFixture(options: FixtureOptions): Fixture {
  const host = options.onLan ? lanAddress() : undefined;
  const skipped = options.onLan === true && host === undefined;
  const server = new ImageServer({ ...options.server, ...(host ? { host } : {}) });
  let ui: RecordingUi | undefined;
  let hooks: TestHooks | undefined;

  suiteSetup(async function () {
    if (skipped) this.skip();
    await server.start();
    hooks = await testHooks();
  });
  suiteTeardown(async () => {
    if (skipped) return;
    await server.stop();
    await resetSettings();
  });
  setup(async () => {
    server.reset();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...options.settings });
    await options.prepare?.(fixture);
    if (options.key !== undefined) await vscode.commands.executeCommand('imageGen.setApiKey', options.key);
    for (const folder of options.clean ?? []) await removeAll(folder);
  });
  teardown(async () => {
    await options.beforeClose?.();
    await closeAllEditors();
  });

  const fixture = fixtureOf(
    server,
    () => ui,
    () => hooks,
  );
  return fixture;
}

function fixtureOf(
  server: ImageServer,
  ui: () => RecordingUi | undefined,
  hooks: () => TestHooks | undefined,
): Fixture {
  return {
    server,
    get ui(): RecordingUi {
      const current = ui();
      if (!current) throw new Error('the fixture UI exists from the first setup on');
      return current;
    },
    get hooks(): TestHooks {
      const current = hooks();
      if (!current) throw new Error('the test hooks exist from suiteSetup on');
      return current;
    },
  };
}

export interface WebviewFixtureOptions {
  /** Stored for the server's origin once, before the suite. */
  key: string;
  /** A workspace folder emptied before and after the suite. */
  folder?: string;
}

/**
 * The set-up of the suites that drive the panel and the gallery through the browser bridge, done
 * once per suite: the webviews stay open from test to test, as a user's would. The suite is
 * skipped without a bridge. Before each test the server's log and the recording UI start empty;
 * after the suite the gallery, the folder, the settings and the colour theme are as before.
 */
export function useWebviewFixture(options: WebviewFixtureOptions): Fixture {
  const server = new ImageServer();
  let ui: RecordingUi | undefined;
  let hooks: TestHooks | undefined;

  suiteSetup(async function () {
    if (!browserBridge().available()) this.skip();
    await server.start();
    hooks = await testHooks();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    await vscode.commands.executeCommand('imageGen.setApiKey', options.key);
    await hooks.history.clear();
    if (options.folder) await removeAll(options.folder);
  });
  suiteTeardown(async () => {
    if (!hooks || !ui) return;
    hooks.ui.target = ui;
    await vscode.workspace
      .getConfiguration('workbench')
      .update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await hooks.history.clear();
    await server.stop();
    await resetSettings();
    if (options.folder) await removeAll(options.folder);
  });
  setup(() => {
    server.reset();
    if (!hooks || !ui) return;
    ui.reset();
    hooks.ui.target = ui;
  });

  return fixtureOf(
    server,
    () => ui,
    () => hooks,
  );
}
