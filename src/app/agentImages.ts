// The use case behind the language-model tools: make or edit images into a workspace path, with
// no UI at all (an agent's call has nobody to answer an input box), cancellable by the caller.
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { EditInput, GenerateInput } from '../core/agentInput';
import {
  editBaseName,
  resolveAgentSource,
  resolveAgentTarget,
  type TargetRefusal,
} from '../core/agentTarget';
import { fileTimestamp, imageFileName } from '../core/fileNames';
import type { HistoryItem } from '../core/history';
import { sniffImageType } from '../core/imageType';
import { hostOf, isValidBaseUrl, originOf } from '../core/origin';
import { basename, dirname, isInside, joinPath, relativeLink } from '../core/paths';
import { altTextFromPrompt, buildSnippet } from '../core/snippets';
import { err, ok, type ImageGenError, type Result } from '../core/types';
import type { ApiKeyStore } from '../services/apiKeys';
import type { ConfigurationReader } from '../services/configuration';
import type { HistoryStore } from '../services/historyStore';
import type { GenerationOutcome, ImageGenerator } from '../services/imageGenerator';
import type { ImageSaver } from '../services/imageSaver';
import type { InsecureOriginGate } from '../services/insecureOrigins';

/** Images up to this size travel back to the agent as data parts too. */
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

export interface SavedImage {
  uri: vscode.Uri;
  /** Workspace-relative POSIX path. */
  path: string;
  markdown: string;
  /** Set when the file did not get the name asked for (it existed, or the bytes had another type). */
  requestedPath?: string;
  bytes?: Uint8Array;
  mime?: string;
}

export interface AgentOutcome {
  saved: SavedImage[];
  /** Images the provider made that could not be kept, and other partial failures. */
  problems: ImageGenError[];
}

export type AgentFailure =
  | { kind: 'noWorkspace' }
  | { kind: 'path'; refusal: TargetRefusal; path: string }
  | { kind: 'source'; problem: 'outside' | 'unreadable' | 'notImage'; path: string }
  | { kind: 'badBaseUrl'; host: string }
  | { kind: 'insecure'; host: string }
  | { kind: 'noKey'; host: string }
  | { kind: 'api'; error: ImageGenError }
  | { kind: 'saveFailed'; path: string };

export interface AgentImagesDeps {
  config: ConfigurationReader;
  keys: ApiKeyStore;
  gate: InsecureOriginGate;
  generator: ImageGenerator;
  saver: ImageSaver;
  history: HistoryStore;
  workspaceFolder: () => vscode.Uri | undefined;
}

/** A folder resolved through symlinks must still lie in the workspace (only checkable on disk). */
async function staysInside(root: vscode.Uri, folder: string): Promise<boolean> {
  if (root.scheme !== 'file') return true;
  const realRoot = await realpath(root.fsPath).catch(() => root.fsPath);
  let probe = vscode.Uri.file(folder).fsPath;
  for (let i = 0; i < 64; i++) {
    const real = await realpath(probe).catch(() => undefined);
    if (real !== undefined) return isInside(realRoot, real, true);
    const parent = vscode.Uri.joinPath(vscode.Uri.file(probe), '..').fsPath;
    if (parent === probe) return false;
    probe = parent;
  }
  return false;
}

export class AgentImages {
  constructor(private readonly deps: AgentImagesDeps) {}

  async generate(input: GenerateInput, signal: AbortSignal): Promise<Result<AgentOutcome, AgentFailure>> {
    const root = this.deps.workspaceFolder();
    if (!root) return err({ kind: 'noWorkspace' });
    const config = this.deps.config.get();
    const base = imageFileName(input.prompt, new Date(), '');
    const target = await this.target(root, input.path, base);
    if (!target.ok) return target;
    const ready = await this.ready();
    if (!ready.ok) return ready;
    const request = {
      prompt: input.prompt,
      model: input.model ?? config.defaultModel,
      size: input.size ?? config.defaultSize,
      n: input.n,
    };
    const outcome = await this.deps.generator.generate(request, signal);
    return this.place(root, outcome, target.value, input.prompt, signal);
  }

  async edit(input: EditInput, signal: AbortSignal): Promise<Result<AgentOutcome, AgentFailure>> {
    const root = this.deps.workspaceFolder();
    if (!root) return err({ kind: 'noWorkspace' });
    const config = this.deps.config.get();
    const sources = await this.readSources(root, [input.image, ...input.references]);
    if (!sources.ok) return sources;
    let mask: { filename: string; bytes: Uint8Array } | undefined;
    if (input.mask) {
      const read = await this.readSources(root, [input.mask]);
      if (!read.ok) return read;
      mask = read.value[0];
    }
    const sourcePath = resolveAgentSource(root.path, input.image) ?? input.image;
    const base = editBaseName(sourcePath, fileTimestamp(new Date()));
    // Without a path the result goes beside the source (which lies in the workspace).
    const target = await this.target(
      root,
      input.path ?? `${relativeLink(root.path, dirname(sourcePath))}/`,
      base,
    );
    if (!target.ok) return target;
    const ready = await this.ready();
    if (!ready.ok) return ready;
    const outcome = await this.deps.generator.edit(
      {
        prompt: input.prompt,
        model: input.model ?? config.defaultModel,
        size: input.size,
        n: 1,
        images: sources.value,
        mask,
      },
      signal,
    );
    return this.place(root, outcome, target.value, input.prompt, signal);
  }

