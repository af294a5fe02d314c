import * as vscode from 'vscode';
import { ImageApiClient, type FetchLike } from '../core/apiClient';
import { hostOf } from '../core/origin';
import { localError } from '../core/types';
import type { ConfigurationReader } from '../services/configuration';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { ImageGenerator } from '../services/imageGenerator';
import type { Logger } from '../services/logger';
import type { UserInterface } from '../services/ui';
import type { Command } from './command';

/** Calls `GET {baseUrl}/models` with the stored key and reports what was found, or the error. */
export function testConnectionCommand(deps: {
  config: ConfigurationReader;
  generator: ImageGenerator;
  presenter: ErrorPresenter;
  ui: UserInterface;
  log: Logger;
  fetch: FetchLike;
}): Command {
  return {
    id: 'imageGen.testConnection',
    async execute(): Promise<{ ok: boolean; models?: string[] }> {
      const config = deps.config.get();
      const key = await deps.generator.resolveKey(config.baseUrl);
      if (!key.ok) {
        void deps.presenter.show(key.error);
        return { ok: false };
      }
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Testing the connection to {0}…', hostOf(config.baseUrl)),
          cancellable: true,
        },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return new ImageApiClient({
            fetch: deps.fetch,
            baseUrl: config.baseUrl,
            apiKey: key.value,
            timeoutMs: Math.min(config.requestTimeoutSeconds, 30) * 1000,
            maxRetries: 0,
            log: deps.log.logFn,
          }).listModels(controller.signal);
        },
      );
      if (!result.ok && result.error.kind === 'notFound') {
        // Listing models is optional for a provider: said as a warning, not as a wrong base URL.
        void deps.presenter.show(
          localError('modelList', { host: hostOf(config.baseUrl), file: config.baseUrl }),
          {},
          undefined,
          false,
        );
        return { ok: false };
      }
      if (!result.ok) {
        void deps.presenter.show(result.error);
        return { ok: false };
      }
      const models = result.value;
      const shown = models.slice(0, 8).join(', ') + (models.length > 8 ? ', …' : '');
      void deps.ui.info(
        models.length
          ? vscode.l10n.t(
              'Connected to {0}: {1} models found ({2}).',
              hostOf(config.baseUrl),
              models.length,
              shown,
            )
          : vscode.l10n.t('Connected to {0}, but it lists no models.', hostOf(config.baseUrl)),
      );
      return { ok: true, models };
    },
  };
}
