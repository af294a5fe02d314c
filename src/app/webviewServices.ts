import * as vscode from 'vscode';
import type { HistoryItem } from '../core/history';
import type { InsertMode, LocalFiles, WebviewDeps } from '../webviews/deps';
import type { AnchorTracker } from '../services/anchorTracker';
import type { CatalogService } from '../services/catalogService';
import type { ConfigurationReader } from '../services/configuration';
import type { HistoryStore } from '../services/historyStore';
import type { ImagePlacer } from '../services/imagePlacer';
import type { Logger } from '../services/logger';
import type { UserInterface } from '../services/ui';
import type { GenerationRunner } from './generationRunner';
import type { LastEditorTracker } from './lastEditor';

/** The first workspace file saved from this image that still exists. */
async function firstSavedFile(item: HistoryItem): Promise<vscode.Uri | undefined> {
  for (const saved of item.savedUris) {
    const uri = vscode.Uri.parse(saved);
    if (
      await vscode.workspace.fs.stat(uri).then(
        () => true,
        () => false,
      )
    )
      return uri;
  }
  return undefined;
}

interface Services {
  extensionUri: vscode.Uri;
  config: ConfigurationReader;
  catalog: CatalogService;
  /** Runs the requests (checks, Cancel, status item, errors shown), as for the commands. */
  runner: Pick<GenerationRunner, 'generate' | 'edit'>;
  placer: ImagePlacer;
  tracker: AnchorTracker;
  history: HistoryStore;
  ui: UserInterface;
  log: Logger;
  lastEditor: LastEditorTracker;
  files: LocalFiles;
  downloadReason: WebviewDeps['downloadReason'];
}

/** The webviews' view of the extension: the same services the commands use, nothing more. */
export function createWebviewDeps(s: Services): WebviewDeps {
  /** The editor showing `target`, else the last active text editor. */
  const editorFor = async (target: vscode.Uri | undefined): Promise<vscode.TextEditor | undefined> => {
    if (target) {
      const visible = vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.toString() === target.toString(),
      );
      if (visible) return visible;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
      if (doc) return vscode.window.showTextDocument(doc, { preserveFocus: true, preview: false });
    }
    return s.lastEditor.editor;
  };

  const generate: WebviewDeps['generate'] = async (request, signal, onProgress, onFailure, onPartial) =>
    (await s.runner.generate(request, { signal, onProgress, onFailure, hooks: () => ({ onPartial }) }))
      ?.items;

  const insert = async (
    item: HistoryItem,
    mode: InsertMode,
    target: vscode.Uri | undefined,
  ): Promise<boolean> => {
    const editor = await editorFor(target);
    if (!editor) {
      void s.ui.warn(vscode.l10n.t('Open a text editor to insert the image into.'));
      return false;
    }
    const preferred = mode === 'default' ? s.config.get().insertAs : mode;
    let how = preferred === 'ask' ? await s.placer.askMode() : preferred;
    if (!how) return false;
    if (how === 'file' && !item.cacheFile && !(await s.placer.savedCopy(item, editor.document.uri))) {
      // No local copy to save: the provider's URL is all there is, when it is not known to be broken.
      if (!item.remoteUrl || item.problem) {
        void s.ui.warn(vscode.l10n.t('This image has no local copy to save into the workspace.'));
        return false;
      }
      void s.ui.info(
        vscode.l10n.t('No local copy of this image is left, so its URL was inserted; it may have expired.'),
      );
      how = 'url';
    }
    const anchor = s.tracker.track(editor.document, editor.selection);
    try {
      const placed = await s.placer.place([item], how, await s.placer.altText(item.prompt), {
        anchor,
        selectedText: editor.selection.isEmpty ? '' : editor.document.getText(editor.selection),
        document: editor.document,
      });
      return placed.some((p) => p.markdown !== undefined);
    } finally {
      anchor.dispose();
    }
  };

  return {
    extensionUri: s.extensionUri,
    cacheDirs: [s.history.imagesDir, s.history.thumbsDir],
    files: s.files,
    history: s.history,
    async catalog() {
      const config = s.config.get();
      return {
        models: await s.catalog.models({ fetchRemote: true }),
        defaultModel: config.defaultModel,
        defaultSize: config.defaultSize,
        count: config.count,
      };
    },
    generate,
    insert,
    async snippet(item, target) {
      const editor = await editorFor(target);
      const current = s.history.get(item.id) ?? item;
      return s.placer.snippetFor(current, editor?.document, await s.placer.altText(current.prompt));
    },
    async dropSnippet(item, document) {
      const current = s.history.get(item.id) ?? item;
      return s.placer.snippetForDrop(current, document, await s.placer.altText(current.prompt));
    },
    async regenerate(item) {
      let reason: string | undefined;
      await s.runner.generate(
        { prompt: item.prompt, model: item.model, size: item.size, n: 1 },
        {
          title: vscode.l10n.t('Generating {0} image(s) with {1}', 1, item.model),
          onFailure: (r) => (reason = r),
        },
      );
      return reason;
    },
    downloadReason: s.downloadReason,
    async editItem(item) {
      await vscode.commands.executeCommand('imageGen.editImage', { image: item.id });
    },
    edit: async (request, signal, onFailure) => (await s.runner.edit(request, { signal, onFailure }))?.items,
    async open(item) {
      const saved = await firstSavedFile(item);
      const cached = s.history.cacheUri(item);
      if (saved ?? cached) await vscode.commands.executeCommand('vscode.open', saved ?? cached);
      else if (item.remoteUrl) await s.ui.openExternal(vscode.Uri.parse(item.remoteUrl));
    },
    async reveal(item) {
      const saved = await firstSavedFile(item);
      if (saved) await vscode.commands.executeCommand('revealInExplorer', saved);
      else void s.ui.info(vscode.l10n.t('This image was not saved into the workspace.'));
    },
    ui: s.ui,
    log: s.log,
  };
}
