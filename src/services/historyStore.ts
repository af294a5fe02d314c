import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { boundHistory, parseHistory, type HistoryItem } from '../core/history';
import { basename, dirname } from '../core/paths';
import type { ImageType } from '../core/types';
import type { Logger } from './logger';

const FILE = 'history.json';

/**
 * Every generated image, newest first, persisted in global storage with a cached copy of the
 * image (provider URLs expire) and, once the gallery made one, a small thumbnail.
 */
export class HistoryStore implements vscode.Disposable {
  private items: HistoryItem[] = [];
  private loading: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private dirty = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  readonly imagesDir: vscode.Uri;
  readonly thumbsDir: vscode.Uri;
  /** Files of deleted items and cleared caches, kept for Undo until VS Code restarts. */
  readonly trashDir: vscode.Uri;
  /** Deleted items that Undo can bring back, by id. */
  private readonly trash = new Map<string, HistoryItem>();
  /** Where each deleted item's files were moved. */
  private readonly trashed = new Map<string, vscode.Uri>();
  /** The cache files of the last Clear Cache, by item id, and where they were moved. */
  private clearedCache: { files: Map<string, string>; dir: vscode.Uri } | undefined;
  private trashCount = 0;
  private readonly session = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;

  constructor(
    readonly storageDir: vscode.Uri,
    private readonly maxItems: () => number,
    private readonly log: Logger,
  ) {
    this.imagesDir = vscode.Uri.joinPath(storageDir, 'images');
    this.thumbsDir = vscode.Uri.joinPath(storageDir, 'thumbs');
    this.trashDir = vscode.Uri.joinPath(storageDir, 'trash');
  }

