// The MCP server's use case: the same core as the extension (client, request rules, downloads,
// path confinement), with Node's file system instead of VS Code's and env instead of settings.
import { downloadGuard, systemResolver, type AddressResolver } from '../core/addressPolicy';
import { ImageApiClient, decodeB64Image, downloadImage, type FetchLike, type LogFn } from '../core/apiClient';
import { apiKeyProblem } from '../core/apiKey';
import type { EditInput, GenerateInput } from '../core/agentInput';
import { editBaseName, resolveAgentSource, resolveAgentTarget } from '../core/agentTarget';
import { validateEditRequest, type EditImageFile } from '../core/editRequest';
import { fileTimestamp, imageFileName } from '../core/fileNames';
import { hostOf, isValidBaseUrl } from '../core/origin';
import { basename, dirname, relativeLink, toPosixPath } from '../core/paths';
import { validateRequest } from '../core/request';
import { altTextFromPrompt, buildSnippet } from '../core/snippets';
import type { GenerationResponse, ImageGenError, Result } from '../core/types';
import { WorkspaceWriter } from './workspaceWriter';

export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

export interface McpSettings {
  baseUrl: string;
  apiKey?: string;
  workspace: string;
  model: string;
  size: string;
  timeoutMs: number;
  maxRetries: number;
}

