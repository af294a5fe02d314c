import * as vscode from 'vscode';
import type { CapabilityNote } from '../core/modelRequest';

/** One sentence for the options corrected before sending ("gpt-image-1 does not take style: left out"). */
export function describeNotes(model: string, notes: readonly CapabilityNote[]): string {
  const parts = notes.map((note) =>
    note.kind === 'dropped'
      ? vscode.l10n.t('{0} left out', note.option)
      : vscode.l10n.t('{0} changed from {1} to {2}', note.option, note.from, note.to),
  );
  return vscode.l10n.t('Adjusted for what {0} can do: {1}.', model, parts.join('; '));
}
