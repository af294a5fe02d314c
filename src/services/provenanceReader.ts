import * as vscode from 'vscode';
import { sniffImageType } from '../core/imageType';
import { parseProvenance, readEmbeddedProvenance, sidecarPathOf, type Provenance } from '../core/provenance';

/** Bytes read from a workspace image to find its provenance; bigger files are not read for it. */
const MAX_READ_BYTES = 60 * 1024 * 1024;
/** Our sidecars are a few hundred bytes; anything far larger is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;

/**
 * The size of a regular file (a link to one counts), undefined for anything else: a device or a
 * pipe reports size 0 and never ends, so its size says nothing about what reading it costs.
 */
async function regularFileSize(uri: vscode.Uri, known?: vscode.FileStat): Promise<number | undefined> {
  const stat = known ?? (await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined));
  return stat && (stat.type & vscode.FileType.File) !== 0 ? stat.size : undefined;
}

/**
 * The provenance an image file carries (PRODUCT.md §11): a PNG's own iTXt chunk, else the sidecar
 * `<file>.imagegen.json`. Files of a cloned repository are input (§10): regular files only, sized
 * before they are read; the image itself is read only when it is a PNG by name. `stat` is the
 * image's, when the caller has it already.
 */
export async function readProvenanceFromFile(
  uri: vscode.Uri,
  stat?: vscode.FileStat,
): Promise<Provenance | undefined> {
  try {
    const size = await regularFileSize(uri, stat);
    if (size === undefined) return undefined;
    if (/\.png$/i.test(uri.path) && size <= MAX_READ_BYTES) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const embedded = sniffImageType(bytes)?.ext === 'png' ? readEmbeddedProvenance(bytes) : undefined;
      if (embedded) return embedded;
    }
    const sidecar = uri.with({ path: sidecarPathOf(uri.path) });
    const sidecarSize = await regularFileSize(sidecar);
    if (sidecarSize === undefined || sidecarSize > MAX_SIDECAR_BYTES) return undefined;
    const bytes = await vscode.workspace.fs.readFile(sidecar);
    return bytes.byteLength <= MAX_SIDECAR_BYTES
      ? parseProvenance(new TextDecoder().decode(bytes))
      : undefined;
  } catch {
    return undefined;
  }
}
