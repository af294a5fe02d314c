import * as vscode from 'vscode';
import type { CapabilityNote } from '../core/modelRequest';
import { describeNotes } from './capabilityText';
import { settingsCommandFor } from '../core/settings';
import { localError, type ImageGenError } from '../core/types';
import {
  connectionMessage,
  connectionProblem,
  describeCapability,
  saveMessage,
  unexpectedMessage,
} from './errorWords';
import { downloadReason } from './downloadWords';
import type { Logger } from './logger';
import type { MessageAction, UserInterface } from './ui';

export { connectionProblem, type ConnectionProblem } from './errorWords';

export interface ErrorContext {
  model?: string;
  size?: string;
}

export interface PresentedError {
  message: string;
  actions: MessageAction[];
  /** A warning rather than an error (the request may still work). */
  warning?: boolean;
}

const ACTION_SET_KEY = 'setApiKey';
const ACTION_SETTINGS_BASE_URL = 'openSettings:imageGen.baseUrl';
const ACTION_SETTINGS_TIMEOUT = 'openSettings:imageGen.requestTimeoutSeconds';
const ACTION_SHOW_LOG = 'showLog';
const ACTION_TEST_CONNECTION = 'testConnection';

/** Turns error values into the words and buttons of PRODUCT.md §6, in one place. */
export function describeError(e: ImageGenError, context: ErrorContext = {}): PresentedError | undefined {
  const host = e.host;
  if (e.cause === 'editsUnsupported' && (e.kind === 'badRequest' || e.kind === 'notFound')) {
    return {
      message: vscode.l10n.t(
        '{0}: this provider or model does not support edits (model {1}). The provider said: {2}',
        host,
        context.model ?? '?',
        e.providerMessage ?? vscode.l10n.t('HTTP {0}', e.status ?? 400),
      ),
      actions: [],
    };
  }
  switch (e.kind) {
    case 'cancelled':
    case 'insecure':
      return undefined;
    case 'save':
      return { message: saveMessage(e), actions: [] };
    case 'badArgument':
      return {
        message: vscode.l10n.t('The argument "{0}" of the command is not valid.', e.cause ?? '?'),
        actions: [],
      };
    case 'invalidRequest':
      return { message: vscode.l10n.t('The request is not valid ({0}).', e.cause ?? '?'), actions: [] };
    case 'unexpected':
      return { message: unexpectedMessage(e.cause), actions: [] };
    case 'modelList':
      // Listing models is optional for a provider: a 404 here does not prove the base URL wrong.
      return {
        message: vscode.l10n.t(
          '{0} answered, but it lists no models at {1}/models (HTTP 404). If generating fails too, check the base URL.',
          host,
          (e.file ?? '').replace(/\/+$/, ''),
        ),
        actions: [{ id: ACTION_SETTINGS_BASE_URL, title: vscode.l10n.t('Open Settings') }],
        warning: true,
      };
    case 'config':
      return e.cause === 'badKey'
        ? {
            message: vscode.l10n.t(
              'The API key stored for {0} contains characters that cannot be sent in an HTTP header (such as a zero-width space, full-width letters or a line break). Set the key again.',
              host,
            ),
            actions: [{ id: ACTION_SET_KEY, title: vscode.l10n.t('Set API Key') }],
          }
        : {
            message:
              e.cause === 'invalidBaseUrl'
                ? vscode.l10n.t(
                    'The imageGen.baseUrl setting is not a valid http(s) URL, so nothing was sent. Set it to the API address, such as https://api.qhaigc.net/v1.',
                  )
                : vscode.l10n.t(
                    'The imageGen.baseUrl setting contains a user name or password (user:password@…). Remove it from the URL; the API key is set with Set API Key.',
                  ),
            actions: [{ id: ACTION_SETTINGS_BASE_URL, title: vscode.l10n.t('Open Settings') }],
          };
    case 'noKey':
      return {
        message: vscode.l10n.t('No API key is set for {0}. Set one to generate images.', host),
        actions: [{ id: ACTION_SET_KEY, title: vscode.l10n.t('Set API Key') }],
      };
    case 'auth':
      return {
        message: vscode.l10n.t(
          '{0} rejected the API key (HTTP {1}). Check or replace the key.',
          host,
          e.status ?? 401,
        ),
        actions: [{ id: ACTION_SET_KEY, title: vscode.l10n.t('Set API Key') }],
      };
    case 'badRequest':
      if (e.capability) return describeCapability(e.capability, context);
      return {
        message: vscode.l10n.t(
          '{0} refused the request: {1} (model {2}, size {3})',
          host,
          e.providerMessage ?? vscode.l10n.t('HTTP {0}', e.status ?? 400),
          context.model ?? '?',
          context.size ?? '?',
        ),
        actions: [],
      };
    case 'notFound':
      return {
        message: vscode.l10n.t('The image endpoint was not found at {0}. Check the base URL setting.', host),
        actions: [{ id: ACTION_SETTINGS_BASE_URL, title: vscode.l10n.t('Open Settings') }],
      };
    case 'rateLimit':
      return {
        message: vscode.l10n.t(
          '{0} is rate limiting requests or your quota is used up. Try again later.',
          host,
        ),
        actions: [],
      };
    case 'unavailable': {
      const problem = connectionProblem(e.cause);
      if (problem) {
        return {
          message: connectionMessage(problem, host, e.cause ?? ''),
          actions: [
            { id: ACTION_SETTINGS_BASE_URL, title: vscode.l10n.t('Open Settings') },
            { id: ACTION_TEST_CONNECTION, title: vscode.l10n.t('Test Connection') },
          ],
        };
      }
      return {
        message: vscode.l10n.t('{0} is unavailable right now. Try again in a moment.', host),
        actions: [{ id: ACTION_SHOW_LOG, title: vscode.l10n.t('Show Log') }],
      };
    }
    case 'timeout':
      return {
        message: vscode.l10n.t(
          'No answer from {0} in {1} s. The request was not repeated, since generation is paid.',
          host,
          e.timeoutSeconds ?? '?',
        ),
        actions: [{ id: ACTION_SETTINGS_TIMEOUT, title: vscode.l10n.t('Open Settings') }],
      };
    case 'badResponse':
      return {
        message:
          e.cause === 'crossOriginRedirect'
            ? vscode.l10n.t(
                'Unexpected response from {0}: it redirected to another server, which was not followed so the API key stays private.',
                host,
              )
            : e.cause === 'unusableItem'
              ? vscode.l10n.t(
                  'Unexpected response from {0}: an image it listed had no usable image data.',
                  host,
                )
              : e.cause === 'bodyTooLarge'
                ? vscode.l10n.t(
                    'Unexpected response from {0}: the answer was far larger than any answer of its kind, so reading it was stopped.',
                    host,
                  )
                : vscode.l10n.t(
                    'Unexpected response from {0}. The first 500 characters are in the log.',
                    host,
                  ),
        actions: [{ id: ACTION_SHOW_LOG, title: vscode.l10n.t('Show Log') }],
      };
    case 'download':
      if (e.cause === 'cacheWrite') {
        return {
          message: vscode.l10n.t(
            "The image was generated but could not be written to the gallery's cache, so no file was saved. Details are in the log.",
          ),
          actions: [{ id: ACTION_SHOW_LOG, title: vscode.l10n.t('Show Log') }],
        };
      }
      return {
        message:
          e.cause === 'inline'
            ? vscode.l10n.t(
                'The image was generated but no file was saved: {0}.',
                downloadReason(e.downloadProblem, e.status),
              )
            : vscode.l10n.t(
                'The image was generated but no file was saved: {0}. It is kept in the gallery with its URL.',
                downloadReason(e.downloadProblem, e.status),
              ),
        actions: [],
      };
  }
}

