import * as vscode from 'vscode';
import { resolveDestination } from '../core/destination';
import { imageFileName, numberedFileName } from '../core/fileNames';
import type { HistoryItem } from '../core/history';
import { basename, dirname, joinPath } from '../core/paths';
import { err, ok, type Result } from '../core/types';

export type SaveProblem = 'noCache' | 'escapes' | 'writeFailed';

const MAX_NUMBER = 9999;

function isFileExists(e: unknown): boolean {
  return (
    (e instanceof vscode.FileSystemError && e.code === 'FileExists') ||
    (e instanceof Error && /EEXIST|FileExists|already exists/i.test(`${e.name} ${e.message}`))
  );
}

function isFileNotFound(e: unknown): boolean {
  return (
    (e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'EntryNotFound')) ||
    (e instanceof Error && /ENOENT|FileNotFound|EntryNotFound/i.test(`${e.name} ${e.message}`))
  );
}

/**
 * Puts cached images into the workspace with `workspace.fs` (so Remote/WSL/SSH work), never
 * overwriting: names are reserved in-process and copied with `overwrite: false`, taking the next
 * `-N` on `FileExists`, so ten generations at once still get ten files.
 */
export class ImageSaver {
  private readonly reserved = new Set<string>();

  constructor(
    private readonly cacheUri: (item: HistoryItem) => vscode.Uri | undefined,
    /** Runs after a file was written (sidecar provenance for formats without a text chunk). */
    private readonly afterSave?: (item: HistoryItem, saved: vscode.Uri) => Promise<void>,
  ) {}

  /** `<prompt-slug>-<yyyyMMdd-HHmmss>.<ext>`, the extension from the cached image's type. */
  fileNameFor(item: HistoryItem): string {
    return imageFileName(item.prompt, new Date(item.createdAt), item.cacheFile?.split('.').pop() ?? 'png');
  }

  /** Where the image goes for this document per `imageGen.destination`. */
  destinationFor(item: HistoryItem, document: vscode.Uri, template: string): Result<vscode.Uri, SaveProblem> {
    const folder = vscode.workspace.getWorkspaceFolder(document);
    const path = resolveDestination(template, {
      documentPath: document.path,
      workspaceFolderPath: folder?.uri.path,
      fileName: this.fileNameFor(item),
      now: new Date(item.createdAt),
    });
    if (!path.ok) return err(path.error === 'escapes' ? 'escapes' : 'writeFailed');
    return ok(document.with({ path: path.value, query: '', fragment: '' }));
  }

  /** Copies the cached image to `target`, or `target-1`, `target-2`… if taken. */
  async save(item: HistoryItem, target: vscode.Uri): Promise<Result<vscode.Uri, SaveProblem>> {
    const source = this.cacheUri(item);
    if (!source) return err('noCache');
    const dir = target.with({ path: dirname(target.path) });
    // The folder usually exists: create it only when the first copy says it is missing.
    let dirCreated = false;
    for (let n = 0; n <= MAX_NUMBER; n++) {
      const candidate = dir.with({ path: joinPath(dir.path, numberedFileName(basename(target.path), n)) });
      const key = candidate.toString();
      if (this.reserved.has(key)) continue;
      this.reserved.add(key);
      try {
        await vscode.workspace.fs.copy(source, candidate, { overwrite: false });
        await this.afterSave?.(item, candidate).then(undefined, () => undefined);
        return ok(candidate);
      } catch (e) {
        if (isFileExists(e)) continue;
        if (!dirCreated && isFileNotFound(e)) {
          dirCreated = true;
          try {
            await vscode.workspace.fs.createDirectory(dir);
          } catch {
            return err('writeFailed');
          }
          n--;
          continue;
        }
        // Whatever got written under our reserved name is incomplete: remove it.
        await vscode.workspace.fs.delete(candidate).then(undefined, () => undefined);
        return err('writeFailed');
      } finally {
        this.reserved.delete(key);
      }
    }
    return err('writeFailed');
  }
}
