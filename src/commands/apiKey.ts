import * as vscode from 'vscode';
import { apiKeyProblem } from '../core/apiKey';
import { baseUrlProblem, isValidBaseUrl, originOf } from '../core/origin';
import type { ApiKeyStore, KeyPrompt } from '../services/apiKeys';
import type { ConfigurationReader } from '../services/configuration';
import type { Logger } from '../services/logger';
import type { UserInterface } from '../services/ui';
import type { Command } from './command';

interface ApiKeyDeps {
  config: ConfigurationReader;
  keys: ApiKeyStore;
  keyPrompt: KeyPrompt;
  ui: UserInterface;
  log: Logger;
}

function currentOrigin(deps: ApiKeyDeps): string | undefined {
  const baseUrl = deps.config.get().baseUrl;
  return isValidBaseUrl(baseUrl) ? originOf(baseUrl) : undefined;
}

/** Stores a key for the origin of the current base URL; the key is never shown back. */
export function setApiKeyCommand(deps: ApiKeyDeps): Command {
  return {
    id: 'imageGen.setApiKey',
    async execute(arg?: unknown): Promise<boolean> {
      const origin = currentOrigin(deps);
      if (!origin) {
        void deps.ui.error(
          baseUrlProblem(deps.config.get().baseUrl) === 'credentials'
            ? vscode.l10n.t(
                'The imageGen.baseUrl setting contains a user name or password (user:password@…). Remove it from the URL; the API key is set with Set API Key.',
              )
            : vscode.l10n.t('The imageGen.baseUrl setting is not a valid http(s) URL.'),
        );
        return false;
      }
      const key = typeof arg === 'string' ? arg.trim() : await deps.keyPrompt.ask(origin);
      if (!key) return false;
      if (apiKeyProblem(key)) {
        // Only reachable with a programmatic argument: the input box refuses such keys as they are typed.
        void deps.ui.error(deps.keyPrompt.invalidKeyMessage());
        return false;
      }
      await deps.keys.set(origin, key);
      deps.log.addSecret(key);
      deps.log.info(`API key stored for ${origin}`);
      if (typeof arg !== 'string') void deps.ui.info(vscode.l10n.t('API key saved for {0}.', origin));
      return true;
    },
  };
}

/** Offers the origins that have a key (the current one first) and deletes the chosen key. */
export function clearApiKeyCommand(deps: ApiKeyDeps): Command {
  return {
    id: 'imageGen.clearApiKey',
    async execute(arg?: unknown): Promise<boolean> {
      const origins = deps.keys.origins();
      let origin = typeof arg === 'string' ? (originOf(arg) ?? arg) : undefined;
      if (!origin) {
        if (origins.length === 0) {
          void deps.ui.info(vscode.l10n.t('No API key is stored.'));
          return false;
        }
        const current = currentOrigin(deps);
        const ordered =
          current && origins.includes(current) ? [current, ...origins.filter((o) => o !== current)] : origins;
        const chosen = await deps.ui.pick(
          ordered.map((o) => ({
            label: o,
            description: o === current ? vscode.l10n.t('current base URL') : undefined,
            value: o,
          })),
          { title: vscode.l10n.t('Clear the API key of') },
        );
        if (!chosen || !('value' in chosen)) return false;
        origin = chosen.value;
      }
      await deps.keys.delete(origin);
      deps.log.info(`API key removed for ${origin}`);
      void deps.ui.info(vscode.l10n.t('API key removed for {0}.', origin));
      return true;
    },
  };
}
