// The one way a paid request runs, whatever started it (PRODUCT.md §2, §11, §12, §14): checked
// before anything is sent, registered so Cancel, deactivation and the tests can abort it, the
// status item shown while it runs, and every problem shown to the user in one place.
import type { EditRequest } from '../core/editRequest';
import { validateRequest } from '../core/request';
import type { GenerationRequest, ImageGenError, Result } from '../core/types';
import type { GenerationOutcome, NotesFn, PartialFn, ProgressFn } from '../services/imageGenerator';

/** What a streaming generation tells while it runs (PRODUCT.md §13). */
export interface GenerateHooks {
  onPartial?: PartialFn;
  onNotes?: NotesFn;
}

/** Shows what went wrong (`services/errorPresenter.ts`); returns the sentence shown, for a webview to repeat. */
export interface Presenter {
  show(e: ImageGenError, context: { model: string; size: string }): Promise<void>;
  showAll(
    problems: readonly ImageGenError[],
    context: { model: string; size: string },
    counts?: { failed: number; requested: number },
  ): void;
  reason(e: ImageGenError, context: { model: string; size: string }): string | undefined;
  showInvalid(problem: string): string;
  /** Options the model cannot take, corrected before sending (PRODUCT.md §13). */
  showNotes(model: string, notes: Parameters<NotesFn>[0]): void;
}

/** A cancellable progress notification (`vscode.window.withProgress`). */
export interface ProgressNotifications {
  run<T>(
    title: string,
    work: (report: ProgressFn, cancelled: AbortSignal, say: (message: string) => void) => Promise<T>,
  ): Promise<T>;
}

export interface GenerationRunnerDeps {
  generator: {
    generate(
      request: Omit<GenerationRequest, 'extraParameters'>,
      signal: AbortSignal,
      onProgress?: ProgressFn,
      hooks?: GenerateHooks,
    ): Promise<Result<GenerationOutcome>>;
    edit(
      request: Omit<EditRequest, 'extraParameters'>,
      signal: AbortSignal,
    ): Promise<Result<GenerationOutcome>>;
  };
  presenter: Presenter;
  status: { begin(): () => void };
  notifications: ProgressNotifications;
}

/** How a run reports: a notification with this title, or a caller's own signal and progress (a webview). */
export interface RunOptions {
  /** Shows a cancellable notification with this title. */
  title?: string;
  /** The caller's cancel (a webview's Cancel button, an agent's token). */
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** The sentence the user was shown when it failed (not when cancelled). */
  onFailure?: (reason: string) => void;
  /** Streaming hooks; `say` writes into the notification (when there is one). Notes are shown by default. */
  hooks?: (say: (message: string) => void) => GenerateHooks;
}

export class GenerationRunner {
  private readonly running = new Set<AbortController>();

  constructor(private readonly deps: GenerationRunnerDeps) {}

  /** How many runs are in flight (batches count once). */
  get size(): number {
    return this.running.size;
  }

  /**
   * Runs `work` with a signal that aborts on any of `cancels`, on `abortAll` and on dispose,
   * with the status item shown meanwhile. Batches (Illustrate) use it around their own requests.
   */
  async track<T>(
    work: (signal: AbortSignal) => Promise<T>,
    ...cancels: (AbortSignal | undefined)[]
  ): Promise<T> {
    const controller = new AbortController();
    const forward = () => controller.abort();
    for (const c of cancels) c?.addEventListener('abort', forward);
    if (cancels.some((c) => c?.aborted)) controller.abort();
    this.running.add(controller);
    const end = this.deps.status.begin();
    try {
      return await work(controller.signal);
    } finally {
      end();
      this.running.delete(controller);
      for (const c of cancels) c?.removeEventListener('abort', forward);
    }
  }

  /** `track` under a cancellable progress notification: its Cancel aborts the work too. */
  notify<T>(
    title: string,
    work: (signal: AbortSignal, report: ProgressFn, say: (message: string) => void) => Promise<T>,
    ...cancels: (AbortSignal | undefined)[]
  ): Promise<T> {
    return this.deps.notifications.run(title, (report, cancelled, say) =>
      this.track((signal) => work(signal, report, say), cancelled, ...cancels),
    );
  }

  /** A generation end to end; undefined when it was refused, failed (shown) or cancelled. */
  generate(
    request: Omit<GenerationRequest, 'extraParameters'>,
    options: RunOptions = {},
  ): Promise<GenerationOutcome | undefined> {
    const invalid = validateRequest(request);
    if (invalid) {
      options.onFailure?.(this.deps.presenter.showInvalid(invalid));
      return Promise.resolve(undefined);
    }
    return this.run({ model: request.model, size: request.size }, options, (signal, report, say) =>
      this.deps.generator.generate(request, signal, report, {
        onNotes: (notes) => this.deps.presenter.showNotes(request.model, notes),
        ...options.hooks?.(say),
      }),
    );
  }

  /** An edit (`POST /images/edits`) end to end, as `generate`. */
  edit(
    request: Omit<EditRequest, 'extraParameters'>,
    options: RunOptions = {},
  ): Promise<GenerationOutcome | undefined> {
    return this.run({ model: request.model, size: request.size ?? 'auto' }, options, (signal) =>
      this.deps.generator.edit(request, signal),
    );
  }

  /** Aborts every run, as each one's Cancel would. */
  abortAll(): void {
    for (const c of this.running) c.abort();
  }

  dispose(): void {
    this.abortAll();
  }

  private async run(
    context: { model: string; size: string },
    options: RunOptions,
    call: (
      signal: AbortSignal,
      report: ProgressFn,
      say: (message: string) => void,
    ) => Promise<Result<GenerationOutcome>>,
  ): Promise<GenerationOutcome | undefined> {
    const { title, signal, onProgress } = options;
    const outcome =
      title === undefined
        ? await this.track((s) => call(s, onProgress ?? (() => undefined), () => undefined), signal)
        : await this.notify(
            title,
            (s, report, say) =>
              call(
                s,
                (done, total) => {
                  report(done, total);
                  onProgress?.(done, total);
                },
                say,
              ),
            signal,
          );
    if (!outcome.ok) {
      if (outcome.error.kind === 'cancelled') return undefined;
      void this.deps.presenter.show(outcome.error, context);
      const reason = this.deps.presenter.reason(outcome.error, context);
      if (reason) options.onFailure?.(reason);
      return undefined;
    }
    this.deps.presenter.showAll(outcome.value.problems, context, outcome.value);
    return outcome.value;
  }
}
