import { constants, promises as fs } from 'node:fs';
import type * as vscode from 'vscode';

export type CopyOutcome = 'copied' | 'exists' | 'noFolder' | 'failed';

/**
 * A create-only copy on the extension host's own disk (PRODUCT.md §5.6): `COPYFILE_EXCL` is
 * atomic never-overwrite with no round trip through the workbench. Undefined when it does not
 * apply (a scheme other than `file:`), so the caller goes through `workspace.fs`.
 */
export async function copyCreateOnly(
  source: vscode.Uri,
  target: vscode.Uri,
): Promise<CopyOutcome | undefined> {
  if (source.scheme !== 'file' || target.scheme !== 'file') return undefined;
  try {
    await fs.copyFile(source.fsPath, target.fsPath, constants.COPYFILE_EXCL);
    return 'copied';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'exists';
    if (code === 'ENOENT') {
      // Either the folder is missing or the source is: only the first can be fixed.
      const sourceThere = await fs.stat(source.fsPath).then(
        () => true,
        () => false,
      );
      return sourceThere ? 'noFolder' : 'failed';
    }
    await fs.rm(target.fsPath, { force: true }).catch(() => undefined);
    return 'failed';
  }
}

/** Creates the folder (and its parents) on the host's disk. */
export async function makeFolder(folder: vscode.Uri): Promise<boolean> {
  return fs.mkdir(folder.fsPath, { recursive: true }).then(
    () => true,
    () => false,
  );
}