/** Reads IMAGE_GEN_* from the environment; an unusable value is a startup error, said on stderr. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Result<McpSettings, string> {
  const baseUrl = (env.IMAGE_GEN_BASE_URL ?? 'https://api.qhaigc.net/v1').trim();
  if (!isValidBaseUrl(baseUrl))
    return {
      ok: false,
      error: `IMAGE_GEN_BASE_URL is not an http(s) URL without user info: ${hostOf(baseUrl)}`,
    };
  const workspace = (env.IMAGE_GEN_WORKSPACE ?? '').trim();
  if (!workspace)
    return { ok: false, error: 'IMAGE_GEN_WORKSPACE must name the folder images may be written to.' };
  const number = (value: string | undefined, fallback: number, min: number, max: number): number => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
  };
  return {
    ok: true,
    value: {
      baseUrl,
      apiKey: env.IMAGE_GEN_API_KEY?.trim() || undefined,
      workspace,
      model: env.IMAGE_GEN_MODEL?.trim() || 'qh-draw-x2-preview',
      size: env.IMAGE_GEN_SIZE?.trim() || '1024x1024',
      timeoutMs: number(env.IMAGE_GEN_TIMEOUT_SECONDS, 180, 1, 3600) * 1000,
      maxRetries: number(env.IMAGE_GEN_MAX_RETRIES, 2, 0, 10),
    },
  };
}

export interface McpSaved {
  path: string;
  markdown: string;
  requestedPath?: string;
  bytes: Uint8Array;
  mime: string;
}

export type McpOutcome = Result<{ saved: McpSaved[]; problems: string[] }, string>;

function describe(e: ImageGenError, edit = false): string {
  const provider = e.providerMessage ? `: ${e.providerMessage}` : '';
  if (edit && e.cause === 'editsUnsupported')
    return `This provider or model does not support edits${provider || ` (HTTP ${e.status})`}`;
  switch (e.kind) {
    case 'auth':
      return `${e.host} rejected the API key (HTTP ${e.status}). Check IMAGE_GEN_API_KEY.`;
    case 'badRequest':
      return `${e.host} refused the request${provider || ` (HTTP ${e.status})`}`;
    case 'notFound':
      return `The image endpoint was not found at ${e.host}. Check IMAGE_GEN_BASE_URL.`;
    case 'rateLimit':
      return `${e.host} is rate limiting requests or the quota is used up.`;
    case 'unavailable':
      return `${e.host} is unavailable right now (${e.cause ?? `HTTP ${e.status}`}).`;
    case 'timeout':
      return `No answer from ${e.host} in ${e.timeoutSeconds} s; not repeated, since generation is paid.`;
    case 'download':
      return e.downloadProblem === 'privateAddress'
        ? 'An image was made but not downloaded: its URL is on this machine or a private network, and the API is not.'
        : `An image was made but could not be downloaded (${e.downloadProblem ?? e.cause}).`;
    case 'cancelled':
      return 'Cancelled.';
    default:
      return `Unexpected response from ${e.host}${e.cause ? ` (${e.cause})` : ''}.`;
  }
}

const REFUSALS = {
  outside: 'it lies outside the workspace folder',
  escapes: 'its ".." climbs out of the workspace folder',
  notImageName: 'an image file name ends in .png, .jpg, .jpeg, .webp or .gif',
  badName: 'it has characters a file name cannot have',
} as const;

export class McpImages {
  private readonly writer: WorkspaceWriter;

  constructor(
    private readonly settings: McpSettings,
    private readonly fetch: FetchLike,
    private readonly log: LogFn,
    private readonly resolve: AddressResolver = systemResolver,
  ) {
    this.writer = new WorkspaceWriter(settings.workspace);
  }

  private get root(): string {
    return toPosixPath(this.settings.workspace);
  }

  private client(): ImageApiClient | string {
    if (!this.settings.apiKey)
      return "IMAGE_GEN_API_KEY is not set for this MCP server: add it to the server's environment in the client configuration.";
    if (apiKeyProblem(this.settings.apiKey))
      return 'IMAGE_GEN_API_KEY holds characters no API key has (spaces, line breaks or invisible ones): copy the key again.';
    return new ImageApiClient({
      fetch: this.fetch,
      baseUrl: this.settings.baseUrl,
      apiKey: this.settings.apiKey,
      timeoutMs: this.settings.timeoutMs,
      maxRetries: this.settings.maxRetries,
      log: this.log,
    });
  }

  async generate(input: GenerateInput, signal: AbortSignal): Promise<McpOutcome> {
    const request = {
      prompt: input.prompt,
      model: input.model ?? this.settings.model,
      size: input.size ?? this.settings.size,
      n: input.n,
    };
    const problem = validateRequest(request);
    if (problem) return { ok: false, error: `The request is not valid (${problem}).` };
    const base = imageFileName(input.prompt, new Date(), '');
    const target = await this.target(input.path, base);
    if (typeof target === 'string') return { ok: false, error: target };
    const client = this.client();
    if (typeof client === 'string') return { ok: false, error: client };
    const answer = await client.generate(request, signal);
    return this.save(answer, target, input.prompt, signal, false);
  }

  async edit(input: EditInput, signal: AbortSignal): Promise<McpOutcome> {
    const files: EditImageFile[] = [];
    for (const path of [input.image, ...input.references, ...(input.mask ? [input.mask] : [])]) {
      const absolute = resolveAgentSource(this.root, path);
      const bytes = absolute ? await this.writer.read(absolute) : undefined;
      if (!absolute || !bytes)
        return {
          ok: false,
          error: `The image "${path}" was refused: it is not a readable file inside the workspace folder.`,
        };
      files.push({ filename: basename(absolute), bytes });
    }
    const mask = input.mask ? files.pop() : undefined;
    const request = {
      prompt: input.prompt,
      model: input.model ?? this.settings.model,
      size: input.size,
      n: 1,
      images: files,
      mask,
    };
    const problem = validateEditRequest(request);
    if (problem) return { ok: false, error: `The edit is not valid (${problem}).` };
    const source = resolveAgentSource(this.root, input.image) ?? this.root;
    const base = editBaseName(source, fileTimestamp(new Date()));
    const target = await this.target(input.path ?? `${relativeLink(this.root, dirname(source))}/`, base);
    if (typeof target === 'string') return { ok: false, error: target };
    const client = this.client();
    if (typeof client === 'string') return { ok: false, error: client };
    const answer = await client.edit(request, signal);
    return this.save(answer, target, input.prompt, signal, true);
  }

  private async target(
    path: string | undefined,
    base: string,
  ): Promise<{ folder: string; baseName: string; requested?: string } | string> {
    const resolved = resolveAgentTarget(this.root, path, base);
    if (!resolved.ok) return `The path "${path}" was refused: ${REFUSALS[resolved.error]}.`;
    if (!(await this.writer.staysInside(resolved.value.folder)))
      return `The path "${path}" was refused: ${REFUSALS.outside}.`;
    const { folder, baseName, requestedExt } = resolved.value;
    return {
      folder,
      baseName,
      requested: requestedExt ? relativeLink(this.root, `${folder}/${baseName}.${requestedExt}`) : undefined,
    };
  }

  private async save(
    answer: Result<GenerationResponse>,
    target: { folder: string; baseName: string; requested?: string },
    prompt: string,
    signal: AbortSignal,
    edit: boolean,
  ): Promise<McpOutcome> {
    if (!answer.ok) return { ok: false, error: describe(answer.error, edit) };
    const saved: McpSaved[] = [];
    const problems: string[] = [];
    // As in the extension (§10): images on private addresses only when the API is on one itself.
    const mayFetch = downloadGuard(this.settings.baseUrl, this.resolve);
    for (const image of answer.value.images) {
      const fetched = image.b64Json
        ? decodeB64Image(image.b64Json, hostOf(this.settings.baseUrl), MAX_IMAGE_BYTES)
        : await downloadImage(this.fetch, image.url ?? '', {
            signal,
            timeoutMs: this.settings.timeoutMs,
            maxBytes: MAX_IMAGE_BYTES,
            log: this.log,
            mayFetch,
          });
      if (signal.aborted) break;
      if (!fetched.ok) {
        problems.push(`${describe(fetched.error)}${image.url ? ` URL: ${image.url}` : ''}`);
        continue;
      }
      const file = await this.writer.writeNew(
        target.folder,
        `${target.baseName}.${fetched.value.type.ext}`,
        fetched.value.bytes,
      );
      const path = relativeLink(this.root, toPosixPath(file));
      const item: McpSaved = {
        path,
        markdown: buildSnippet('markdown', path, altTextFromPrompt(prompt)),
        bytes: fetched.value.bytes,
        mime: fetched.value.type.mime,
      };
      const wanted =
        target.requested ??
        relativeLink(this.root, `${target.folder}/${target.baseName}.${fetched.value.type.ext}`);
      if (wanted !== path) item.requestedPath = wanted;
      saved.push(item);
    }
    if (signal.aborted) return { ok: false, error: 'Cancelled.' };
    if (saved.length === 0) return { ok: false, error: problems[0] ?? 'No image arrived.' };
    return { ok: true, value: { saved, problems } };
  }
}
