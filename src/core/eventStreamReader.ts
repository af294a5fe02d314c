// Reads an image-generation event stream off a response body as it arrives: partial images go to
// the caller at once, the completed image ends it. The byte limit of §10 is counted as the
// (decompressed) chunks come, and no single event may grow past it either.
import { normalizeBase64 } from './base64';
import { interpretEvent, type PartialImage } from './imageStream';
import { SseParser } from './sse';
import type { GeneratedImage, GenerationResponse, ImageGenError, ImageUsage, Result } from './types';
import { err, ok } from './types';

export type StreamOutcome =
  | { type: 'completed'; images: GeneratedImage[]; usage?: ImageUsage; partials: number }
  /** The provider sent an error event. */
  | { type: 'errorEvent'; message?: string; code?: string }
  /** The stream ended (or broke) before `completed`: nothing is kept, nothing retried. */
  | { type: 'cut'; cause: string; partials: number }
  | { type: 'tooLarge' }
  | { type: 'aborted' };

export interface StreamReadOptions {
  maxBytes: number;
  signal: AbortSignal;
  /** Images the request asked for: the stream is complete when this many have arrived. */
  expected: number;
  onPartial?: (partial: PartialImage) => void;
}

export function readImageStream(
  body: NodeJS.ReadableStream,
  options: StreamReadOptions,
): Promise<StreamOutcome> {
  return new Promise<StreamOutcome>((resolve) => {
    const parser = new SseParser();
    const images: GeneratedImage[] = [];
    let usage: ImageUsage | undefined;
    let partials = 0;
    let total = 0;
    let settled = false;
    const stream = body as NodeJS.ReadableStream & {
      destroy?: () => void;
      destroyed?: boolean;
      readableEnded?: boolean;
    };
    stream.on('error', () => undefined);
    // Cut before anyone listened (a reset noticed by the transport): its 'error' will not come again.
    if (stream.destroyed && !stream.readableEnded) {
      resolve({ type: 'cut', cause: 'ERR_STREAM_PREMATURE_CLOSE', partials: 0 });
      return;
    }
    const finish = (outcome: StreamOutcome, destroy: boolean): void => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      options.signal.removeEventListener('abort', onAbort);
      if (destroy) {
        try {
          if (typeof stream.destroy === 'function') stream.destroy();
          else stream.pause();
        } catch {
          // Already closed.
        }
      }
      resolve(outcome);
    };
    const completed = (): StreamOutcome => ({ type: 'completed', images, usage, partials });
    const handle = (events: ReturnType<SseParser['push']>): boolean => {
      for (const event of events) {
        const step = interpretEvent(event);
        if (step.type === 'partial') {
          partials++;
          options.onPartial?.(step.partial);
        } else if (step.type === 'completed') {
          images.push(step.image);
          if (step.usage) usage = step.usage;
        } else if (step.type === 'error') {
          finish({ type: 'errorEvent', message: step.message, code: step.code }, true);
          return false;
        }
      }
      return true;
    };
    const onData = (chunk: unknown): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
      total += bytes.length;
      if (total > options.maxBytes) {
        finish({ type: 'tooLarge' }, true);
        return;
      }
      if (!handle(parser.push(bytes))) return;
      // Everything asked for has arrived: the image is paid for and kept, whatever the rest does.
      if (images.length >= options.expected) finish(completed(), true);
    };
    const onEnd = (): void => {
      if (!handle(parser.end())) return;
      finish(images.length > 0 ? completed() : { type: 'cut', cause: 'streamEnded', partials }, false);
    };
    const onError = (error: unknown): void => {
      const cause =
        error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      finish(images.length > 0 ? completed() : { type: 'cut', cause, partials }, true);
    };
    // Destroyed without an error and without 'end': the stream is incomplete.
    const onClose = (): void => {
      if (!stream.readableEnded)
        onError(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    const onAbort = (): void => finish({ type: 'aborted' }, true);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
  });
}

/** What a read stream means as a generation result. */
export function streamResult(
  outcome: StreamOutcome,
  host: string,
  status: number,
): Result<GenerationResponse> {
  switch (outcome.type) {
    case 'completed': {
      const images = outcome.images.map((image) => {
        if (!image.b64Json) return image;
        const b64 = normalizeBase64(image.b64Json);
        return b64 ? { ...image, b64Json: b64 } : { ...image, b64Json: '' };
      });
      if (images.some((i) => i.b64Json === ''))
        return err({ kind: 'badResponse', host, status, cause: 'badBase64' });
      const response: GenerationResponse = { images };
      if (outcome.usage) response.usage = outcome.usage;
      return ok(response);
    }
    case 'errorEvent': {
      const error: ImageGenError = {
        kind: 'badRequest',
        host,
        status,
        cause: `streamError${outcome.code ? `:${outcome.code}` : ''}`,
      };
      if (outcome.message) error.providerMessage = outcome.message.slice(0, 500);
      return err(error);
    }
    case 'cut':
      return err({ kind: 'badResponse', host, status, cause: `streamCut:${outcome.cause}` });
    case 'tooLarge':
      return err({ kind: 'badResponse', host, status, cause: 'bodyTooLarge' });
    case 'aborted':
      return err({ kind: 'cancelled', host });
  }
}
