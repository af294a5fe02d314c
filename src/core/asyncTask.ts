// Async gateways answer a generation with a task (`{task_id|id, status: queued|pending|running}`)
// and expect the client to poll it (PRODUCT.md §13). Pure: what an answer says and how long to wait.
import { originOf, trimTrailingSlashes } from './origin';

export type TaskState =
  | { state: 'waiting'; id: string; pollUrl: string }
  | { state: 'done'; body: string }
  | { state: 'failed'; message?: string };

const WAITING = new Set([
  'queued',
  'pending',
  'running',
  'processing',
  'in_progress',
  'submitted',
  'waiting',
  'starting',
]);
const FAILED = new Set(['failed', 'failure', 'error', 'cancelled', 'canceled', 'expired', 'rejected']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The task object: the answer itself, or its `data` when that is an object (some gateways wrap it). */
function taskObject(json: unknown): Record<string, unknown> | undefined {
  if (!isRecord(json)) return undefined;
  if (typeof json.status === 'string') return json;
  return isRecord(json.data) && typeof json.data.status === 'string' ? json.data : undefined;
}

function statusOf(task: Record<string, unknown>): string {
  return String(task.status).trim().toLowerCase();
}

/** The URL to poll: the one the answer names when it is on the API's own origin, else `{baseUrl}/images/generations/{id}`. */
function pollUrlFor(task: Record<string, unknown>, id: string, baseUrl: string): string {
  const base = trimTrailingSlashes(baseUrl);
  for (const key of ['poll_url', 'status_url', 'task_url']) {
    const value = task[key];
    if (typeof value !== 'string') continue;
    try {
      const url = new URL(value, `${base}/`);
      // The key goes only to its own origin.
      if (originOf(url.href) === originOf(base)) return url.href;
    } catch {
      // Not a URL: fall through to the default path.
    }
  }
  return `${base}/images/generations/${encodeURIComponent(id)}`;
}

/**
 * What a (first or polled) answer says: still waiting (with where to poll), done (the body to read
 * as a generation answer: the task's `result`/`output` when it has one, else the answer itself), or
 * failed. undefined: not a task answer at all (an ordinary generation answer or an error body).
 */
export function readTaskAnswer(body: string, baseUrl: string): TaskState | undefined {
  // Most answers are ordinary (and large, with base64 images): no second parse for them.
  if (!/"status"\s*:/.test(body.slice(0, 4096)) && !/"status"\s*:/.test(body.slice(-4096))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const task = taskObject(json);
  if (!task) return undefined;
  const status = statusOf(task);
  const rawId = task.task_id ?? task.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
  if (WAITING.has(status)) {
    if (!id || id.trim() === '') return undefined;
    return { state: 'waiting', id, pollUrl: pollUrlFor(task, id, baseUrl) };
  }
  if (FAILED.has(status)) {
    const error = task.error;
    const message =
      isRecord(error) && typeof error.message === 'string'
        ? error.message
        : typeof error === 'string'
          ? error
          : typeof task.fail_reason === 'string'
            ? task.fail_reason
            : typeof task.message === 'string'
              ? task.message
              : undefined;
    return message ? { state: 'failed', message: message.slice(0, 500) } : { state: 'failed' };
  }
  // Finished: the images sit in the task itself or under result/output.
  for (const key of ['result', 'output']) {
    const inner = task[key];
    if (isRecord(inner) && Array.isArray(inner.data)) return { state: 'done', body: JSON.stringify(inner) };
  }
  if (Array.isArray(task.data)) return { state: 'done', body: JSON.stringify(task) };
  if (isRecord(json) && Array.isArray(json.data)) return { state: 'done', body };
  return undefined;
}

/** Waits between polls: 1 s, 2 s, 4 s, then every 5 s (a `Retry-After` the server sends wins, within 30 s). */
export function pollDelay(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, 30_000);
  return Math.min(5_000, 1_000 * 2 ** Math.max(0, attempt));
}
