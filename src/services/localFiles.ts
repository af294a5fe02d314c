// Files on the extension host's own disk (scheme `file`: global storage, the extension's own
// files, a local workspace) are read with Node, sparing the round trip through the window that
// every `workspace.fs` call costs; any other scheme goes through `workspace.fs`.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';

/** The bytes of a file. Rejects as either reader does when it is missing. */
export function readBytes(uri: vscode.Uri): Thenable<Uint8Array> {
  return uri.scheme === 'file' ? fs.readFile(uri.fsPath) : vscode.workspace.fs.readFile(uri);
}

/** Whether a file (not a folder) is there; false when it cannot be looked at. */
export function isFile(uri: vscode.Uri): Promise<boolean> {
  const stat =
    uri.scheme === 'file'
      ? fs.stat(uri.fsPath).then((s) => s.isFile())
      : Promise.resolve(vscode.workspace.fs.stat(uri)).then((s) => (s.type & vscode.FileType.File) !== 0);
  return stat.catch(() => false);
}
