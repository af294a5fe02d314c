// The setup most integration suites share, registered as mocha hooks: the fixture image server
// for the suite; before each test a fresh recording UI, settings reset to the server's base URL,
// the key stored and the test's folders emptied; after each test the editors closed.
import * as vscode from 'vscode';
import { ImageServer } from '../../fixtures/imageServer';
import type { ImageServerOptions } from '../../fixtures/imageServer';
import { closeAllEditors, recordUi, removeAll, resetSettings, setSettings, testHooks } from './env';
import type { TestHooks } from './env';
import type { RecordingUi } from './recordingUi';

export interface FixtureOptions {
  /** Stored for the server's origin before each test. */
  key: string;
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
  const server = new ImageServer(options.server);
  let ui: RecordingUi | undefined;
  let hooks: TestHooks | undefined;

  suiteSetup(async () => {
    await server.start();
    hooks = await testHooks();
  });
  suiteTeardown(async () => {
    await server.stop();
    await resetSettings();
  });
  setup(async () => {
    server.reset();
    ui = await recordUi();
    await resetSettings();
    await setSettings({ baseUrl: server.baseUrl, maxRetries: 0, ...options.settings });
    await vscode.commands.executeCommand('imageGen.setApiKey', options.key);
    for (const folder of options.clean ?? []) await removeAll(folder);
  });
  teardown(async () => {
    await options.beforeClose?.();
    await closeAllEditors();
  });

  return {
    server,
    get ui(): RecordingUi {
      if (!ui) throw new Error('the fixture UI exists from the first setup on');
      return ui;
    },
    get hooks(): TestHooks {
      if (!hooks) throw new Error('the test hooks exist from suiteSetup on');
      return hooks;
    },
  };
}
