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

/**
 * Where the gallery's Delete and Clear Cache move files so Undo can bring them back: one folder
 * per window session, one sub-folder per action. Folders of earlier sessions are emptied on load.
 */
export class HistoryTrash {
  private count = 0;
  private readonly session = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;

  constructor(readonly dir: vscode.Uri) {}

  /** A fresh folder for one Delete or Clear Cache of this session. */
  next(): vscode.Uri {
    return vscode.Uri.joinPath(this.dir, this.session, String(++this.count));
  }

  /** What earlier sessions deleted can no longer be undone: their files go. */
  async emptyOld(): Promise<void> {
    const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(this.dir)).catch(() => []);
    for (const [name] of entries) {
      if (name === this.session) continue;
      await Promise.resolve(
        vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, name), { recursive: true }),
      ).catch(() => undefined);
    }
  }
}