  private async target(
    root: vscode.Uri,
    path: string | undefined,
    base: string,
  ): Promise<Result<{ folder: string; baseName: string; requested?: string }, AgentFailure>> {
    const resolved = resolveAgentTarget(root.path, path, base);
    if (!resolved.ok) return err({ kind: 'path', refusal: resolved.error, path: path ?? '' });
    if (!(await staysInside(root, resolved.value.folder)))
      return err({ kind: 'path', refusal: 'outside', path: path ?? '' });
    const { folder, baseName, requestedExt } = resolved.value;
    const requested = requestedExt
      ? relativeLink(root.path, joinPath(folder, `${baseName}.${requestedExt}`))
      : undefined;
    return ok({ ...resolved.value, requested });
  }

  /** Base URL usable, http confirmed before, and a key stored: an agent's call never asks the user. */
  private async ready(): Promise<Result<true, AgentFailure>> {
    const { baseUrl } = this.deps.config.get();
    const host = hostOf(baseUrl);
    const origin = originOf(baseUrl);
    if (!origin || !isValidBaseUrl(baseUrl)) return err({ kind: 'badBaseUrl', host });
    if (!this.deps.gate.allowed(baseUrl)) return err({ kind: 'insecure', host });
    if (!(await this.deps.keys.get(origin))) return err({ kind: 'noKey', host });
    return ok(true);
  }

  private async readSources(
    root: vscode.Uri,
    paths: readonly string[],
  ): Promise<Result<Array<{ filename: string; bytes: Uint8Array }>, AgentFailure>> {
    const files: Array<{ filename: string; bytes: Uint8Array }> = [];
    for (const path of paths) {
      const absolute = resolveAgentSource(root.path, path);
      if (!absolute || !(await staysInside(root, absolute)))
        return err({ kind: 'source', problem: 'outside', path });
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(root.with({ path: absolute }));
      } catch {
        return err({ kind: 'source', problem: 'unreadable', path });
      }
      if (!sniffImageType(bytes)) return err({ kind: 'source', problem: 'notImage', path });
      files.push({ filename: basename(absolute), bytes });
    }
    return ok(files);
  }

  private async place(
    root: vscode.Uri,
    outcome: Result<GenerationOutcome>,
    target: { folder: string; baseName: string; requested?: string },
    prompt: string,
    signal: AbortSignal,
  ): Promise<Result<AgentOutcome, AgentFailure>> {
    if (!outcome.ok) return err({ kind: 'api', error: outcome.error });
    const saved: SavedImage[] = [];
    const problems = [...outcome.value.problems];
    for (const item of outcome.value.items) {
      if (signal.aborted) break;
      if (!item.cacheFile) continue;
      const image = await this.saveOne(root, item, target, prompt);
      if (!image) return err({ kind: 'saveFailed', path: relativeLink(root.path, target.folder) });
      saved.push(image);
    }
    if (signal.aborted) {
      // The caller gave up: what was written for it goes again, the gallery keeps the images.
      await Promise.all(saved.map((s) => vscode.workspace.fs.delete(s.uri).then(undefined, () => undefined)));
      return err({ kind: 'api', error: { kind: 'cancelled', host: hostOf(this.deps.config.get().baseUrl) } });
    }
    return ok({ saved, problems });
  }

  private async saveOne(
    root: vscode.Uri,
    item: HistoryItem,
    target: { folder: string; baseName: string; requested?: string },
    prompt: string,
  ): Promise<SavedImage | undefined> {
    const ext = item.cacheFile?.split('.').pop() ?? 'png';
    const wanted = root.with({ path: joinPath(target.folder, `${target.baseName}.${ext}`) });
    const result = await this.deps.saver.save(item, wanted);
    if (!result.ok) return undefined;
    const uri = result.value;
    const current = this.deps.history.get(item.id)?.savedUris ?? item.savedUris;
    void this.deps.history.update(item.id, { savedUris: [...current, uri.toString()] });
    const path = relativeLink(root.path, uri.path);
    const image: SavedImage = {
      uri,
      path,
      markdown: buildSnippet('markdown', path, altTextFromPrompt(prompt)),
    };
    // Named file taken, or the bytes are of another type than the name said: the agent learns why.
    if (target.requested !== undefined && target.requested !== path) image.requestedPath = target.requested;
    else if (uri.path !== wanted.path) image.requestedPath = relativeLink(root.path, wanted.path);
    if ((item.bytes ?? Infinity) <= MAX_INLINE_IMAGE_BYTES && item.mime) {
      image.bytes = await Promise.resolve(vscode.workspace.fs.readFile(uri)).catch(() => undefined);
      image.mime = item.mime;
    }
    return image;
  }
}
