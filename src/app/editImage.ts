// `imageGen.editImage` (PRODUCT.md §11): source image → prompt → model → `POST /images/edits` →
// a new file beside the source → its link after the old one, or in its place.
import * as vscode from 'vscode';
import { findModel } from '../core/catalog';
import { canEdit } from '../core/editCapability';
import type { HistoryItem } from '../core/history';
import { editFileName } from '../core/imageLinks';
import { sniffImageType } from '../core/imageType';
import { dirname, joinPath, relativeLink } from '../core/paths';
import { buildSnippet } from '../core/snippets';
import { placementStyle } from '../core/placement';
import { localError, type ModelInfo } from '../core/types';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { AnchorTracker, TrackedAnchor } from '../services/anchorTracker';
import type { CatalogService } from '../services/catalogService';
import type { ConfigurationReader } from '../services/configuration';
import type { DocumentInserter } from '../services/documentInserter';
import type { HistoryStore } from '../services/historyStore';
import { snippetLanguageOf, type ImagePlacer } from '../services/imagePlacer';
import type { ImageSaver } from '../services/imageSaver';
import type { Logger } from '../services/logger';
import type { PickItem, UserInterface } from '../services/ui';
import { parseEditArgs, type EditArgs } from './editArgs';
import {
  linkAt,
  linkUnderCursor,
  readInput,
  sourceFor,
  uriOf,
  type EditSource,
  type SourceProblem,
} from './editSource';
import type { GenerationRunner } from './generationRunner';

export interface EditResult {
  prompt: string;
  model: string;
  size: string;
  images: { url?: string; uri?: string; markdown?: string; historyId: string }[];
}

export interface EditDeps {
  /** Where errors are shown (one place for every kind). */
  presenter: Pick<ErrorPresenter, 'show' | 'showUnexpected'>;
  runner: GenerationRunner;
  config: ConfigurationReader;
  catalog: CatalogService;
  history: HistoryStore;
  saver: ImageSaver;
  placer: ImagePlacer;
  inserter: DocumentInserter;
  tracker: AnchorTracker;
  ui: UserInterface;
  log: Logger;
}

/** Where the new link goes: after (or in place of) the old link, else at the cursor. */
interface Destination {
  document: vscode.TextDocument;
  range: vscode.Range;
  text: string;
}

export class EditFlow {
  constructor(private readonly deps: EditDeps) {}

  async run(arg: unknown): Promise<EditResult | undefined> {
    try {
      const { args, problem } = parseEditArgs(arg);
      if (problem) {
        void this.deps.presenter.show(localError('badArgument', { cause: problem }));
        return undefined;
      }
      return await this.edit(args);
    } catch (e) {
      this.deps.presenter.showUnexpected('edit', e);
      return undefined;
    }
  }

  private async edit(args: EditArgs): Promise<EditResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    const source = await this.source(args, editor);
    if (!source) return undefined;
    const destination: Destination | undefined =
      source.link ?? (editor ? { document: editor.document, range: editor.selection, text: '' } : undefined);

    const inputs = await this.readExtras(args);
    if (!inputs) return undefined;

    const prompt = args.prompt?.trim() || (await this.askPrompt(source));
    if (!prompt) return undefined;
    const model = await this.model(args);
    if (!model) return undefined;
    const n = args.n ?? 1;
    const size = args.size;
    const sizeLabel = size ?? 'auto';

