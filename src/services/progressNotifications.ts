import * as vscode from 'vscode';

/** Cancellable progress notifications, reporting `done/total` (app/generationRunner's port). */
export class ProgressNotifications {
  run<T>(
    title: string,
    work: (
      report: (done: number, total: number) => void,
      cancelled: AbortSignal,
      say: (message: string) => void,
    ) => Promise<T>,
  ): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          const cancelled = new AbortController();
          token.onCancellationRequested(() => cancelled.abort());
          let reported = 0;
          return work(
            (done, total) => {
              const increment = total > 0 ? ((done - reported) / total) * 100 : 0;
              reported = done;
              progress.report({ message: `${done}/${total}`, increment });
            },
            cancelled.signal,
            (message) => progress.report({ message }),
          );
        },
      ),
    );
  }
}
