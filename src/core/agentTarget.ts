// Where an agent's image goes. The path an agent names is a request, not a command: it must stay in
// the workspace, name an image, and never overwrite (numbering happens when the file is written).
import { sanitizeFileName } from './fileNames';
import { basename, dirname, extname, isInside, joinPath, normalizePath, toPosixPath } from './paths';
import { err, ok, type Result } from './types';

export type TargetRefusal =
  /** An absolute path (or a URI, or `~`) outside the workspace folder. */
  | 'outside'
  /** A relative path whose `..` climbs out of the workspace folder. */
  | 'escapes'
  /** A file name whose extension is not an image's (png, jpg, jpeg, webp, gif). */
  | 'notImageName'
  /** A folder or file name no file system accepts (control characters, `<>:"|?*`, device names). */
  | 'badName';

export interface AgentTarget {
  /** Absolute POSIX path of the folder the image goes into (inside the workspace). */
  folder: string;
  /** File name without extension; the extension comes from the image's bytes. */
  baseName: string;
  /** The extension the agent asked for (lower case, no dot), when it named a file. */
  requestedExt?: string;
}

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif']);
/** Default folder for images an agent makes without naming a path. */
export const AGENT_DEFAULT_FOLDER = 'images';

function isAbsoluteLike(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:(\/|$)/.test(p.replace(/\\/g, '/'));
}

/**
 * Resolves `requested` (workspace-relative, or absolute inside `workspaceRoot`) to a folder and a
 * base name. Empty → `images/<defaultBaseName>`; a trailing `/` or a name without extension is a
 * folder; `..` that stays inside is fine, one that climbs out is refused, as is anything absolute
 * elsewhere. Names that need cleaning are refused rather than silently changed.
 */
export function resolveAgentTarget(
  workspaceRoot: string,
  requested: string | undefined,
  defaultBaseName: string,
): Result<AgentTarget, TargetRefusal> {
  const root = normalizePath(workspaceRoot);
  const text = (requested ?? '').trim();
  if (text === '') return ok({ folder: joinPath(root, AGENT_DEFAULT_FOLDER), baseName: defaultBaseName });
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(text) || text.startsWith('~')) return err('outside');
  const posix = toPosixPath(text);
  const asked = isAbsoluteLike(text) ? normalizePath(posix) : joinPath(root, posix);
  if (!isInside(root, asked, true)) return err(isAbsoluteLike(text) ? 'outside' : 'escapes');
  // Rebuilt on the root as given, so a drive letter's case follows the workspace's.
  const relative = asked.slice(root.length).replace(/^\/+/, '');
  const absolute = joinPath(root, relative);
  for (const segment of relative.split('/').filter((s) => s !== '')) {
    if (sanitizeFileName(segment) !== segment) return err('badName');
  }
  const namesFolder = /[\\/]$/.test(text) || absolute === root || extname(absolute) === '';
  if (namesFolder) return ok({ folder: absolute, baseName: defaultBaseName });
  const ext = extname(absolute).slice(1).toLowerCase();
  if (!IMAGE_EXTENSIONS.has(ext)) return err('notImageName');
  const name = basename(absolute);
  return ok({
    folder: dirname(absolute),
    baseName: name.slice(0, name.length - ext.length - 1),
    requestedExt: ext,
  });
}

/** `<name>-edit-<time>` for an edit of `sourcePath` (the extension comes from the result's bytes). */
export function editBaseName(sourcePath: string, timestamp: string): string {
  const name = basename(sourcePath);
  const ext = extname(name);
  return `${ext ? name.slice(0, -ext.length) : name}-edit-${timestamp}`;
}

/**
 * An image an agent names to edit or use as reference, as an absolute path inside the workspace;
 * undefined when it lies outside (the provider must never receive files from elsewhere).
 */
export function resolveAgentSource(workspaceRoot: string, requested: string): string | undefined {
  const text = requested.trim();
  if (text === '' || /^[A-Za-z][A-Za-z0-9+.-]+:/.test(text) || text.startsWith('~')) return undefined;
  const root = normalizePath(workspaceRoot);
  const absolute = isAbsoluteLike(text)
    ? normalizePath(toPosixPath(text))
    : joinPath(root, toPosixPath(text));
  return isInside(root, absolute) ? absolute : undefined;
}