/** Shows an error value to the user and runs the action chosen. */
export class ErrorPresenter {
  constructor(
    private readonly ui: UserInterface,
    private readonly log: Logger,
  ) {}

  /**
   * Shows each distinct problem once (four images failing the same way make one message); with
   * `counts` of a generation of several images, each says how many of how many failed.
   */
  showAll(
    problems: readonly ImageGenError[],
    context: ErrorContext = {},
    counts?: { failed: number; requested: number },
  ): void {
    const seen = new Set<string>();
    for (const p of problems) {
      const key = `${p.kind}:${p.downloadProblem ?? ''}:${p.status ?? ''}:${p.cause ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      void this.show(p, context, counts && counts.requested > 1 && counts.failed > 0 ? counts : undefined);
    }
  }

  /** The sentence `show` would put in the notification, for a webview to repeat beside its button. */
  reason(e: ImageGenError, context: ErrorContext = {}): string | undefined {
    return describeError(e, context)?.message;
  }

  /** Options the model cannot take, corrected before sending: said once, as information. */
  showNotes(model: string, notes: readonly CapabilityNote[]): void {
    if (notes.length > 0) void this.ui.info(describeNotes(model, notes));
  }

  /** A request refused before sending (`core/request.ts` names the problem); returns the sentence shown. */
  showInvalid(problem: string): string {
    const e = localError('invalidRequest', { cause: problem });
    void this.show(e, {}, undefined, false);
    return this.reason(e) ?? problem;
  }

  /** A bug in a flow: the stack goes to the log, the user is told where to find it. */
  showUnexpected(flow: 'generate' | 'edit' | 'illustrate', error: unknown): void {
    this.log.error(
      `${UNEXPECTED_LOG[flow]} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    void this.show(localError('unexpected', { cause: flow }), {}, undefined, false);
  }

  async show(
    e: ImageGenError,
    context: ErrorContext = {},
    counts?: { failed: number; requested: number },
    logged = true,
  ): Promise<void> {
    if (logged) this.logError(e);
    const presented = describeError(e, context);
    if (!presented) return;
    const message = counts
      ? vscode.l10n.t('{0} of {1} images failed. {2}', counts.failed, counts.requested, presented.message)
      : presented.message;
    const choice = await (presented.warning ? this.ui.warn : this.ui.error).call(
      this.ui,
      message,
      ...presented.actions,
    );
    if (choice === ACTION_SET_KEY) await vscode.commands.executeCommand('imageGen.setApiKey');
    else if (choice === ACTION_SHOW_LOG) await vscode.commands.executeCommand('imageGen.showLog');
    else if (choice === ACTION_TEST_CONNECTION)
      await vscode.commands.executeCommand('imageGen.testConnection');
    else if (choice?.startsWith('openSettings:')) {
      const key = choice.slice('openSettings:'.length);
      await vscode.commands.executeCommand(
        settingsCommandFor(vscode.workspace.getConfiguration().inspect(key)),
        key,
      );
    }
  }

  private logError(e: ImageGenError): void {
    this.log.error(
      `${e.kind}${e.host ? ` from ${e.host}` : ''}` +
        (e.status ? ` (HTTP ${e.status})` : '') +
        (e.cause ? `: ${e.cause}` : '') +
        (e.providerMessage ? ` — ${e.providerMessage}` : '') +
        (e.saveProblem ? `: ${e.saveProblem}` : '') +
        (e.bodyExcerpt ? `\n${e.bodyExcerpt}` : ''),
    );
  }
}

const UNEXPECTED_LOG = { generate: 'Generation', edit: 'Edit', illustrate: 'Illustrate' } as const;
