import * as assert from 'node:assert/strict';
import { GenerationRunner, type GenerationRunnerDeps } from '../../../src/app/generationRunner';
import type { ImageGenError, Result } from '../../../src/core/types';
import type { GenerationOutcome } from '../../../src/services/imageGenerator';

const REQUEST = { prompt: 'a lighthouse', model: 'm', size: '1024x1024', n: 2 };
const outcome = (problems: ImageGenError[] = []): GenerationOutcome => ({
  items: [],
  problems,
  requested: 2,
  failed: problems.length,
});

/** Fakes that record what the runner did; `answer` decides what the provider "returns". */
function setup(answer: (signal: AbortSignal) => Promise<Result<GenerationOutcome>>) {
  const seen = {
    sent: 0,
    shown: [] as ImageGenError[],
    shownAll: [] as { problems: readonly ImageGenError[]; counts?: object }[],
    invalid: [] as string[],
    statusOpen: 0,
    notifications: [] as string[],
    signals: [] as AbortSignal[],
  };
  let cancelNotification = () => undefined as void;
  const deps: GenerationRunnerDeps = {
    generator: {
      generate: (_request, signal, onProgress) => {
        seen.sent++;
        seen.signals.push(signal);
        onProgress?.(1, 2);
        return answer(signal);
      },
      edit: (_request, signal) => {
        seen.sent++;
        seen.signals.push(signal);
        return answer(signal);
      },
    },
    presenter: {
      show: async (e) => void seen.shown.push(e),
      showAll: (problems, _context, counts) => void seen.shownAll.push({ problems, counts }),
      reason: (e) => `reason: ${e.kind}`,
      showInvalid: (problem) => (seen.invalid.push(problem), `invalid: ${problem}`),
      showNotes: () => undefined,
    },
    status: {
      begin: () => {
        seen.statusOpen++;
        return () => void seen.statusOpen--;
      },
    },
    notifications: {
      run: (title, work) => {
        seen.notifications.push(title);
        const cancelled = new AbortController();
        cancelNotification = () => cancelled.abort();
        return work(
          () => undefined,
          cancelled.signal,
          () => undefined,
        );
      },
    },
  };
  return { runner: new GenerationRunner(deps), seen, cancelNotification: () => cancelNotification() };
}

const waitUntilAborted = (signal: AbortSignal): Promise<Result<GenerationOutcome>> =>
  new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve({ ok: false, error: { kind: 'cancelled', host: 'h' } })),
  );

suite('app/GenerationRunner', () => {
  test('an invalid request is refused before anything is sent, with the sentence for the page', async () => {
    const { runner, seen } = setup(async () => ({ ok: true, value: outcome() }));
    const reasons: string[] = [];
    const result = await runner.generate({ ...REQUEST, prompt: '  ' }, { onFailure: (r) => reasons.push(r) });
    assert.equal(result, undefined);
    assert.equal(seen.sent, 0);
    assert.deepEqual(seen.invalid, ['emptyPrompt']);
    assert.deepEqual(reasons, ['invalid: emptyPrompt']);
  });

  test('a success shows the problems of single images once, with the counts, and closes the status item', async () => {
    const problem: ImageGenError = { kind: 'download', host: 'h' };
    const { runner, seen } = setup(async () => ({ ok: true, value: outcome([problem]) }));
    const progress: number[][] = [];
    const result = await runner.generate(REQUEST, { onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual(result?.problems, [problem]);
    assert.deepEqual(seen.shownAll, [{ problems: [problem], counts: outcome([problem]) }]);
    assert.deepEqual(progress, [[1, 2]]);
    assert.equal(seen.statusOpen, 0);
    assert.equal(runner.size, 0);
  });

  test('a failure is shown once and its reason handed to the caller', async () => {
    const error: ImageGenError = { kind: 'auth', host: 'h', status: 401 };
    const { runner, seen } = setup(async () => ({ ok: false, error }));
    const reasons: string[] = [];
    assert.equal(
      await runner.edit({ ...REQUEST, images: [] }, { onFailure: (r) => reasons.push(r) }),
      undefined,
    );
    assert.deepEqual(seen.shown, [error]);
    assert.deepEqual(reasons, ['reason: auth']);
  });

  test("the caller's signal cancels; a cancel is not an error to show", async () => {
    const { runner, seen } = setup(waitUntilAborted);
    const caller = new AbortController();
    const running = runner.generate(REQUEST, {
      signal: caller.signal,
      onFailure: () => assert.fail('no reason'),
    });
    assert.equal(runner.size, 1);
    assert.equal(seen.statusOpen, 1);
    caller.abort();
    assert.equal(await running, undefined);
    assert.deepEqual(seen.shown, []);
    assert.equal(seen.statusOpen, 0);
  });

  test('abortAll aborts every run, the notification Cancel aborts its own', async () => {
    const { runner, seen, cancelNotification } = setup(waitUntilAborted);
    const a = runner.generate(REQUEST, { title: 'Generating' });
    assert.deepEqual(seen.notifications, ['Generating']);
    cancelNotification();
    assert.equal(await a, undefined);
    assert.equal(seen.signals[0].aborted, true);

    const b = runner.generate(REQUEST);
    const c = runner.track((signal) => waitUntilAborted(signal));
    assert.equal(runner.size, 2);
    runner.abortAll();
    await Promise.all([b, c]);
    assert.equal(runner.size, 0);
    assert.equal(seen.statusOpen, 0);
  });

  test('an already aborted signal never lets the work start un-aborted', async () => {
    const { runner } = setup(async () => ({ ok: true, value: outcome() }));
    const caller = new AbortController();
    caller.abort();
    const aborted = await runner.track(async (signal) => signal.aborted, caller.signal);
    assert.equal(aborted, true);
  });
});
