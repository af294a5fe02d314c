// The words of errors that need more than one sentence to choose: connection problems, saves,
// bugs and what a model cannot do (downloads: downloadWords.ts). Used only by errorPresenter.ts.
import * as vscode from 'vscode';
import { describeSizeRule } from '../core/capabilities';
import type { CapabilityProblem } from '../core/modelRequest';
import type { ImageGenError } from '../core/types';
import type { ErrorContext, PresentedError } from './errorPresenter';

/** Failures before any answer that waiting will not fix: said as what happened, with where to fix it. */
export type ConnectionProblem = 'refused' | 'hostNotFound' | 'untrustedCertificate' | 'notTls';

const TLS_CAUSES =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_|HOSTNAME_MISMATCH|ALTNAME/;

/** Which connection problem a low-level cause (`ECONNREFUSED`, `ENOTFOUND`, a TLS code) is, if any. */
export function connectionProblem(cause: string | undefined): ConnectionProblem | undefined {
  if (!cause) return undefined;
  if (cause === 'ECONNREFUSED') return 'refused';
  if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN' || cause === 'EAI_NONAME') return 'hostNotFound';
  if (cause === 'EPROTO' || /WRONG_VERSION_NUMBER|ERR_SSL_/.test(cause)) return 'notTls';
  if (TLS_CAUSES.test(cause)) return 'untrustedCertificate';
  return undefined;
}

export function connectionMessage(problem: ConnectionProblem, host: string, cause: string): string {
  switch (problem) {
    case 'refused':
      return vscode.l10n.t(
        'Nothing answers at {0}: the connection was refused. Check the base URL setting, or start the server.',
        host,
      );
    case 'hostNotFound':
      return vscode.l10n.t(
        'Host not found: {0} does not resolve. Check the base URL setting and your network.',
        host,
      );
    case 'untrustedCertificate':
      return vscode.l10n.t(
        'The certificate of {0} is not trusted ({1}). Check the base URL, or trust the certificate on this machine.',
        host,
        cause,
      );
    case 'notTls':
      return vscode.l10n.t(
        '{0} did not answer with HTTPS ({1}). Check whether the base URL should start with http://.',
        host,
        cause,
      );
  }
}

export function unexpectedMessage(flow: string | undefined): string {
  switch (flow) {
    case 'edit':
      return vscode.l10n.t('Editing the image failed unexpectedly. Details are in the log.');
    case 'illustrate':
      return vscode.l10n.t('Illustrate Document failed unexpectedly. Details are in the log.');
    default:
      return vscode.l10n.t('Image generation failed unexpectedly. Details are in the log.');
  }
}

export function saveMessage(e: ImageGenError): string {
  switch (e.saveProblem) {
    case 'escapes':
      return vscode.l10n.t(
        'The imageGen.destination setting points outside the workspace folder, so no file was saved. The image is in the gallery.',
      );
    case 'linksOutside':
      return vscode.l10n.t(
        'The folder {0} leads elsewhere through a symbolic link, so no file was saved there. The image is in the gallery.',
        e.file ?? '?',
      );
    case 'latexPath':
      return vscode.l10n.t(
        'The path of the saved image contains %, # or \\, which LaTeX cannot load with \\includegraphics, so no link was inserted. Change imageGen.destination; the image is also in the gallery.',
      );
    case 'insertFailed':
      return vscode.l10n.t(
        'The image link could not be inserted into {0}; the image is in the gallery.',
        e.file ?? '?',
      );
    default:
      return vscode.l10n.t('The image could not be saved into the workspace. It is kept in the gallery.');
  }
}

/** A request refused before sending because the model cannot do it (PRODUCT.md §13). */
export function describeCapability(problem: CapabilityProblem, context: ErrorContext): PresentedError {
  const model = context.model ?? '?';
  if (problem.kind === 'size') {
    return {
      message: problem.nearest
        ? vscode.l10n.t(
            '{0} cannot make {1} images (it takes {2}). The nearest size it can make is {3}.',
            model,
            problem.size,
            describeSizeRule(problem.rule),
            problem.nearest,
          )
        : vscode.l10n.t(
            '{0} cannot make {1} images (it takes {2}).',
            model,
            problem.size,
            describeSizeRule(problem.rule),
          ),
      actions: [],
    };
  }
  return {
    message: vscode.l10n.t(
      '{0} does not take {1} = {2}; it takes {3}. Nothing was sent.',
      model,
      problem.option,
      problem.value,
      problem.allowed.join(', '),
    ),
    actions: [],
  };
}
