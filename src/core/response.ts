// Reading what the API answered: generation results, model lists and error bodies.
import { normalizeBase64 } from './base64';
import { readUsage } from './imageStream';
import type { GeneratedImage, GenerationResponse, ImageGenError, Result } from './types';
import { err, ok } from './types';

export const BODY_EXCERPT_LENGTH = 500;
const PROVIDER_MESSAGE_LENGTH = 500;

/** The first `max` characters, without leaving half a surrogate pair at the end. */
export function excerpt(text: string, max = BODY_EXCERPT_LENGTH): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cleanMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? excerpt(trimmed, PROVIDER_MESSAGE_LENGTH).trim() : undefined;
}

/**
 * The provider's own words from an error body: `{error:{message}}` (OpenAI), `{error:"…"}`,
 * `{message:"…"}`, `{detail:"…"}` or FastAPI's `{detail:[{msg}]}`; trimmed, at most 500 characters.
 * Non-JSON bodies (HTML error pages) give undefined.
 */
export function extractProviderMessage(body: string): string | undefined {
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const error = json.error;
  if (isRecord(error)) {
    const message = cleanMessage(error.message);
    if (message) return message;
  }
  const direct = cleanMessage(error) ?? cleanMessage(json.message) ?? cleanMessage(json.detail);
  if (direct) return direct;
  if (Array.isArray(json.detail)) {
    const messages = json.detail
      .map((d) => (isRecord(d) ? (cleanMessage(d.msg) ?? cleanMessage(d.message)) : cleanMessage(d)))
      .filter((m): m is string => m !== undefined);
    if (messages.length > 0) return cleanMessage(messages.join('; '));
  }
  return undefined;
}

function badResponse(host: string, body: string, cause: string, providerMessage?: string): Result<never> {
  const error: ImageGenError = { kind: 'badResponse', host, bodyExcerpt: excerpt(body), cause };
  if (providerMessage) error.providerMessage = providerMessage;
  return err(error);
}

function httpUrl(value: unknown, baseUrl: string | undefined): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const url = baseUrl ? new URL(value.trim(), baseUrl) : new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function parseItem(
  item: Record<string, unknown>,
  baseUrl: string | undefined,
): GeneratedImage | 'badItem' | 'badBase64' {
  const image: GeneratedImage = {};
  const url = httpUrl(item.url, baseUrl);
  if (url) {
    image.url = url;
  } else {
    const dataUrl = typeof item.url === 'string' && /^\s*data:/i.test(item.url) ? item.url : undefined;
    const b64Source =
      typeof item.b64_json === 'string' && item.b64_json.trim() !== '' ? item.b64_json : dataUrl;
    if (b64Source === undefined) return 'badItem';
    const b64 = normalizeBase64(b64Source);
    if (!b64) return 'badBase64';
    image.b64Json = b64;
  }
  if (typeof item.revised_prompt === 'string' && item.revised_prompt.trim() !== '') {
    image.revisedPrompt = item.revised_prompt;
  }
  return image;
}

/**
 * A generation response: a JSON object with a non-empty `data` array whose items have an
 * http(s) `url` or a strictly valid `b64_json` (a `data:image/…;base64,` prefix and white space are
 * tolerated and removed; a `data:` URL in `url` is taken as base64 too). When an item has both, the
 * URL is kept (it can be inserted as is). `revised_prompt` and `created` are kept. Items without
 * a usable image are listed in `unusable` (index and cause) while the others are kept; when none is
 * usable, or the shape is wrong, the answer is `badResponse` with the body's first 500 characters
 * and a `cause` for the log. `baseUrl`, when given, resolves relative image URLs. With `maxItems`
 * (the `n` asked for) only the first `maxItems` items are looked at; the rest are counted in `ignored`.
 */
export function parseGenerationResponse(
  body: string,
  contentType: string | undefined,
  host: string,
  baseUrl?: string,
  maxItems?: number,
): Result<GenerationResponse> {
  const json = parseJson(body);
  if (json === undefined) {
    const html = /html/i.test(contentType ?? '') || /^\s*</.test(body);
    return badResponse(host, body, html ? 'html' : body.trim() === '' ? 'emptyBody' : 'notJson');
  }
  if (!isRecord(json)) return badResponse(host, body, 'notObject');
  if (!Array.isArray(json.data)) {
    return badResponse(host, body, 'noData', extractProviderMessage(body));
  }
  if (json.data.length === 0) return badResponse(host, body, 'emptyData', extractProviderMessage(body));

  const images: GeneratedImage[] = [];
  const unusable: Array<{ index: number; cause: 'badItem' | 'badBase64' }> = [];
  const limit = maxItems !== undefined && maxItems >= 1 ? Math.floor(maxItems) : json.data.length;
  json.data.slice(0, limit).forEach((item, index) => {
    const image = isRecord(item) ? parseItem(item, baseUrl) : 'badItem';
    if (typeof image === 'string') unusable.push({ index, cause: image });
    else images.push(image);
  });
  // One unusable item does not throw away the others, which are paid for; all unusable is an answer error.
  if (images.length === 0) return badResponse(host, body, unusable[0]?.cause ?? 'badItem');
  const response: GenerationResponse = { images };
  if (unusable.length > 0) response.unusable = unusable;
  if (json.data.length > limit) response.ignored = json.data.length - limit;
  if (typeof json.created === 'number' && Number.isFinite(json.created)) response.created = json.created;
  const usage = readUsage(json.usage);
  if (usage) response.usage = usage;
  return ok(response);
}

/**
 * 401/403 auth, 404 notFound, 429 rateLimit, 408 and 5xx unavailable, every other 4xx badRequest,
 * anything else (an unexpected 1xx/2xx/3xx) badResponse; with the status, the provider's message
 * and the body's first 500 characters.
 */
export function classifyHttpError(status: number, body: string, host: string): ImageGenError {
  let kind: ImageGenError['kind'];
  if (status === 401 || status === 403) kind = 'auth';
  else if (status === 404) kind = 'notFound';
  else if (status === 429) kind = 'rateLimit';
  else if (status === 408 || (status >= 500 && status <= 599)) kind = 'unavailable';
  else if (status >= 400 && status <= 499) kind = 'badRequest';
  else kind = 'badResponse';
  const error: ImageGenError = { kind, host, status, bodyExcerpt: excerpt(body) };
  const providerMessage = extractProviderMessage(body);
  if (providerMessage) error.providerMessage = providerMessage;
  return error;
}

/** Model ids of `GET /models` (`{data:[{id}]}`; a bare array or string items are tolerated), deduplicated. */
export function parseModelList(body: string): string[] | undefined {
  const json = parseJson(body);
  const list = Array.isArray(json) ? json : isRecord(json) ? (json.data ?? json.models) : undefined;
  if (!Array.isArray(list)) return undefined;
  const ids: string[] = [];
  for (const item of list) {
    const id =
      typeof item === 'string' ? item : isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
    const trimmed = id?.trim();
    if (trimmed && !ids.includes(trimmed)) ids.push(trimmed);
  }
  return ids;
}
