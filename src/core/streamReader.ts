// The one loop over a response body that both readers share (a whole body in transport.ts, an
// event stream in eventStreamReader.ts): bytes counted against a limit as they arrive, the abort
// signal, errors and premature closes, and every listener removed once it is settled, so a stream
// the reader gave up on holds nothing of it (the GC tests in faults/hardening rely on that).

/** What one reader does with the stream's events; each returns the outcome to settle with. */
export interface StreamSink<T> {
  maxBytes: number;
  /** A chunk within the limit; an outcome here stops the read and destroys the stream. */
  data(bytes: Uint8Array): T | undefined;
  end(): T;
  /** An 'error', a close before 'end', or a stream cut before anyone listened. */
  error(error: unknown): T;
  tooLarge(): T;
  aborted(): T;
  /** The read stopped early (the stream is being destroyed): drop what was held. */
  release?(): void;
}

type NodeStream = NodeJS.ReadableStream & {
  destroy?: () => void;
  destroyed?: boolean;
  readableEnded?: boolean;
  errored?: unknown;
};

const premature = (): Error =>
  Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

export function readStream<T>(
  body: NodeJS.ReadableStream,
  signal: AbortSignal,
  sink: StreamSink<T>,
): Promise<T> {
  return new Promise<T>((resolve) => {
    const stream = body as NodeStream;
    let total = 0;
    let settled = false;
    // Kept for good: a stream destroyed later (e.g. by fetch on abort) must not throw an unhandled 'error'.
    stream.on('error', () => undefined);
    // Cut before anyone listened (a reset noticed by the transport): its 'error' will not come again.
    if (stream.destroyed && !stream.readableEnded) {
      resolve(sink.error(stream.errored ?? premature()));
      return;
    }
    const finish = (outcome: T, destroy: boolean): void => {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (destroy) {
        sink.release?.();
        try {
          if (typeof stream.destroy === 'function') stream.destroy();
          else stream.pause();
        } catch {
          // Already closed.
        }
      }
      resolve(outcome);
    };
    const onData = (chunk: unknown): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
      total += bytes.length;
      if (total > sink.maxBytes) return finish(sink.tooLarge(), true);
      const stop = sink.data(bytes);
      if (stop !== undefined) finish(stop, true);
    };
    const onEnd = (): void => finish(sink.end(), false);
    const onError = (error: unknown): void => finish(sink.error(error), true);
    // Destroyed without an error (and without 'end'): the body is incomplete.
    const onClose = (): void => {
      if (!stream.readableEnded) finish(sink.error(stream.errored ?? premature()), false);
    };
    const onAbort = (): void => finish(sink.aborted(), true);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
  });
}
