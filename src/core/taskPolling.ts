// Follows an async gateway's task to its end (PRODUCT.md §13): polls with backoff until the task
// is done, failed, or the generation's timeout is spent. The HTTP GET is the client's own (same
// origin, same key rules); this file only decides what each answer means and when to ask again.
import { pollDelay, readTaskAnswer, type TaskState } from './asyncTask';
import { classifyHttpError, parseGenerationResponse } from './response';
import { parseRetryAfter } from './retry';
import type { Exchange } from './transport';
import type { GenerationResponse, ImageGenError, Result } from './types';
import { err } from './types';

export type PollAnswer =
  | { type: 'answer'; status: number; text: string; contentType?: string; retryAfter?: string | null }
  /** The GET failed without an answer (connection reset, DNS): asked again until the deadline. */
  | { type: 'network'; cause: string }
  | { type: 'stop'; error: ImageGenError };

export interface PollDeps {
  get(url: string): Promise<PollAnswer>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** When the generation's timeout runs out (ms since epoch). */
  deadline: number;
  baseUrl: string;
  host: string;
  timeoutSeconds: number;
  /** How many images were asked for: an answer listing more has the rest ignored. */
  maxItems?: number;
  log?: (message: string) => void;
}

/** What one poll's HTTP exchange means to the poller. */
export function pollAnswerOf(exchange: Exchange, host: string): PollAnswer {
  switch (exchange.type) {
    case 'cancelled':
      return { type: 'stop', error: { kind: 'cancelled', host } };
    case 'timeout':
      return { type: 'network', cause: 'timeout' };
    case 'network':
      return { type: 'network', cause: exchange.cause };
    case 'failed':
      return { type: 'stop', error: exchange.error };
    case 'tooLarge':
      return {
        type: 'stop',
        error: { kind: 'badResponse', host, status: exchange.status, cause: 'bodyTooLarge' },
      };
    case 'stream':
      return {
        type: 'stop',
        error: { kind: 'badResponse', host, status: exchange.status, cause: 'unexpectedStream' },
      };
    case 'response':
      if (exchange.readError) return { type: 'network', cause: exchange.readError };
      return {
        type: 'answer',
        status: exchange.status,
        text: exchange.text,
        contentType: exchange.headers.get('content-type') ?? undefined,
        retryAfter: exchange.headers.get('retry-after'),
      };
  }
}

/** What a finished task answer means as a generation result. */
export function taskResult(
  state: Exclude<TaskState, { state: 'waiting' }>,
  host: string,
  url?: string,
  maxItems?: number,
): Result<GenerationResponse> {
  if (state.state === 'failed') {
    const error: ImageGenError = { kind: 'badRequest', host, cause: 'taskFailed' };
    if (state.message) error.providerMessage = state.message;
    return err(error);
  }
  return parseGenerationResponse(state.body, 'application/json', host, url, maxItems);
}

export async function pollTask(
  first: Extract<TaskState, { state: 'waiting' }>,
  deps: PollDeps,
): Promise<Result<GenerationResponse>> {
  let task = first;
  let retryAfterMs: number | undefined;
  for (let attempt = 0; ; attempt++) {
    const wait = pollDelay(attempt, retryAfterMs);
    if (deps.now() + wait >= deps.deadline) {
      return err({
        kind: 'timeout',
        host: deps.host,
        timeoutSeconds: deps.timeoutSeconds,
        cause: 'taskNotDone',
      });
    }
    await deps.sleep(wait);
    deps.log?.(`polling task ${task.id} (${attempt + 1})`);
    const answer = await deps.get(task.pollUrl);
    retryAfterMs = undefined;
    if (answer.type === 'stop') return err(answer.error);
    if (answer.type === 'network') continue;
    const { status, text } = answer;
    if (status === 429 || status === 408 || (status >= 500 && status <= 599)) {
      retryAfterMs = parseRetryAfter(answer.retryAfter ?? null, deps.now());
      continue;
    }
    if (status < 200 || status > 299) return err(classifyHttpError(status, text, deps.host));
    const state = readTaskAnswer(text, deps.baseUrl);
    if (!state)
      return parseGenerationResponse(text, answer.contentType, deps.host, task.pollUrl, deps.maxItems);
    if (state.state === 'waiting') {
      task = { ...state, pollUrl: task.pollUrl };
      continue;
    }
    return taskResult(state, deps.host, task.pollUrl, deps.maxItems);
  }
}
