import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { dirname } from '../core/paths';

/** Moves a file or folder; false when there was nothing to move or it failed. */
export async function moveQuietly(from: vscode.Uri, to: vscode.Uri, overwrite = false): Promise<boolean> {
  try {
    await vscode.workspace.fs.createDirectory(to.with({ path: dirname(to.path) }));
    await vscode.workspace.fs.rename(from, to, { overwrite });
    return true;
  } catch {
    return false;
  }
}

/** Copies the first of `sources` (URI strings) that can be read to `target`; false when none could. */
export async function copyFirstExisting(sources: readonly string[], target: vscode.Uri): Promise<boolean> {
  for (const saved of sources) {
    const ok = await Promise.resolve(
      vscode.workspace.fs.copy(vscode.Uri.parse(saved), target, { overwrite: true }),
    ).then(
      () => true,
      () => false,
    );
    if (ok) return true;
  }
  return false;
}

/** How long a session's trash outlives its last Delete or Clear Cache. */
export const TRASH_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Where the gallery's Delete and Clear Cache move files so Undo can bring them back: one folder
 * per window session, one sub-folder per action. Another window (or a later session) empties the
 * folders untouched for a day: a window still open may yet undo what it moved there.
 */
export class HistoryTrash {
  private count = 0;
  private readonly session = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;

  constructor(readonly dir: vscode.Uri) {}

  /** A fresh folder for one Delete or Clear Cache of this session. */
  next(): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, this.session, String(++this.count));
  }

  /** Sessions with no Delete or Clear Cache for a day can no longer be undone: their files go. */
  async emptyOld(now = Date.now()): Promise<void> {
    const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(this.dir)).catch(() => []);
    for (const [name] of entries) {
      if (name === this.session) continue;
      const folder = vscode.Uri.joinPath(this.dir, name);
      // A session folder changes when an action adds its sub-folder.
      const changed = await Promise.resolve(vscode.workspace.fs.stat(folder)).then(
        (stat) => stat.mtime,
        () => 0,
      );
      if (now - changed < TRASH_KEEP_MS) continue;
      await Promise.resolve(vscode.workspace.fs.delete(folder, { recursive: true })).catch(() => undefined);
    }
  }
}
