import * as vscode from 'vscode';
import type { GenerationStatus } from '../services/statusBar';

export interface ProgressDeps {
  status: GenerationStatus;
  /** Running requests, so they can all be cancelled (tests use it too). */
  running: Set<AbortController>;
}

/** Runs a paid request under a cancellable notification and the status bar item. */
export async function withCancellableProgress<T>(
  deps: ProgressDeps,
  title: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const end = deps.status.begin();
  const controller = new AbortController();
  deps.running.add(controller);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return work(controller.signal);
      },
    );
  } finally {
    deps.running.delete(controller);
    end();
  }
}
