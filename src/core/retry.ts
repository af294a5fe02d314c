// When and how long to wait before trying a request again.

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A server's Retry-After beyond this is not waited for: the request fails at once instead. */
export const MAX_RETRY_WAIT_MS = 120_000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 20_000;

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds (`120`, fractions tolerated) or an
 * HTTP-date; a date in the past gives 0. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a day or month; this keeps Date.parse from reading "-5" or "1.2.3".
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function exponential(attempt: number, baseMs: number, capMs: number): number {
  const step = Math.max(0, Math.floor(attempt));
  return Math.min(capMs, baseMs * 2 ** Math.min(step, 30));
}

/**
 * "Equal jitter" exponential backoff: for retry `attempt` (0 = first retry) the delay lies in
 * [e/2, e) with e = min(cap, base·2^attempt), so there is always a floor and never a thundering herd.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const e = exponential(attempt, baseMs, capMs);
  const raw = random();
  const r = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 0.999999) : 0;
  return Math.floor(e / 2 + r * (e / 2));
}

/** The lowest delay `backoffDelay` can give for this attempt. */
export function backoffFloor(attempt: number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  return Math.floor(exponential(attempt, baseMs, capMs) / 2);
}

/**
 * Delay before retry `attempt`, or undefined for "do not retry". A Retry-After wins over the backoff
 * but is raised to the backoff floor (so `Retry-After: 0` does not hammer the server); a Retry-After
 * above MAX_RETRY_WAIT_MS (120 s) means giving up now rather than hanging the user's progress.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | undefined {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
    if (retryAfterMs > MAX_RETRY_WAIT_MS) return undefined;
    return Math.max(Math.max(0, retryAfterMs), backoffFloor(attempt));
  }
  return backoffDelay(attempt, random);
}

/** An Error named `AbortError`, as fetch and timers/promises use. */
export function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Waits `ms`. On abort it REJECTS at once with an `AbortError` (also when the signal is already
 * aborted), so a cancelled retry wait never turns into another attempt.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
