// POSIX path helpers over `Uri.path` strings (`/home/u/a.md`, `/c:/Users/x/a.md`); Windows paths
// (`C:\Users\x\a.md`, `\\server\share\a.md`) are accepted and converted first.

interface SplitPath {
  /** '' (relative), '/', '/c:/' (drive) or '//server/share/' (UNC). */
  root: string;
  rest: string;
}

/** Backslashes become slashes; `C:\x` becomes `/C:/x` (the shape of `Uri.path`). */
export function toPosixPath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  return /^[A-Za-z]:(?:\/|$)/.test(slashed) ? `/${slashed}` : slashed;
}

function splitRoot(posix: string): SplitPath {
  const drive = /^\/([A-Za-z]:)(?:\/|$)/.exec(posix);
  if (drive) return { root: `/${drive[1]}/`, rest: posix.slice(drive[0].length) };
  const unc = /^\/\/([^/]+)\/([^/]+)(?:\/|$)/.exec(posix);
  if (unc) return { root: `//${unc[1]}/${unc[2]}/`, rest: posix.slice(unc[0].length) };
  if (posix.startsWith('/')) return { root: '/', rest: posix.replace(/^\/+/, '') };
  return { root: '', rest: posix };
}

/** Drive-letter and UNC paths live on case-insensitive file systems. */
function isWindowsRoot(root: string): boolean {
  return root.startsWith('//') || /^\/[A-Za-z]:\/$/.test(root);
}

function segmentsOf(rest: string): string[] {
  return rest.split('/').filter((s) => s !== '');
}

/**
 * Resolves `.` and `..`, collapses repeated slashes and drops a trailing slash. Roots keep theirs
 * (`/`, `/c:/`, `//server/share/`); `..` never climbs above a root; a relative path may keep
 * leading `..` segments and is `.` when nothing is left.
 */
export function normalizePath(p: string): string {
  const { root, rest } = splitRoot(toPosixPath(p));
  const out: string[] = [];
  for (const segment of segmentsOf(rest)) {
    if (segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!root) out.push('..');
      continue;
    }
    out.push(segment);
  }
  if (!root) return out.join('/') || '.';
  return root + out.join('/');
}

/** Parent folder of a normalized path; a root is its own parent; `.` for a bare relative name. */
export function dirname(p: string): string {
  const { root, rest } = splitRoot(normalizePath(p));
  if (!root && rest === '.') return '.';
  const index = rest.lastIndexOf('/');
  if (index < 0) return root || '.';
  return root + rest.slice(0, index);
}

/** Last segment of the normalized path; '' for a root. */
export function basename(p: string): string {
  const { rest } = splitRoot(normalizePath(p));
  const index = rest.lastIndexOf('/');
  return index < 0 ? rest : rest.slice(index + 1);
}

/** Extension with its dot (`.png`), like Node's `path.extname`; '' for none and for dot-files. */
export function extname(p: string): string {
  const base = basename(p);
  const index = base.lastIndexOf('.');
  return index <= 0 ? '' : base.slice(index);
}

/** Joins with `/` (no resolving of later absolute parts, like `path.posix.join`), then normalizes. */
export function joinPath(...parts: string[]): string {
  const present = parts.filter((part) => part !== '');
  if (present.length === 0) return '.';
  return normalizePath(present.map(toPosixPath).join('/'));
}

function comparable(p: string): string {
  const normalized = normalizePath(p);
  return isWindowsRoot(splitRoot(normalized).root) ? normalized.toLowerCase() : normalized;
}

/**
 * Whether `child` lies below `parent` (both absolute). Drive-letter and UNC paths compare
 * case-insensitively. The folder itself counts only with `allowEqual`.
 */
export function isInside(parent: string, child: string, allowEqual = false): boolean {
  const a = comparable(parent);
  const b = comparable(child);
  if (a === b) return allowEqual;
  const prefix = a.endsWith('/') ? a : `${a}/`;
  return b.startsWith(prefix);
}

/** `file:` URI of an absolute path, each segment percent-encoded (a drive letter's colon kept). */
export function fileUriFromPath(p: string): string {
  const normalized = normalizePath(p);
  const { root, rest } = splitRoot(normalized);
  const encoded = segmentsOf(rest).map(encodeURIComponent).join('/');
  if (root.startsWith('//')) {
    const [host, share] = root.slice(2, -1).split('/');
    return `file://${host}/${encodeURIComponent(share)}${encoded ? `/${encoded}` : ''}`;
  }
  return `file://${root}${encoded}`;
}

/**
 * Link from a folder to a file as a relative POSIX path (`../img/a.png`, never a leading `./`;
 * `.` when both are the same). Drive letters and UNC paths compare case-insensitively. When the
 * two have different roots (another drive) no relative path exists: the file's absolute `file:` URI
 * is returned instead.
 */
export function relativeLink(fromDir: string, toFile: string): string {
  const from = splitRoot(normalizePath(fromDir));
  const to = splitRoot(normalizePath(toFile));
  const insensitive = isWindowsRoot(from.root) || isWindowsRoot(to.root);
  const same = (x: string, y: string): boolean =>
    insensitive ? x.toLowerCase() === y.toLowerCase() : x === y;
  if (!same(from.root, to.root)) {
    return to.root ? fileUriFromPath(toFile) : normalizePath(toFile);
  }
  const fromSegments = segmentsOf(from.rest === '.' ? '' : from.rest);
  const toSegments = segmentsOf(to.rest === '.' ? '' : to.rest);
  let common = 0;
  while (
    common < fromSegments.length &&
    common < toSegments.length &&
    same(fromSegments[common], toSegments[common])
  ) {
    common++;
  }
  const parts = [...fromSegments.slice(common).map(() => '..'), ...toSegments.slice(common)];
  return parts.join('/') || '.';
}
