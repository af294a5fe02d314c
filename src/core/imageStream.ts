// What an image-generation event stream means (OpenAI `image_generation.*` events and the
// same shapes behind gateways): partial images as they come, the completed image(s), an error
// event, or a stream that ended before `completed` (cut: nothing is kept, nothing retried).
import type { ServerSentEvent } from './sse';
import type { GeneratedImage, ImageUsage } from './types';

export interface PartialImage {
  b64Json: string;
  index: number;
}

export type StreamStep =
  | { type: 'partial'; partial: PartialImage }
  | { type: 'completed'; image: GeneratedImage; usage?: ImageUsage }
  | { type: 'error'; message?: string; code?: string }
  | { type: 'ignored' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A usage object as the API sends it (token counts), or undefined. */
export function readUsage(value: unknown): ImageUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage: ImageUsage = {};
  for (const key of ['input_tokens', 'output_tokens', 'total_tokens'] as const) {
    const n = value[key];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) usage[key] = n;
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** One event of the stream, judged on its own. */
export function interpretEvent(event: ServerSentEvent): StreamStep {
  if (event.data.trim() === '[DONE]') return { type: 'ignored' };
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    return event.event === 'error'
      ? { type: 'error', message: event.data.slice(0, 500) }
      : { type: 'ignored' };
  }
  if (!isRecord(json)) return { type: 'ignored' };
  const type = typeof json.type === 'string' ? json.type : event.event;
  if (type === 'error' || event.event === 'error' || isRecord(json.error)) {
    const error = isRecord(json.error) ? json.error : json;
    return {
      type: 'error',
      message: typeof error.message === 'string' ? error.message : undefined,
      code: typeof error.code === 'string' ? error.code : undefined,
    };
  }
  const b64 = typeof json.b64_json === 'string' ? json.b64_json : undefined;
  if (type === 'image_generation.partial_image' && b64) {
    const index = typeof json.partial_image_index === 'number' ? json.partial_image_index : 0;
    return { type: 'partial', partial: { b64Json: b64, index } };
  }
  if (type === 'image_generation.completed') {
    const url = typeof json.url === 'string' ? json.url : undefined;
    if (!b64 && !url) return { type: 'error', message: undefined, code: 'completedWithoutImage' };
    const image: GeneratedImage = b64 ? { b64Json: b64 } : { url };
    if (typeof json.revised_prompt === 'string') image.revisedPrompt = json.revised_prompt;
    const usage = readUsage(json.usage);
    return usage ? { type: 'completed', image, usage } : { type: 'completed', image };
  }
  return { type: 'ignored' };
}

/** Whether a response is an event stream (by its content type). */
export function isEventStream(contentType: string | null | undefined): boolean {
  return /^\s*text\/event-stream\b/i.test(contentType ?? '');
}
