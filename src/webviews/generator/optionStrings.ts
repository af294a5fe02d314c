// The option controls' words, localized on the host (the page only fills in numbers).
import * as vscode from 'vscode';
import type { OptionStrings } from '../shared/modelOptions';

export function optionStrings(): OptionStrings {
  return {
    title: vscode.l10n.t('Model options'),
    default: vscode.l10n.t('Default'),
    labels: {
      quality: vscode.l10n.t('Quality'),
      background: vscode.l10n.t('Background'),
      outputFormat: vscode.l10n.t('Format'),
      outputCompression: vscode.l10n.t('Compression (%)'),
      moderation: vscode.l10n.t('Moderation'),
      style: vscode.l10n.t('Style'),
      partialImages: vscode.l10n.t('Partial images'),
    },
    values: {
      auto: vscode.l10n.t('Auto'),
      low: vscode.l10n.t('Low'),
      medium: vscode.l10n.t('Medium'),
      high: vscode.l10n.t('High'),
      standard: vscode.l10n.t('Standard'),
      hd: vscode.l10n.t('HD'),
      transparent: vscode.l10n.t('Transparent'),
      opaque: vscode.l10n.t('Opaque'),
      png: 'PNG',
      jpeg: 'JPEG',
      webp: 'WebP',
      vivid: vscode.l10n.t('Vivid'),
      natural: vscode.l10n.t('Natural'),
    },
    partialDefault: vscode.l10n.t('Default (2)'),
    partialOff: vscode.l10n.t('Off'),
    partialOneImage: vscode.l10n.t('Partial images stream only when one image is generated at a time.'),
    formatForTransparency: vscode.l10n.t(
      'A transparent background needs PNG or WebP: the format is now PNG.',
    ),
    /** `{0}` = 1, 2, 3. */
    partialCaption: vscode.l10n.t('Partial image {0}, still drawing…', '{0}'),
  };
}