  /** Loads once, on first use (never during activation). */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.storageDir, FILE));
        const loaded = parseHistory(JSON.parse(new TextDecoder().decode(bytes)));
        // Items added before the file was read stay in front.
        const known = new Set(this.items.map((i) => i.id));
        this.items = [...this.items, ...loaded.filter((i) => !known.has(i.id))];
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) {
          this.log.warn(`Could not read the gallery history: ${String(e)}`);
        }
      }
      // What earlier sessions deleted can no longer be undone: their files go now, off the way.
      void this.emptyOldTrash();
      this.emitter.fire();
    })();
    return this.loading;
  }

  /** Newest first. Empty until `ready()` finished; `onDidChange` fires then. */
  list(): readonly HistoryItem[] {
    void this.ready();
    return this.items;
  }

  get(id: string): HistoryItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  newId(): string {
    return randomUUID();
  }

  cacheUri(item: HistoryItem): vscode.Uri | undefined {
    return item.cacheFile ? vscode.Uri.joinPath(this.imagesDir, item.cacheFile) : undefined;
  }

  thumbnailUri(item: HistoryItem): vscode.Uri | undefined {
    return item.cacheFile ? vscode.Uri.joinPath(this.thumbsDir, `${item.id}.webp`) : undefined;
  }

  /**
   * Writes the image bytes into the cache completely before anyone sees them: a temporary
   * name first, then a rename, so no half-written file is ever visible under the real name.
   * Global storage is local to the extension host when its scheme is `file`: Node's fs then
   * spares the round trips of `workspace.fs`.
   */
  async cacheImage(id: string, bytes: Uint8Array, type: ImageType): Promise<string> {
    const name = `${id}.${type.ext}`;
    const tmp = vscode.Uri.joinPath(this.imagesDir, `.${name}.partial`);
    const target = vscode.Uri.joinPath(this.imagesDir, name);
    if (this.imagesDir.scheme === 'file') {
      await fs.mkdir(this.imagesDir.fsPath, { recursive: true });
      try {
        await fs.writeFile(tmp.fsPath, bytes);
        await fs.rename(tmp.fsPath, target.fsPath);
      } catch (e) {
        await fs.rm(tmp.fsPath, { force: true });
        throw e;
      }
      return name;
    }
    await vscode.workspace.fs.createDirectory(this.imagesDir);
    try {
      await vscode.workspace.fs.writeFile(tmp, bytes);
      await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
    } catch (e) {
      await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
      throw e;
    }
    return name;
  }

  async add(items: readonly HistoryItem[]): Promise<void> {
    await this.ready();
    // What just arrived is never evicted by its own arrival, even when maxItems is below n.
    const { kept, evicted } = boundHistory(
      [...items, ...this.items],
      Math.max(this.maxItems(), items.length),
    );
    this.items = kept;
    this.persist();
    await Promise.all(evicted.map((i) => this.deleteFiles(i)));
  }

  async update(id: string, patch: Partial<Omit<HistoryItem, 'id'>>): Promise<void> {
    await this.ready();
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) return;
    this.items = [...this.items];
    this.items[i] = { ...this.items[i], ...patch };
    this.persist();
  }

  /** Deletes the record; its files move to the trash, so `restore` can bring it back until restart. */
  async remove(id: string): Promise<void> {
    await this.ready();
    const item = this.get(id);
    if (!item) return;
    this.items = this.items.filter((x) => x.id !== id);
    this.trash.set(id, item);
    const dir = this.nextTrashDir();
    this.trashed.set(id, dir);
    this.persist();
    for (const uri of [this.cacheUri(item), this.thumbnailUri(item)]) {
      if (uri) await this.moveQuietly(uri, vscode.Uri.joinPath(dir, basename(uri.path)));
    }
  }

  /** Brings deleted items back with their files (Undo); resolves to how many came back. */
  async restore(ids: readonly string[]): Promise<number> {
    await this.ready();
    const back: HistoryItem[] = [];
    for (const id of ids) {
      const item = this.trash.get(id);
      const dir = this.trashed.get(id);
      if (!item || this.get(id)) continue;
      this.trash.delete(id);
      this.trashed.delete(id);
      if (dir) {
        for (const uri of [this.cacheUri(item), this.thumbnailUri(item)]) {
          if (uri) await this.moveQuietly(vscode.Uri.joinPath(dir, basename(uri.path)), uri);
        }
      }
      back.push(item);
    }
    if (back.length === 0) return 0;
    this.items = boundHistory([...back, ...this.items], Math.max(this.maxItems(), back.length)).kept;
    this.persist();
    return back.length;
  }

  async clear(): Promise<void> {
    await this.ready();
    const all = this.items;
    this.items = [];
    this.persist();
    await Promise.all(all.map((i) => this.deleteFiles(i)));
  }

  async saveThumbnail(id: string, bytes: Uint8Array): Promise<void> {
    const item = this.get(id);
    const uri = item && this.thumbnailUri(item);
    if (!uri) return;
    await vscode.workspace.fs.createDirectory(this.thumbsDir);
    await vscode.workspace.fs.writeFile(uri, bytes);
  }

  /** Bytes used by cached images and thumbnails. */
  async cacheSize(): Promise<number> {
    let total = 0;
    for (const dir of [this.imagesDir, this.thumbsDir]) {
      for (const [name] of await this.readDir(dir)) {
        const stat = await vscode.workspace.fs
          .stat(vscode.Uri.joinPath(dir, name))
          .then(undefined, () => undefined);
        total += stat?.size ?? 0;
      }
    }
    return total;
  }

  /**
   * Empties the cache of images and thumbnails (records stay, with their remote URL). The files
   * move to the trash for `undoClearCache`; images still saved in the workspace are copied back
   * from there, so those items keep a local copy. Resolves to the bytes freed.
   */
  async clearCache(): Promise<number> {
    await this.ready();
    const before = await this.cacheSize();
    const dir = this.nextTrashDir();
    for (const from of [this.imagesDir, this.thumbsDir]) {
      await this.moveQuietly(from, vscode.Uri.joinPath(dir, basename(from.path)));
    }
    const files = new Map<string, string>();
    for (const item of this.items) if (item.cacheFile) files.set(item.id, item.cacheFile);
    this.clearedCache = { files, dir };
    const rebuilt = await this.rebuildFromWorkspace(files);
    this.items = this.items.map((i) => (rebuilt.has(i.id) ? i : { ...i, cacheFile: undefined }));
    this.persist();
    return Math.max(0, before - (await this.cacheSize()));
  }

  /** Whether the last Clear Cache can still be undone. */
  get canUndoClearCache(): boolean {
    return this.clearedCache !== undefined;
  }

  /** Puts the cache files of the last Clear Cache back; resolves to how many items got theirs back. */
  async undoClearCache(): Promise<number> {
    await this.ready();
    const cleared = this.clearedCache;
    if (!cleared) return 0;
    this.clearedCache = undefined;
    const restored = new Map<string, string>();
    for (const item of this.items) {
      const name = cleared.files.get(item.id);
      if (!name) continue;
      const target = vscode.Uri.joinPath(this.imagesDir, name);
      const from = vscode.Uri.joinPath(cleared.dir, 'images', name);
      if (item.cacheFile === name) {
        // Rebuilt from the workspace meanwhile: the original copy is the one to keep.
        await this.moveQuietly(from, target, true);
      } else if (await this.moveQuietly(from, target)) restored.set(item.id, name);
      const thumb = `${item.id}.webp`;
      await this.moveQuietly(
        vscode.Uri.joinPath(cleared.dir, 'thumbs', thumb),
        vscode.Uri.joinPath(this.thumbsDir, thumb),
      );
    }
    this.items = this.items.map((i) => (restored.has(i.id) ? { ...i, cacheFile: restored.get(i.id) } : i));
    this.persist();
    return restored.size;
  }

  /** Copies each item's first saved workspace file that still exists back into the cache. */
  private async rebuildFromWorkspace(files: ReadonlyMap<string, string>): Promise<Set<string>> {
    const rebuilt = new Set<string>();
    const candidates = this.items.filter((i) => files.has(i.id) && i.savedUris.length > 0);
    if (candidates.length === 0) return rebuilt;
    await vscode.workspace.fs.createDirectory(this.imagesDir);
    await Promise.all(
      candidates.map(async (item) => {
        for (const saved of item.savedUris) {
          const target = vscode.Uri.joinPath(this.imagesDir, files.get(item.id) as string);
          const ok = await Promise.resolve(
            vscode.workspace.fs.copy(vscode.Uri.parse(saved), target, { overwrite: true }),
          ).then(
            () => true,
            () => false,
          );
          if (ok) {
            rebuilt.add(item.id);
            return;
          }
        }
      }),
    );
    return rebuilt;
  }

  /** This session's trash folder holds one folder per Delete or Clear Cache. */
  private nextTrashDir(): vscode.Uri {
    return vscode.Uri.joinPath(this.trashDir, this.session, String(++this.trashCount));
  }

  private async emptyOldTrash(): Promise<void> {
    for (const [name] of await this.readDir(this.trashDir)) {
      if (name === this.session) continue;
      await Promise.resolve(
        vscode.workspace.fs.delete(vscode.Uri.joinPath(this.trashDir, name), { recursive: true }),
      ).catch(() => undefined);
    }
  }

  /** Moves a file or folder; false when there was nothing to move or it failed. */
  private async moveQuietly(from: vscode.Uri, to: vscode.Uri, overwrite = false): Promise<boolean> {
    try {
      await vscode.workspace.fs.createDirectory(to.with({ path: dirname(to.path) }));
      await vscode.workspace.fs.rename(from, to, { overwrite });
      return true;
    } catch {
      return false;
    }
  }

  private async readDir(dir: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return vscode.workspace.fs.readDirectory(dir).then(undefined, () => []);
  }

  /** Deletes the cached image and thumbnail of an item (the record is the caller's business). */
  async deleteFiles(item: HistoryItem): Promise<void> {
    for (const uri of [this.cacheUri(item), this.thumbnailUri(item)]) {
      if (uri) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.writes;
  }

  /**
   * Writes the whole list atomically, off the caller's path: writes are chained, and while one
   * runs the next change only marks the list dirty, so a burst of changes costs one more write.
   */
  private persist(): void {
    this.emitter.fire();
    if (this.dirty) return;
    this.dirty = true;
    this.writes = this.writes.then(async () => {
      this.dirty = false;
      const snapshot = new TextEncoder().encode(JSON.stringify(this.items));
      const target = vscode.Uri.joinPath(this.storageDir, FILE);
      const tmp = vscode.Uri.joinPath(this.storageDir, `${FILE}.tmp`);
      try {
        if (this.storageDir.scheme === 'file') {
          await fs.mkdir(this.storageDir.fsPath, { recursive: true });
          await fs.writeFile(tmp.fsPath, snapshot);
          await fs.rename(tmp.fsPath, target.fsPath);
        } else {
          await vscode.workspace.fs.createDirectory(this.storageDir);
          await vscode.workspace.fs.writeFile(tmp, snapshot);
          await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
        }
      } catch (e) {
        this.log.error(`Could not save the gallery history: ${String(e)}`);
      }
    });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
