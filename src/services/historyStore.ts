import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { boundHistory, type HistoryChange, type HistoryItem } from '../core/history';
import { basename } from '../core/paths';
import type { ImageType } from '../core/types';
import { HistoryFile } from './historyFile';
import { copyFirstExisting, HistoryTrash, moveQuietly } from './historyTrash';
import type { Logger } from './logger';

/**
 * Every generated image, newest first, persisted in global storage with a cached copy of the
 * image (provider URLs expire) and, once the gallery made one, a small thumbnail.
 *
 * Several windows share the file: every write takes a lock file, reads what is on disk and merges
 * by id (another window's new items and changes are kept, what this window deleted stays deleted),
 * then writes under a unique temporary name and renames. A file that cannot be read or parsed is
 * moved aside as `history.corrupt-<time>.json` and reported, never silently replaced.
 */
export class HistoryStore implements vscode.Disposable {
  private items: HistoryItem[] = [];
  private loading: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private dirty = false;
  /** Ids this window added or changed since its last write: its version wins the merge. */
  private readonly touched = new Set<string>();
  /** Ids this window deleted: never brought back from another window's copy. */
  private readonly deleted = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<HistoryChange>();
  readonly onDidChange = this.emitter.event;
  readonly imagesDir: vscode.Uri;
  readonly thumbsDir: vscode.Uri;
  /** Files of deleted items and cleared caches, kept for Undo (emptied a day after the last action). */
  readonly trash: HistoryTrash;
  /** Deleted items that Undo can bring back, with the folder their files were moved to. */
  private readonly deletedItems = new Map<string, { item: HistoryItem; dir: vscode.Uri }>();
  /** The cache files of the last Clear Cache, by item id, and where they were moved. */
  private clearedCache: { files: Map<string, string>; dir: vscode.Uri } | undefined;
  private readonly file: HistoryFile;

  constructor(
    readonly storageDir: vscode.Uri,
    private readonly maxItems: () => number,
    private readonly log: Logger,
    /** Tells the user about a history file that had to be kept aside. */
    report: (message: string) => void = () => undefined,
  ) {
    this.file = new HistoryFile(storageDir, log, report);
    this.imagesDir = vscode.Uri.joinPath(storageDir, 'images');
    this.thumbsDir = vscode.Uri.joinPath(storageDir, 'thumbs');
    this.trash = new HistoryTrash(vscode.Uri.joinPath(storageDir, 'trash'));
  }

