import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { withoutPngText } from '../../../src/core/pngText';
import { PROVENANCE_KEYWORD } from '../../../src/core/provenance';
import type { TestHooks } from '../../../src/testHooks';
import { RecordingUi } from './recordingUi';

export type { TestHooks };

export const EXTENSION_ID = 'imagegen.image-gen';

/** Activates the extension and returns its test hooks (exported when IMAGE_GEN_TEST_HOOKS=1). */
export async function testHooks(): Promise<TestHooks> {
  const ext = vscode.extensions.getExtension<{ testHooks?: TestHooks }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api?.testHooks, 'the extension exports no test hooks: is IMAGE_GEN_TEST_HOOKS=1 set?');
  return api.testHooks;
}

/** Swaps the extension's UI for a fresh recording double. */
export async function recordUi(): Promise<RecordingUi> {
  const hooks = await testHooks();
  const ui = new RecordingUi();
  hooks.ui.target = ui;
  return ui;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri;
}

export function wsUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

const SETTINGS = [
  'baseUrl',
  'defaultModel',
  'defaultSize',
  'count',
  'models',
  'insertAs',
  'destination',
  'selectionBehavior',
  'altText',
  'requestTimeoutSeconds',
  'maxRetries',
  'extraParameters',
  'history.maxItems',
];

export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const c = vscode.workspace.getConfiguration('imageGen');
  for (const [k, v] of Object.entries(values)) await c.update(k, v, vscode.ConfigurationTarget.Workspace);
}

export async function resetSettings(): Promise<void> {
  const c = vscode.workspace.getConfiguration('imageGen');
  for (const k of SETTINGS) {
    if (c.inspect(k)?.workspaceValue !== undefined)
      await c.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    if (c.inspect(k)?.globalValue !== undefined)
      await c.update(k, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** Writes a document into the workspace and opens it in an editor. */
export async function openDocument(relative: string, content: string): Promise<vscode.TextEditor> {
  const uri = wsUri(relative);
  // Never write the disk under a document that is still open from an earlier test: its model would
  // then hold a stale disk version, and the next save fails with "File Modified Since" (a dialog in
  // the workbench). An open document gets the text through an edit and is saved; a closed one is
  // written, then opened.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!open) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  const doc = open ?? (await vscode.workspace.openTextDocument(uri));
  if (doc.getText() !== content) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not set the text of ${relative}`);
  }
  if (doc.isDirty && !(await doc.save())) {
    // A save conflict with the disk (something wrote under the open model): the disk gets the
    // text, and the model, reverted, reads it back.
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => !doc.isDirty && doc.getText() === content, `${relative} read back from disk`);
  }
  assert.equal(doc.getText(), content);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Selects the first occurrence of `text`. */
export function select(editor: vscode.TextEditor, text: string): void {
  const offset = editor.document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" is not in the document`);
  editor.selection = new vscode.Selection(
    editor.document.positionAt(offset),
    editor.document.positionAt(offset + text.length),
  );
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** File names in a workspace folder (empty when it does not exist). */
export async function filesIn(relative: string): Promise<string[]> {
  const entries = await vscode.workspace.fs
    .readDirectory(wsUri(relative))
    .then(undefined, () => [] as [string, vscode.FileType][]);
  return entries
    .filter(([, t]) => t === vscode.FileType.File)
    .map(([n]) => n)
    .sort();
}

export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(uri);
}

/** A saved or cached image as the provider sent it: the provenance chunk Image Gen adds to PNGs left out. */
export async function readPicture(uri: vscode.Uri): Promise<Buffer> {
  return Buffer.from(withoutPngText(await readBytes(uri), PROVENANCE_KEYWORD));
}

export async function removeAll(relative: string): Promise<void> {
  await vscode.workspace.fs.delete(wsUri(relative), { recursive: true }).then(undefined, () => undefined);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The Authorization header values the fixture server saw, per listener. */
export function authHeaders(
  requests: { server: string; headers: Record<string, string | string[] | undefined> }[],
  server?: string,
): string[] {
  return requests
    .filter((r) => !server || r.server === server)
    .map((r) => r.headers.authorization)
    .filter((h): h is string => typeof h === 'string');
}

/** An IPv4 address of this machine that is not loopback, to play a provider on another host. */
export function lanAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}
