// The generator page's words, localized on the host.
import * as vscode from 'vscode';
import { optionStrings } from './optionStrings';
import { editingStrings } from './panelEdit';
import type { GeneratorStrings } from './protocol';

export function generatorStrings(): GeneratorStrings {
  return {
    title: vscode.l10n.t('Image Generator'),
    prompt: vscode.l10n.t('Prompt'),
    promptPlaceholder: vscode.l10n.t('Describe the image you want'),
    generateHint: vscode.l10n.t('Press {0} to generate.', '{0}'),
    model: vscode.l10n.t('Model'),
    size: vscode.l10n.t('Size'),
    sizeInvalid: vscode.l10n.t('Enter the size as WIDTHxHEIGHT, for example 1024x1024.'),
    count: vscode.l10n.t('Count'),
    helpers: vscode.l10n.t('Prompt helpers'),
    quality: vscode.l10n.t('Quality'),
    style: vscode.l10n.t('Style'),
    lighting: vscode.l10n.t('Lighting'),
    chipLanguage: vscode.l10n.t('Helper language'),
    chipToggleAdd: vscode.l10n.t('Add to the prompt'),
    chipToggleRemove: vscode.l10n.t('Remove from the prompt'),
    generate: vscode.l10n.t('Generate'),
    cancel: vscode.l10n.t('Cancel'),
    progress: vscode.l10n.t('Generating… {0} of {1} done', '{0}', '{1}'),
    generatedOne: vscode.l10n.t('Generated 1 image.'),
    generatedMany: vscode.l10n.t('Generated {0} images.', '{0}'),
    failed: vscode.l10n.t('The generation failed.'),
    cancelled: vscode.l10n.t('Generation cancelled.'),
    promptRequired: vscode.l10n.t('Enter a prompt first.'),
    results: vscode.l10n.t('Results'),
    noResults: vscode.l10n.t('Generated images appear here.'),
    clearResults: vscode.l10n.t('Clear results'),
    insertFile: vscode.l10n.t('Insert as file'),
    insertUrl: vscode.l10n.t('Insert URL'),
    copyMarkdown: vscode.l10n.t('Copy Markdown'),
    open: vscode.l10n.t('Open'),
    noLocalCopy: vscode.l10n.t('No local copy of this image.'),
    noUrl: vscode.l10n.t('This image has no URL.'),
    imageUnavailable: vscode.l10n.t('Image not available'),
    imageOne: vscode.l10n.t('1 image'),
    imageMany: vscode.l10n.t('{0} images', '{0}'),
    dragHint: vscode.l10n.t('Drag into an editor to insert the image there.'),
    editing: editingStrings(),
    options: optionStrings(),
  };
}
