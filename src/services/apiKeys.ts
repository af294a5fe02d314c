import * as vscode from 'vscode';
import { apiKeyProblem } from '../core/apiKey';
import { hostOf } from '../core/origin';
import type { UserInterface } from './ui';

const SECRET_PREFIX = 'imageGen.apiKey:';
const ORIGINS_KEY = 'imageGen.keyOrigins';

/**
 * API keys live only in SecretStorage, one per base-URL origin; globalState lists the origins
 * (never the keys) so *Clear API Key* can offer them.
 */
export class ApiKeyStore implements vscode.Disposable {
  /** Keys read once per origin: SecretStorage is a round trip to the window on every read. */
  private readonly cache = new Map<string, Promise<string | undefined>>();
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {
    // Another window may change a key: forget the cached one.
    this.listener = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.cache.delete(e.key.slice(SECRET_PREFIX.length));
    });
  }

  get(origin: string): Promise<string | undefined> {
    let key = this.cache.get(origin);
    if (!key) {
      key = Promise.resolve(this.secrets.get(SECRET_PREFIX + origin)).then((k) => k || undefined);
      this.cache.set(origin, key);
      key.catch(() => this.cache.delete(origin));
    }
    return key;
  }

  async set(origin: string, key: string): Promise<void> {
    this.cache.delete(origin);
    await this.secrets.store(SECRET_PREFIX + origin, key);
    this.cache.set(origin, Promise.resolve(key));
    const origins = new Set(this.origins());
    origins.add(origin);
    await this.state.update(ORIGINS_KEY, [...origins].sort());
  }

  async delete(origin: string): Promise<void> {
    this.cache.delete(origin);
    await this.secrets.delete(SECRET_PREFIX + origin);
    this.cache.delete(origin);
    await this.state.update(
      ORIGINS_KEY,
      this.origins().filter((o) => o !== origin),
    );
  }

  dispose(): void {
    this.listener.dispose();
    this.cache.clear();
  }

  origins(): string[] {
    const v = this.state.get<unknown>(ORIGINS_KEY);
    return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string') : [];
  }
}

/** The questions about keys, for the commands and the generator (which asks when a key is missing). */
export class KeyPrompt {
  constructor(private readonly ui: UserInterface) {}

  /** The password box that asks for the key of one origin; undefined when dismissed. */
  ask(origin: string): Promise<string | undefined> {
    return askForKey(this.ui, origin);
  }

  /** A key with characters that cannot travel in an HTTP header; said the same way wherever it is refused. */
  invalidKeyMessage(): string {
    return invalidKeyMessage();
  }
}

async function askForKey(ui: UserInterface, origin: string): Promise<string | undefined> {
  const host = hostOf(origin);
  const typed = await ui.input({
    title: vscode.l10n.t('API key for {0}', host),
    prompt: vscode.l10n.t(
      "Enter the API key for {0}. It is kept in VS Code's secret storage and sent only to {1}.",
      host,
      origin,
    ),
    password: true,
    validate: (v) => {
      const problem = apiKeyProblem(v.trim());
      if (problem === 'empty') return vscode.l10n.t('The key cannot be empty.');
      return problem ? invalidKeyMessage() : undefined;
    },
  });
  return typed?.trim() || undefined;
}

function invalidKeyMessage(): string {
  return vscode.l10n.t(
    'The key contains characters that cannot be sent in an HTTP header (such as a zero-width space, full-width letters or a line break). Paste the key again as plain text.',
  );
}
