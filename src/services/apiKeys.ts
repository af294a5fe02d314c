import type * as vscode from 'vscode';

const SECRET_PREFIX = 'imageGen.apiKey:';
const ORIGINS_KEY = 'imageGen.keyOrigins';

/**
 * API keys live only in SecretStorage, one per base-URL origin; globalState lists the origins
 * (never the keys) so *Clear API Key* can offer them.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  async get(origin: string): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_PREFIX + origin);
    return key || undefined;
  }

  async set(origin: string, key: string): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + origin, key);
    const origins = new Set(this.origins());
    origins.add(origin);
    await this.state.update(ORIGINS_KEY, [...origins].sort());
  }

  async delete(origin: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + origin);
    await this.state.update(
      ORIGINS_KEY,
      this.origins().filter((o) => o !== origin),
    );
  }

  origins(): string[] {
    const v = this.state.get<unknown>(ORIGINS_KEY);
    return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string') : [];
  }
}
