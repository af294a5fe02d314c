// The `imageGen.*` settings as the code reads them: one table of keys, defaults, ranges and
// choices. package.json declares the same settings for the Settings editor; a unit test holds the
// two equal, so a default changed in one place cannot drift from the other.

export type InsertAs = 'file' | 'url' | 'ask';
export type SelectionBehavior = 'insertAfter' | 'replace';
export type AltTextMode = 'prompt' | 'empty' | 'ask';

export interface ImageGenConfig {
  baseUrl: string;
  defaultModel: string;
  defaultSize: string;
  count: number;
  models: unknown;
  insertAs: InsertAs;
  destination: string;
  selectionBehavior: SelectionBehavior;
  altText: AltTextMode;
  requestTimeoutSeconds: number;
  maxRetries: number;
  extraParameters: Record<string, unknown>;
  historyMaxItems: number;
  /** Illustrate Document proposes one image per heading of this level (1–6). */
  illustrateHeadingLevel: number;
}

type Rule =
  | { kind: 'string' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'object' }
  | { kind: 'any' };

interface Setting<T> {
  /** The key under `imageGen.`. */
  key: string;
  default: T;
  rule: Rule;
  /**
   * An untrusted workspace cannot set it (§7, §10): where the key and files go, and what could
   * wipe the gallery or multiply paid requests.
   */
  restricted?: true;
}

export const SETTINGS: { readonly [K in keyof ImageGenConfig]: Setting<ImageGenConfig[K]> } = {
  baseUrl: {
    key: 'baseUrl',
    default: 'https://api.qhaigc.net/v1',
    rule: { kind: 'string' },
    restricted: true,
  },
  defaultModel: { key: 'defaultModel', default: 'qh-draw-x2-preview', rule: { kind: 'string' } },
  defaultSize: { key: 'defaultSize', default: '1024x1024', rule: { kind: 'string' } },
  count: { key: 'count', default: 1, rule: { kind: 'int', min: 1, max: 10 }, restricted: true },
  models: { key: 'models', default: [], rule: { kind: 'any' } },
  insertAs: { key: 'insertAs', default: 'file', rule: { kind: 'choice', choices: ['file', 'url', 'ask'] } },
  destination: {
    key: 'destination',
    default: 'images/${fileName}',
    rule: { kind: 'string' },
    restricted: true,
  },
  selectionBehavior: {
    key: 'selectionBehavior',
    default: 'insertAfter',
    rule: { kind: 'choice', choices: ['insertAfter', 'replace'] },
  },
  altText: {
    key: 'altText',
    default: 'prompt',
    rule: { kind: 'choice', choices: ['prompt', 'empty', 'ask'] },
  },
  requestTimeoutSeconds: {
    key: 'requestTimeoutSeconds',
    default: 180,
    rule: { kind: 'int', min: 1, max: 3600 },
    restricted: true,
  },
  maxRetries: { key: 'maxRetries', default: 2, rule: { kind: 'int', min: 0, max: 10 }, restricted: true },
  extraParameters: { key: 'extraParameters', default: {}, rule: { kind: 'object' }, restricted: true },
  historyMaxItems: {
    key: 'history.maxItems',
    default: 500,
    rule: { kind: 'int', min: 1, max: 100_000 },
    restricted: true,
  },
  illustrateHeadingLevel: {
    key: 'illustrate.headingLevel',
    default: 2,
    rule: { kind: 'int', min: 1, max: 6 },
  },
};

const FIELDS = Object.keys(SETTINGS) as (keyof ImageGenConfig)[];

/** The defaults, as a whole configuration. */
export const DEFAULTS: ImageGenConfig = Object.fromEntries(
  FIELDS.map((f) => [f, SETTINGS[f].default]),
) as unknown as ImageGenConfig;

/** Keys (under `imageGen.`) an untrusted workspace cannot set. */
export const RESTRICTED: ReadonlySet<string> = new Set(
  FIELDS.filter((f) => SETTINGS[f].restricted).map((f) => SETTINGS[f].key),
);

function valueOf(rule: Rule, v: unknown, d: unknown): unknown {
  switch (rule.kind) {
    case 'string':
      return typeof v === 'string' && v.trim() ? v.trim() : d;
    case 'int':
      return typeof v === 'number' && Number.isFinite(v)
        ? Math.min(rule.max, Math.max(rule.min, Math.round(v)))
        : d;
    case 'choice':
      return rule.choices.includes(v as string) ? v : d;
    case 'object':
      return v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
    case 'any':
      return v ?? d;
  }
}

/** The configuration from raw setting values (`read(key)` for keys under `imageGen.`); anything unusable is its default. */
export function readSettings(read: (key: string) => unknown): ImageGenConfig {
  return Object.fromEntries(
    FIELDS.map((f) => [f, valueOf(SETTINGS[f].rule, read(SETTINGS[f].key), SETTINGS[f].default)]),
  ) as unknown as ImageGenConfig;
}

/** Where a setting's value comes from, as `WorkspaceConfiguration.inspect` reports it. */
export interface SettingSources {
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The Settings editor tab to open for a setting that needs fixing: the one whose value wins.
 * A base URL set in the workspace overrides the User tab, where editing would change nothing.
 */
export function settingsCommandFor(sources: SettingSources | undefined): string {
  return sources?.workspaceValue !== undefined || sources?.workspaceFolderValue !== undefined
    ? 'workbench.action.openWorkspaceSettings'
    : 'workbench.action.openSettings';
}
