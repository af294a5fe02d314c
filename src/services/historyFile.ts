import * as vscode from 'vscode';
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { parseHistory, type HistoryItem } from '../core/history';
import { readBytes } from './localFiles';
import type { Logger } from './logger';

const FILE = 'history.json';
const LOCK = 'history.lock';
/** A lock older than this was left by a window that died mid-write. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 60_000;

/** `unchanged`: the file is as this window last read or wrote it (no other window wrote since). */
export type HistoryDisk =
  { items: HistoryItem[] } | { unchanged: true } | { missing: true } | { corrupt: string };

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * The gallery's `history.json` in global storage, shared by every window: read, written under a
 * unique temporary name then renamed, guarded by a lock file, and moved aside when unreadable.
 */
export class HistoryFile {
  /** The digest of the file as this window last read or wrote it, so reading it unchanged costs no parse. */
  private lastKnown: string | undefined;
  /** Whether the user was told the unreadable file cannot be moved aside. */
  private toldStuck = false;

  constructor(
    private readonly storageDir: vscode.Uri,
    private readonly log: Logger,
    /** Tells the user about a history file that had to be kept aside. */
    private readonly report: (message: string) => void,
  ) {}

  get fileUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.storageDir, FILE);
  }

  /** What the history file holds now; unreadable or unparsable content is `corrupt` (with why). */
  async read(): Promise<HistoryDisk> {
    let bytes: Uint8Array;
    try {
      // Local global storage is read with Node: no round trip through the window while the lock is held.
      bytes = await readBytes(this.fileUri);
    } catch (e) {
      if (
        (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') ||
        (e as NodeJS.ErrnoException).code === 'ENOENT'
      )
        return { missing: true };
      return { corrupt: String(e) };
    }
    const known = digest(bytes);
    if (known === this.lastKnown) return { unchanged: true };
    try {
      const raw: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (!Array.isArray(raw)) return { corrupt: 'not a list' };
      const items = parseHistory(raw);
      this.lastKnown = known;
      return { items };
    } catch (e) {
      return { corrupt: String(e) };
    }
  }

  /**
   * Moves an unreadable history file out of the way, keeping its bytes, and says so; false when
   * it could not be moved (then it must not be written over).
   */
  async keepAside(why: string): Promise<boolean> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = vscode.Uri.joinPath(this.storageDir, `history.corrupt-${stamp}.json`);
    try {
      await vscode.workspace.fs.rename(this.fileUri, aside, { overwrite: false });
    } catch (e) {
      this.log.error(`The gallery history could not be read (${why}) nor moved aside: ${String(e)}`);
      // Every later write tries again: said once.
      if (!this.toldStuck)
        this.report(
          vscode.l10n.t(
            "The Image Gen gallery history could not be read nor moved aside ({0}). It is left as it is, and the gallery's changes are not saved until it can be moved: see the log.",
            this.fileUri.fsPath,
          ),
        );
      this.toldStuck = true;
      return false;
    }
    this.log.error(`The gallery history could not be read (${why}); kept as ${aside.fsPath}`);
    this.report(
      vscode.l10n.t(
        'The Image Gen gallery history could not be read. It was kept as {0} and a new history was started.',
        aside.fsPath,
      ),
    );
    return true;
  }

  async write(bytes: Uint8Array): Promise<void> {
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
    } else {
      await vscode.workspace.fs.createDirectory(this.storageDir);
      await vscode.workspace.fs.writeFile(tmp, bytes);
      await vscode.workspace.fs.rename(tmp, this.fileUri, { overwrite: true });
    }
    this.lastKnown = digest(bytes);
  }

  /**
   * Runs `fn` holding `history.lock` (created exclusively; a lock older than 10 s is stale and
   * taken over). Other schemes than `file` have no exclusive create: there it runs unlocked.
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
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
}
