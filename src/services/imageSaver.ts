import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { resolveDestination } from '../core/destination';
import { imageFileName, numberedFileName } from '../core/fileNames';
import type { HistoryItem } from '../core/history';
import { basename, dirname, joinPath } from '../core/paths';
import { err, ok, type Result, type SaveProblem } from '../core/types';
import { copyCreateOnly, makeFolder } from './fileCopy';

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

  /** A copy is in place: its provenance sidecar (when there is one) follows; a failure there loses nothing. */
  private async saved(item: HistoryItem, candidate: vscode.Uri): Promise<Result<vscode.Uri, SaveProblem>> {
    await this.afterSave?.(item, candidate).then(undefined, () => undefined);
    return ok(candidate);
  }

  /**
   * Copies the cached image to `target`, or `target-1`, `target-2`… if taken. `container` is the
   * folder the file must stay in when `target` is in no workspace folder (a document opened from
   * elsewhere keeps its images beside it).
   */
  async save(
    item: HistoryItem,
    target: vscode.Uri,
    container?: vscode.Uri,
  ): Promise<Result<vscode.Uri, SaveProblem>> {
    const source = this.cacheUri(item);
    if (!source) return err('noCache');
    const dir = target.with({ path: dirname(target.path) });
    if (!(await this.staysInside(dir, container))) return err('linksOutside');
    // The folder usually exists: create it only when the first copy says it is missing.
    let dirCreated = false;
    for (let n = 0; n <= MAX_NUMBER; n++) {
      const candidate = dir.with({ path: joinPath(dir.path, numberedFileName(basename(target.path), n)) });
      const key = candidate.toString();
      if (this.reserved.has(key)) continue;
      this.reserved.add(key);
      try {
        // A symbolic link (even a dangling one) under the name would be written through: taken.
        if (candidate.scheme === 'file' && (await lstatExists(candidate.fsPath))) continue;
        const fast = await copyCreateOnly(source, candidate);
        if (fast === 'copied') return this.saved(item, candidate);
        if (fast === 'exists') continue;
        if (fast === 'noFolder' && !dirCreated) {
          dirCreated = true;
          if (!(await makeFolder(dir))) return err('writeFailed');
          n--;
          continue;
        }
        if (fast !== undefined) return err('writeFailed');
        await vscode.workspace.fs.copy(source, candidate, { overwrite: false });
        return this.saved(item, candidate);
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

  /**
   * Whether the folder, with every symbolic link on the way resolved, is still inside the
   * workspace folder it appears to be in, or else inside `container` (a link may point anywhere).
   * Only checkable on the extension host's own disk (`file:`); elsewhere the path checks apply.
   */
  private async staysInside(dir: vscode.Uri, container?: vscode.Uri): Promise<boolean> {
    const within = vscode.workspace.getWorkspaceFolder(dir)?.uri ?? container;
    if (dir.scheme !== 'file' || !within || within.scheme !== 'file') return true;
    const root = await fs.realpath(within.fsPath).catch(() => within.fsPath);
    const real = await realExistingPath(dir.fsPath);
    const relative = nodePath.relative(root, real);
    return relative === '' || (!relative.startsWith('..') && !nodePath.isAbsolute(relative));
  }
}

async function lstatExists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}

/** The real path of `path`, or of its nearest existing ancestor joined with the parts still missing. */
async function realExistingPath(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return nodePath.join(await fs.realpath(current), ...missing.reverse());
    } catch {
      const parent = nodePath.dirname(current);
      if (parent === current) return path;
      missing.push(nodePath.basename(current));
      current = parent;
    }
  }
}