  /** Loads once, on first use (never during activation). */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      const disk = await this.file.read();
      // (Never `unchanged`: this is the window's first read.)
      if ('items' in disk) {
        // Items added before the file was read stay in front.
        const known = new Set(this.items.map((i) => i.id));
        this.items = [...this.items, ...disk.items.filter((i) => !known.has(i.id))];
      } else if ('corrupt' in disk) await this.file.keepAside(disk.corrupt);
      void this.trash.emptyOld();
      this.emitter.fire('changed');
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
    for (const i of items) this.touched.add(i.id);
    for (const i of evicted) this.deleted.add(i.id);
    this.persist(evicted.length > 0 ? 'changed' : 'grew');
    await Promise.all(evicted.map((i) => this.deleteFiles(i)));
  }

  async update(id: string, patch: Partial<Omit<HistoryItem, 'id'>>): Promise<void> {
    await this.ready();
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) return;
    this.items = [...this.items];
    this.items[i] = { ...this.items[i], ...patch };
    this.touched.add(id);
    // A patch of the cached copy may take away a file a page shows.
    this.persist('cacheFile' in patch ? 'changed' : 'grew');
  }

  /** Deletes the record; its files move to the trash, so `restore` can bring it back (HistoryTrash). */
  async remove(id: string): Promise<void> {
    await this.ready();
    const item = this.get(id);
    if (!item) return;
    this.items = this.items.filter((x) => x.id !== id);
    this.deleted.add(id);
    const dir = this.trash.next();
    this.deletedItems.set(id, { item, dir });
    // Files first, then the change event: whoever hears of the deletion finds the files gone too.
    for (const uri of [this.cacheUri(item), this.thumbnailUri(item)]) {
      if (uri) await moveQuietly(uri, vscode.Uri.joinPath(dir, basename(uri.path)));
    }
    this.persist();
  }

  /** Brings deleted items back with their files (Undo); resolves to how many came back. */
  async restore(ids: readonly string[]): Promise<number> {
    await this.ready();
    const back: HistoryItem[] = [];
    for (const id of ids) {
      const trashed = this.deletedItems.get(id);
      if (!trashed || this.get(id)) continue;
      this.deletedItems.delete(id);
      const { dir } = trashed;
      let { item } = trashed;
      const cache = this.cacheUri(item);
      const thumbnail = this.thumbnailUri(item);
      // The trash may be gone (emptied a day after, or by hand): the record comes back without a
      // cached copy, never naming a file that is not there, and without its thumbnail.
      if (cache && !(await moveQuietly(vscode.Uri.joinPath(dir, basename(cache.path)), cache))) {
        const { cacheFile: _gone, ...kept } = item;
        item = kept;
      } else if (thumbnail) {
        await moveQuietly(vscode.Uri.joinPath(dir, basename(thumbnail.path)), thumbnail);
      }
      this.deleted.delete(id);
      this.touched.add(id);
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
    for (const i of all) this.deleted.add(i.id);
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
    const dir = this.trash.next();
    for (const from of [this.imagesDir, this.thumbsDir]) {
      await moveQuietly(from, vscode.Uri.joinPath(dir, basename(from.path)));
    }
    const files = new Map<string, string>();
    for (const item of this.items) if (item.cacheFile) files.set(item.id, item.cacheFile);
    this.clearedCache = { files, dir };
    const rebuilt = await this.rebuildFromWorkspace(files);
    this.items = this.items.map((i) => (rebuilt.has(i.id) ? i : { ...i, cacheFile: undefined }));
    for (const i of this.items) this.touched.add(i.id);
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
        await moveQuietly(from, target, true);
      } else if (await moveQuietly(from, target)) restored.set(item.id, name);
      const thumb = `${item.id}.webp`;
      await moveQuietly(
        vscode.Uri.joinPath(cleared.dir, 'thumbs', thumb),
        vscode.Uri.joinPath(this.thumbsDir, thumb),
      );
    }
    this.items = this.items.map((i) => (restored.has(i.id) ? { ...i, cacheFile: restored.get(i.id) } : i));
    for (const id of restored.keys()) this.touched.add(id);
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
        const target = vscode.Uri.joinPath(this.imagesDir, files.get(item.id) as string);
        if (await copyFirstExisting(item.savedUris, target)) rebuilt.add(item.id);
      }),
    );
    return rebuilt;
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
   * Writes the list atomically, off the caller's path: writes are chained, and while one runs the
   * next change only marks the list dirty, so a burst of changes costs one more write.
   */
  private persist(change: HistoryChange = 'changed'): void {
    this.emitter.fire(change);
    if (this.dirty) return;
    this.dirty = true;
    this.writes = this.writes.then(async () => {
      this.dirty = false;
      try {
        await this.file.withLock(() => this.mergeAndWrite());
      } catch (e) {
        this.log.error(`Could not save the gallery history: ${String(e)}`);
      }
    });
  }

  /** Under the lock: what other windows wrote since, merged by id with this window's changes. */
  private async mergeAndWrite(): Promise<void> {
    let touched = new Set<string>();
    try {
      const disk = await this.file.read();
      // An unreadable file that could not be moved aside is never written over (§10): the
      // changes stay in memory, and the next write tries again.
      if ('corrupt' in disk && !(await this.file.keepAside(disk.corrupt)))
        throw new Error('the unreadable history file could not be moved aside, so it was left as it is');
      // Taken only now: from here to `this.items = kept` nothing awaits, so a change made while the
      // file was read is both in the list and in this set.
      touched = new Set(this.touched);
      this.touched.clear();
      // Missing, or as this window last read or wrote it: nothing of another window's to merge.
      const onDisk = 'items' in disk ? disk.items : undefined;
      const theirs = new Map((onDisk ?? []).map((i) => [i.id, i]));
      const merged: HistoryItem[] = [];
      for (const own of this.items) {
        const other = theirs.get(own.id);
        // Gone from the file and not changed here: another window deleted it.
        if (onDisk && !other && !touched.has(own.id)) continue;
        merged.push(other && !touched.has(own.id) ? other : own);
        theirs.delete(own.id);
      }
      for (const other of theirs.values()) if (!this.deleted.has(other.id)) merged.push(other);
      const { kept, evicted } = boundHistory(merged, Math.max(this.maxItems(), touched.size));
      const changed = kept.length !== this.items.length || kept.some((k, i) => k !== this.items[i]);
      this.items = kept;
      for (const e of evicted) this.deleted.add(e.id);
      await this.file.write(new TextEncoder().encode(JSON.stringify(kept)));
      if (changed) this.emitter.fire('changed');
      await Promise.all(evicted.map((e) => this.deleteFiles(e)));
    } catch (e) {
      for (const id of touched) this.touched.add(id);
      throw e;
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
