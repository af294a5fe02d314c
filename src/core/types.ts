// Shapes shared by the pure core, the services and the webviews. No `vscode` here.
import type { ModelCapabilities } from './capabilities';
import type { CapabilityProblem } from './modelRequest';

/** What a caller asks for; `extra` comes from the command argument, `extraParameters` from settings. */
export interface GenerationRequest {
  prompt: string;
  model: string;
  size: string;
  n: number;
  extraParameters?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** One image of a response: exactly one of url / b64Json is set. */
export interface GeneratedImage {
  url?: string;
  b64Json?: string;
  revisedPrompt?: string;
}

/** Token counts an answer reports (GPT image models); kept in history, shown in the gallery. */
export interface ImageUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
}

export interface GenerationResponse {
  created?: number;
  images: GeneratedImage[];
  /** `data` items that carried no usable image (the others are in `images`). */
  unusable?: Array<{ index: number; cause: 'badItem' | 'badBase64' }>;
  /** `data` items beyond the number of images asked for: not looked at, not downloaded. */
  ignored?: number;
  usage?: ImageUsage;
}

export type ImageGenErrorKind =
  | 'noKey' // no key stored for this origin
  | 'auth' // 401 / 403
  | 'badRequest' // 400 / 422 (bad size, model, content policy)
  | 'notFound' // 404 from the API
  | 'rateLimit' // 429 after retries
  | 'unavailable' // 5xx, reset, DNS, refused after retries
  | 'timeout' // no answer within the per-request timeout
  | 'badResponse' // non-JSON, HTML, missing or empty data, items without url/b64_json, invalid base64
  | 'download' // the image could not be fetched / is not an image / too large (generation itself succeeded)
  | 'insecure' // plain http to a non-loopback host not confirmed
  | 'config' // a setting or stored key that cannot be used as is (cause says which)
  | 'save' // the image is in the gallery but could not be saved or linked in the workspace (saveProblem says why)
  | 'badArgument' // a command was called with an argument it cannot use (cause names it)
  | 'invalidRequest' // a request refused before sending (cause says what is wrong)
  | 'unexpected' // a bug: the log has the stack (cause names the flow: generate, edit, illustrate)
  | 'modelList' // Test Connection: the provider answered but lists no models (a warning)
  | 'cancelled'; // the user cancelled

/** Why an image that is in the gallery did not end up linked in the document. */
export type SaveProblem =
  | 'noCache'
  | 'escapes'
  /** The folder is reached through a symbolic link that leads out of the workspace folder (or, for a
   *  document in none, out of the document's folder). */
  | 'linksOutside'
  | 'writeFailed'
  /** The saved path has %, # or \, which LaTeX's \includegraphics cannot load. */
  | 'latexPath'
  /** The document refused the edit (`file` names it). */
  | 'insertFailed';

export type DownloadProblem =
  | 'httpStatus'
  | 'notImage'
  | 'tooLarge'
  | 'network'
  | 'redirect'
  | 'timeout'
  /** The URL (or a redirect) points at a loopback, link-local or private address and the API does not. */
  | 'privateAddress';

/** Errors are values; the one place that turns them into words is services/errorPresenter.ts. */
export interface ImageGenError {
  kind: ImageGenErrorKind;
  /** Host (host[:port]) of the API or image server concerned. */
  host: string;
  /** HTTP status when there was one. */
  status?: number;
  /** The provider's own `error.message` when it sent one. */
  providerMessage?: string;
  /** First 500 characters of an unexpected body, for the log only. */
  bodyExcerpt?: string;
  /** Timeout used, for the "no answer in N s" message. */
  timeoutSeconds?: number;
  /** For kind 'download'. */
  downloadProblem?: DownloadProblem;
  /** Low-level cause for the log (e.g. ECONNRESET). */
  cause?: string;
  /** Refused before sending: what the model cannot do (kind 'badRequest', cause 'unsupported'). */
  capability?: CapabilityProblem;
  /** For kind 'save'. */
  saveProblem?: SaveProblem;
  /** The file or URL concerned (kind 'save': the document; 'modelList': the base URL). */
  file?: string;
}

/** An error found here, not at a provider (no host): a save, an argument, a bug. */
export const localError = (kind: ImageGenErrorKind, details: Partial<ImageGenError> = {}): ImageGenError => ({
  kind,
  host: '',
  ...details,
});

export type Result<T, E = ImageGenError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export interface ModelInfo {
  id: string;
  label: string;
  sizes: string[];
  /** Images one request may return; `n` above it is split into parallel requests. */
  maxPerRequest: number;
  /** Where this entry came from, for the quick pick's description. */
  source: 'builtin' | 'settings' | 'provider';
  /** What the model can do (sizes rule, options, streaming, edits); undefined = not known. */
  capabilities?: ModelCapabilities;
}

export type ImageExtension = 'png' | 'jpg' | 'webp' | 'gif';

export interface ImageType {
  ext: ImageExtension;
  mime: string;
}