    const request = {
      prompt,
      model: model.id,
      size,
      n,
      images: [{ filename: source.fileName, bytes: source.bytes }, ...inputs.references],
      mask: inputs.mask,
      parent: source.file ? source.fileName : (source.item?.id ?? source.fileName),
    };
    const insertAs = args.insertAs ?? (this.deps.config.get().insertAs === 'url' ? 'url' : 'file');
    // Followed from now on, so the image lands where the edit started even after typing meanwhile.
    const anchor =
      destination && insertAs !== 'none'
        ? this.deps.tracker.track(destination.document, destination.range)
        : undefined;
    const mark =
      destination && anchor
        ? this.deps.placer.showPlaceholder(
            {
              anchor,
              selectedText: destination.text,
              document: destination.document,
              behavior: insertAs === 'replace' && destination.text ? 'replace' : 'insertAfter',
            },
            prompt,
          )
        : undefined;
    try {
      const outcome = await this.deps.runner.edit(request, {
        title: vscode.l10n.t('Editing {0} with {1}', source.fileName, model.id),
      });
      if (!outcome) return undefined;
      const items = outcome.items;
      const result: EditResult = {
        prompt,
        model: model.id,
        size: sizeLabel,
        images: items.map((i) => ({ url: i.remoteUrl, historyId: i.id })),
      };
      if (insertAs === 'none') return result;
      await this.place(
        items,
        source,
        destination && anchor && { ...destination, anchor },
        insertAs,
        prompt,
        result,
      );
      return result;
    } finally {
      mark?.dispose();
      anchor?.dispose();
    }
  }

  private async source(
    args: EditArgs,
    editor: vscode.TextEditor | undefined,
  ): Promise<EditSource | undefined> {
    if (args.image) {
      const found = await sourceFor(args.image, this.deps.history);
      if (typeof found === 'string') return this.refuse(found, args.image);
      if (args.at && found.file) found.link = await linkAt(args.at, found.file);
      else if (found.file) {
        const under = linkUnderCursor(editor);
        if (under && under.uri.toString() === found.file.toString()) found.link = under.link;
      }
      return found;
    }
    const under = linkUnderCursor(editor);
    if (under) {
      const found = await sourceFor(under.uri.toString(), this.deps.history);
      if (typeof found === 'string') return this.refuse(found, under.uri.fsPath);
      return { ...found, link: under.link };
    }
    const item = await this.pickFromGallery();
    if (!item) return undefined;
    const found = await sourceFor(item.id, this.deps.history);
    return typeof found === 'string' ? this.refuse(found, item.prompt) : found;
  }

  private refuse(problem: SourceProblem, what: string): undefined {
    const message =
      problem === 'notImage'
        ? vscode.l10n.t('{0} is not a PNG, JPEG or WebP image, so it cannot be edited.', what)
        : problem === 'tooLarge'
          ? vscode.l10n.t('{0} is larger than 50 MB, so it cannot be edited.', what)
          : vscode.l10n.t('The image {0} was not found.', what);
    void this.deps.ui.error(message);
    return undefined;
  }

  private async readExtras(args: EditArgs) {
    const references: { filename: string; bytes: Uint8Array }[] = [];
    for (const ref of args.references ?? []) {
      const uri = uriOf(ref);
      const read = uri ? await readInput(uri) : 'notFound';
      if (typeof read === 'string') return this.refuse(read, ref);
      references.push({ filename: read.fileName, bytes: read.bytes });
    }
    let mask: { filename: string; bytes: Uint8Array } | undefined;
    if (args.mask) {
      const uri = uriOf(args.mask);
      const read = uri ? await readInput(uri) : 'notFound';
      if (typeof read === 'string') return this.refuse(read, args.mask);
      if (sniffImageType(read.bytes)?.ext !== 'png') {
        void this.deps.ui.error(
          vscode.l10n.t('The mask must be a PNG image (transparent where the image should change).'),
        );
        return undefined;
      }
      mask = { filename: read.fileName, bytes: read.bytes };
    }
    return { references, mask };
  }

  private async pickFromGallery(): Promise<HistoryItem | undefined> {
    await this.deps.history.ready();
    const items = this.deps.history.list().filter((i) => i.cacheFile);
    if (items.length === 0) {
      void this.deps.ui.info(
        vscode.l10n.t('Nothing to edit: put the cursor on an image link, or generate an image first.'),
      );
      return undefined;
    }
    const chosen = await this.deps.ui.pick(
      items.map((i) => ({
        label: i.prompt.replace(/\s+/g, ' ').slice(0, 120),
        description: `${i.model} · ${i.size}`,
        detail: new Date(i.createdAt).toLocaleString(),
        value: i,
      })),
      { title: vscode.l10n.t('Edit Image: pick an image from the gallery') },
    );
    return chosen && 'value' in chosen ? chosen.value : undefined;
  }

  private async askPrompt(source: EditSource): Promise<string | undefined> {
    const typed = await this.deps.ui.input({
      title: vscode.l10n.t('Edit {0}', source.fileName),
      prompt: vscode.l10n.t('Describe the change (the source file is not modified)'),
      placeHolder: vscode.l10n.t('e.g. make the sky stormy, keep everything else'),
    });
    return typed?.trim() || undefined;
  }

  /** Only models that can edit are offered; one named by the caller that cannot is refused before paying. */
  private async model(args: EditArgs): Promise<ModelInfo | undefined> {
    if (args.model) {
      const model = findModel(await this.deps.catalog.models({ fetchRemote: false }), args.model);
      if (canEdit(model)) return model;
      void this.deps.ui.error(vscode.l10n.t('{0} cannot edit images. Choose a model that can.', model.id));
      return undefined;
    }
    const catalog = (await this.deps.catalog.models({ fetchRemote: true })).filter((m) => canEdit(m));
    const preferred = catalog.find((m) => m.id === this.deps.config.get().defaultModel);
    const ordered = preferred ? [preferred, ...catalog.filter((m) => m !== preferred)] : catalog;
    const items: PickItem<ModelInfo>[] = ordered.map((m) => ({
      label: m.id,
      description: m.label !== m.id ? m.label : undefined,
      value: m,
    }));
    const chosen = await this.deps.ui.pick(items, {
      title: vscode.l10n.t('Model for the edit'),
      placeHolder: vscode.l10n.t('Models that can edit images; or type any model id'),
      allowCustom: (text) => text.trim() || undefined,
    });
    if (!chosen) return undefined;
    if ('value' in chosen) return chosen.value;
    return 'custom' in chosen ? this.model({ model: chosen.custom }) : undefined;
  }

  private async place(
    items: readonly HistoryItem[],
    source: EditSource,
    destination: (Destination & { anchor: TrackedAnchor }) | undefined,
    insertAs: 'file' | 'url' | 'replace',
    prompt: string,
    result: EditResult,
  ): Promise<void> {
    const links: (string | undefined)[] = [];
    for (const [i, item] of items.entries()) {
      let saved: vscode.Uri | undefined;
      if (source.file && item.cacheFile && (insertAs !== 'url' || !item.remoteUrl)) {
        saved = await this.saveBeside(item, source.file);
        if (saved) result.images[i].uri = saved.toString();
      }
      const docUri = destination?.document.uri;
      const local =
        saved && docUri && docUri.scheme !== 'untitled'
          ? relativeLink(dirname(docUri.path), saved.path)
          : undefined;
      links.push(insertAs === 'url' ? (item.remoteUrl ?? local) : local);
    }
    if (!destination) {
      const first = result.images.find((r) => r.uri);
      void this.deps.ui.info(
        first?.uri
          ? vscode.l10n.t('Edited image saved as {0}.', vscode.Uri.parse(first.uri).fsPath)
          : vscode.l10n.t('{0} image(s) added to the Image Gen gallery.', items.length),
      );
      return;
    }
    if (!source.file) {
      // A gallery image has no file to sit beside: save where imageGen.destination says.
      const alt = await this.deps.placer.altText(prompt);
      const mode = insertAs === 'url' ? 'url' : 'file';
      const placed = await this.deps.placer.place(items, mode, alt, {
        anchor: destination.anchor,
        selectedText: destination.text,
        document: destination.document,
      });
      placed.forEach((p, i) => Object.assign(result.images[i], p));
      return;
    }
    const alt = await this.deps.placer.altText(prompt);
    const language = snippetLanguageOf(destination.document);
    const snippets = links.map((l) => (l ? buildSnippet(language, l, alt) : undefined));
    snippets.forEach((s, i) => s && (result.images[i].markdown = s));
    const present = snippets.filter((s): s is string => !!s);
    if (present.length === 0) return;
    const behavior = insertAs === 'replace' && destination.text ? 'replace' : 'insertAfter';
    const inserted = await this.deps.inserter.insert(
      { anchor: destination.anchor, selectedText: destination.text },
      present,
      behavior,
      placementStyle(language),
    );
    if (!inserted) {
      snippets.forEach((_, i) => delete result.images[i].markdown);
      void this.deps.ui.error(
        vscode.l10n.t(
          'The image link could not be inserted into {0}; the image is in the gallery.',
          destination.document.fileName,
        ),
      );
    }
  }

  /** `<name>-edit-<time>.<ext>` in the source's folder; the source itself is never written. */
  private async saveBeside(item: HistoryItem, file: vscode.Uri): Promise<vscode.Uri | undefined> {
    const ext = item.cacheFile?.split('.').pop() ?? 'png';
    const name = editFileName(file.path.split('/').pop() ?? 'image', new Date(item.createdAt), ext);
    const target = file.with({ path: joinPath(dirname(file.path), name) });
    const written = await this.deps.saver.save(item, target);
    if (!written.ok) {
      void this.deps.ui.error(
        vscode.l10n.t('The edited image could not be saved beside the source. It is kept in the gallery.'),
      );
      return undefined;
    }
    const current = this.deps.history.get(item.id)?.savedUris ?? item.savedUris;
    void this.deps.history.update(item.id, { savedUris: [...current, written.value.toString()] });
    return written.value;
  }
}
