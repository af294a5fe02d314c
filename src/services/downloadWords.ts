// Why no copy of an image could be kept, in words: apart from the other error wording so that the
// activation bundle can hand it to the webviews (a gallery tile's note) without the engine.
import * as vscode from 'vscode';
import type { DownloadProblem } from '../core/types';

/** Why no copy of an image could be kept, as a clause (also shown under gallery tiles). */
export function downloadReason(problem: DownloadProblem | undefined, status?: number): string {
  switch (problem) {
    case 'httpStatus':
      return vscode.l10n.t('the image URL answered HTTP {0}', status ?? '?');
    case 'notImage':
      return vscode.l10n.t('what arrived is not a PNG, JPEG, WebP or GIF image');
    case 'tooLarge':
      return vscode.l10n.t('the image is larger than 50 MB');
    case 'redirect':
      return vscode.l10n.t('the image URL redirects too many times');
    case 'timeout':
      return vscode.l10n.t('the download took too long');
    case 'privateAddress':
      return vscode.l10n.t(
        'the image URL points at a private or local network address, which is only allowed when the base URL is on one too',
      );
    default:
      return vscode.l10n.t('the image could not be downloaded');
  }
}
