// Files for the MCP server: reads sources and writes results inside one workspace folder, never
// following a symlink out of it and never overwriting (create-only writes, `-N` on a taken name).
import { mkdir, readFile, realpath, unlink, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { numberedFileName } from '../core/fileNames';
import { isInside } from '../core/paths';

const MAX_NUMBER = 9999;

export class WorkspaceWriter {
  constructor(readonly root: string) {}

  /** Whether `target` (a file or folder, existing or not) resolves through symlinks to inside the workspace. */
  async staysInside(target: string): Promise<boolean> {
    const realRoot = await realpath(this.root).catch(() => this.root);
    let probe = nodePath.resolve(target);
    for (;;) {
      const real = await realpath(probe).catch(() => undefined);
      if (real !== undefined) return isInside(realRoot, real, true);
      const parent = nodePath.dirname(probe);
      if (parent === probe) return false;
      probe = parent;
    }
  }

  async read(file: string): Promise<Uint8Array | undefined> {
    if (!(await this.staysInside(file))) return undefined;
    return readFile(file).then(
      (b) => new Uint8Array(b),
      () => undefined,
    );
  }

  /** Writes `name` in `folder`, or `name-1`, `name-2`… when taken; returns the path written. */
  async writeNew(folder: string, name: string, bytes: Uint8Array): Promise<string> {
    await mkdir(folder, { recursive: true });
    if (!(await this.staysInside(folder))) throw new Error('the folder resolves outside the workspace');
    for (let n = 0; n <= MAX_NUMBER; n++) {
      const file = nodePath.join(folder, numberedFileName(name, n));
      try {
        await writeFile(file, bytes, { flag: 'wx' });
        return file;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        // A create-only write that failed midway leaves our own partial file: remove it.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(file).catch(() => undefined);
        throw e;
      }
    }
    throw new Error('no free file name');
  }
}
