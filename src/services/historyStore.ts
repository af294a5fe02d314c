import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { boundHistory, parseHistory, type HistoryItem } from '../core/history';
import type { ImageType } from '../core/types';
import type { Logger } from './logger';

const FILE = 'history.json';
const LOCK = 'history.lock';
/** A lock older than this was left by a window that died mid-write. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 60_000;

type Disk = { items: HistoryItem[] } | { missing: true } | { corrupt: string };

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
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  readonly imagesDir: vscode.Uri;
  readonly thumbsDir: vscode.Uri;

  constructor(
    readonly storageDir: vscode.Uri,
    private readonly maxItems: () => number,
    private readonly log: Logger,
    /** Tells the user about a history file that had to be kept aside. */
    private readonly report: (message: string) => void = () => undefined,
  ) {
    this.imagesDir = vscode.Uri.joinPath(storageDir, 'images');
    this.thumbsDir = vscode.Uri.joinPath(storageDir, 'thumbs');
  }

  /** Loads once, on first use (never during activation). */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      const disk = await this.readDisk();
      if ('items' in disk) {
        // Items added before the file was read stay in front.
        const known = new Set(this.items.map((i) => i.id));
        this.items = [...this.items, ...disk.items.filter((i) => !known.has(i.id))];
      } else if ('corrupt' in disk) await this.keepAside(disk.corrupt);
      this.emitter.fire();
    })();
    return this.loading;
  }

  private get fileUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.storageDir, FILE);
  }

  /** What the history file holds now; unreadable or unparsable content is `corrupt` (with why). */
  private async readDisk(): Promise<Disk> {
    let bytes: Uint8Array;
    try {
      // Local global storage is read with Node: no round trip through the window while the lock is held.
      bytes =
        this.storageDir.scheme === 'file'
          ? await fs.readFile(this.fileUri.fsPath)
          : await vscode.workspace.fs.readFile(this.fileUri);
    } catch (e) {
      if (
        (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') ||
        (e as NodeJS.ErrnoException).code === 'ENOENT'
      )
        return { missing: true };
      return { corrupt: String(e) };
    }
    try {
      const raw: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (!Array.isArray(raw)) return { corrupt: 'not a list' };
      return { items: parseHistory(raw) };
    } catch (e) {
      return { corrupt: String(e) };
    }
  }

  /** Moves an unreadable history file out of the way, keeping its bytes, and says so. */
  private async keepAside(why: string): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = vscode.Uri.joinPath(this.storageDir, `history.corrupt-${stamp}.json`);
    try {
      await vscode.workspace.fs.rename(this.fileUri, aside, { overwrite: false });
    } catch (e) {
      this.log.error(`The gallery history could not be read (${why}) nor moved aside: ${String(e)}`);
      return;
    }
    this.log.error(`The gallery history could not be read (${why}); kept as ${aside.fsPath}`);
    this.report(
      vscode.l10n.t(
        'The Image Gen gallery history could not be read. It was kept as {0} and a new history was started.',
        aside.fsPath,
      ),
    );
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
    this.persist();
    await Promise.all(evicted.map((i) => this.deleteFiles(i)));
  }

  async update(id: string, patch: Partial<Omit<HistoryItem, 'id'>>): Promise<void> {
    await this.ready();
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) return;
    this.items = [...this.items];
    this.items[i] = { ...this.items[i], ...patch };
    this.touched.add(id);
    this.persist();
  }

  async remove(id: string): Promise<void> {
    await this.ready();
    const item = this.get(id);
    if (!item) return;
    this.items = this.items.filter((x) => x.id !== id);
    this.deleted.add(id);
    this.persist();
    await this.deleteFiles(item);
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

  /** Deletes every cached image and thumbnail; records stay, with their remote URL. */
  async clearCache(): Promise<number> {
    await this.ready();
    const freed = await this.cacheSize();
    for (const dir of [this.imagesDir, this.thumbsDir]) {
      await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    }
    this.items = this.items.map((i) => ({ ...i, cacheFile: undefined }));
    for (const i of this.items) this.touched.add(i.id);
    this.persist();
    return freed;
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
  private persist(): void {
    this.emitter.fire();
    if (this.dirty) return;
    this.dirty = true;
    this.writes = this.writes.then(async () => {
      this.dirty = false;
      try {
        await this.withLock(() => this.mergeAndWrite());
      } catch (e) {
        this.log.error(`Could not save the gallery history: ${String(e)}`);
      }
    });
  }

  /** Under the lock: what other windows wrote since, merged by id with this window's changes. */
  private async mergeAndWrite(): Promise<void> {
    let touched = new Set<string>();
    try {
      const disk = await this.readDisk();
      if ('corrupt' in disk) await this.keepAside(disk.corrupt);
      // Taken only now: from here to `this.items = kept` nothing awaits, so a change made while the
      // file was read is both in the list and in this set.
      touched = new Set(this.touched);
      this.touched.clear();
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
      await this.writeFile(new TextEncoder().encode(JSON.stringify(kept)));
      if (changed) this.emitter.fire();
      await Promise.all(evicted.map((e) => this.deleteFiles(e)));
    } catch (e) {
      for (const id of touched) this.touched.add(id);
      throw e;
    }
  }

  private async writeFile(bytes: Uint8Array): Promise<void> {
    // A unique temporary name per write: two windows never write into each other's file.
    const tmp = vscode.Uri.joinPath(this.storageDir, `${FILE}.${randomUUID()}.tmp`);
    if (this.storageDir.scheme === 'file') {
      await fs.mkdir(this.storageDir.fsPath, { recursive: true });
      try {
        await fs.writeFile(tmp.fsPath, bytes);
        await fs.rename(tmp.fsPath, this.fileUri.fsPath);
      } catch (e) {
        await fs.rm(tmp.fsPath, { force: true });
        throw e;
      }
      return;
    }
    await vscode.workspace.fs.createDirectory(this.storageDir);
    await vscode.workspace.fs.writeFile(tmp, bytes);
    await vscode.workspace.fs.rename(tmp, this.fileUri, { overwrite: true });
  }

  /**
   * Runs `fn` holding `history.lock` (created exclusively; a lock older than 10 s is stale and
   * taken over). Other schemes than `file` have no exclusive create: there it runs unlocked.
   */
  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.storageDir.scheme !== 'file') return fn();
    const lock = vscode.Uri.joinPath(this.storageDir, LOCK).fsPath;
    await fs.mkdir(this.storageDir.fsPath, { recursive: true });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await (await fs.open(lock, 'wx')).close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const age = await fs.stat(lock).then(
          (st) => Date.now() - st.mtimeMs,
          () => 0,
        );
        // Only a lock nobody has touched for a while is taken over: a busy writer keeps its lock.
        if (age > STALE_LOCK_MS || Date.now() > deadline) {
          this.log.warn('Taking over a stale gallery history lock');
          await fs.rm(lock, { force: true });
          continue;
        }
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
