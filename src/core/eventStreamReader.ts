// Reads an image-generation event stream off a response body as it arrives: partial images go to
// the caller at once, the completed image ends it. The byte limit of §10 is counted as the
// (decompressed) chunks come, and no single event may grow past it either.
import { normalizeBase64 } from './base64';
import { interpretEvent, type PartialImage } from './imageStream';
import { SseParser } from './sse';
import { readStream } from './streamReader';
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
  const parser = new SseParser();
  const images: GeneratedImage[] = [];
  let usage: ImageUsage | undefined;
  let partials = 0;
  const completed = (): StreamOutcome => ({ type: 'completed', images, usage, partials });
  /** The provider's error event, if one came. */
  const handle = (events: ReturnType<SseParser['push']>): StreamOutcome | undefined => {
    for (const event of events) {
      const step = interpretEvent(event);
      if (step.type === 'partial') {
        partials++;
        options.onPartial?.(step.partial);
      } else if (step.type === 'completed') {
        images.push(step.image);
        if (step.usage) usage = step.usage;
      } else if (step.type === 'error') {
        return { type: 'errorEvent', message: step.message, code: step.code };
      }
    }
    return undefined;
  };
  return readStream<StreamOutcome>(body, options.signal, {
    maxBytes: options.maxBytes,
    data(bytes) {
      const failed = handle(parser.push(bytes));
      if (failed) return failed;
      // Everything asked for has arrived: the image is paid for and kept, whatever the rest does.
      return images.length >= options.expected ? completed() : undefined;
    },
    end() {
      const failed = handle(parser.end());
      if (failed) return failed;
      return images.length > 0 ? completed() : { type: 'cut', cause: 'streamEnded', partials };
    },
    error(error) {
      const cause =
        error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      return images.length > 0 ? completed() : { type: 'cut', cause, partials };
    },
    tooLarge: () => ({ type: 'tooLarge' }),
    aborted: () => ({ type: 'aborted' }),
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
