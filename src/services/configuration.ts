import * as vscode from 'vscode';

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

export const DEFAULTS: ImageGenConfig = {
  baseUrl: 'https://api.qhaigc.net/v1',
  defaultModel: 'qh-draw-x2-preview',
  defaultSize: '1024x1024',
  count: 1,
  models: [],
  insertAs: 'file',
  destination: 'images/${fileName}',
  selectionBehavior: 'insertAfter',
  altText: 'prompt',
  requestTimeoutSeconds: 180,
  maxRetries: 2,
  extraParameters: {},
  historyMaxItems: 500,
  illustrateHeadingLevel: 2,
};

/**
 * Settings whose workspace values an untrusted workspace must not be able to set (§7, §10): where
 * the key and files go, and what could wipe the gallery or multiply paid requests.
 */
export const RESTRICTED = new Set([
  'baseUrl',
  'destination',
  'extraParameters',
  'history.maxItems',
  'requestTimeoutSeconds',
  'maxRetries',
  'count',
]);

const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v.trim() : d);
const int = (v: unknown, d: number, min: number, max: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : d;
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], d: T): T =>
  allowed.includes(v as T) ? (v as T) : d;
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};

/**
 * The one typed reader of `imageGen.*`: unknown values map to defaults, and in an untrusted
 * workspace the restricted settings come from user settings only.
 */
export class ConfigurationReader implements vscode.Disposable {
  private cached: ImageGenConfig | undefined;
  private readonly subscription: vscode.Disposable;
  private readonly changeEmitter = new vscode.EventEmitter<ImageGenConfig>();
  readonly onDidChange = this.changeEmitter.event;

  constructor() {
    this.subscription = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('imageGen')) this.invalidate();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()),
    );
  }

  private invalidate(): void {
    this.cached = undefined;
    this.changeEmitter.fire(this.get());
  }

  get(): ImageGenConfig {
    if (this.cached) return this.cached;
    const c = vscode.workspace.getConfiguration('imageGen');
    const trusted = vscode.workspace.isTrusted;
    const read = (key: string): unknown => {
      if (trusted || !RESTRICTED.has(key)) return c.get(key);
      const i = c.inspect(key);
      return i?.globalValue ?? i?.defaultValue;
    };
    this.cached = {
      baseUrl: str(read('baseUrl'), DEFAULTS.baseUrl),
      defaultModel: str(read('defaultModel'), DEFAULTS.defaultModel),
      defaultSize: str(read('defaultSize'), DEFAULTS.defaultSize),
      count: int(read('count'), DEFAULTS.count, 1, 10),
      models: read('models') ?? [],
      insertAs: oneOf(read('insertAs'), ['file', 'url', 'ask'] as const, DEFAULTS.insertAs),
      destination: str(read('destination'), DEFAULTS.destination),
      selectionBehavior: oneOf(
        read('selectionBehavior'),
        ['insertAfter', 'replace'] as const,
        DEFAULTS.selectionBehavior,
      ),
      altText: oneOf(read('altText'), ['prompt', 'empty', 'ask'] as const, DEFAULTS.altText),
      requestTimeoutSeconds: int(read('requestTimeoutSeconds'), DEFAULTS.requestTimeoutSeconds, 1, 3600),
      maxRetries: int(read('maxRetries'), DEFAULTS.maxRetries, 0, 10),
      extraParameters: record(read('extraParameters')),
      historyMaxItems: int(read('history.maxItems'), DEFAULTS.historyMaxItems, 1, 100_000),
      illustrateHeadingLevel: int(read('illustrate.headingLevel'), DEFAULTS.illustrateHeadingLevel, 1, 6),
    };
    return this.cached;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
