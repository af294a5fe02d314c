import * as vscode from 'vscode';
import { describeSizeRule, nearestSize, sizeFits } from '../core/capabilities';
import { findModel, normalizeSize } from '../core/catalog';
import { validateRequest } from '../core/request';
import type { ModelInfo } from '../core/types';
import type { AnchorTracker, TrackedAnchor } from '../services/anchorTracker';
import { describeNotes } from '../services/capabilityText';
import type { CatalogService } from '../services/catalogService';
import type { ConfigurationReader, ImageGenConfig } from '../services/configuration';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { ImageGenerator } from '../services/imageGenerator';
import type { ImagePlacer } from '../services/imagePlacer';
import type { Logger } from '../services/logger';
import type { GenerationStatus } from '../services/statusBar';
import type { PickItem, UserInterface } from '../services/ui';
import type { Command } from './command';

/** The optional argument of `imageGen.generate` / `imageGen.generateFromSelection` (PRODUCT.md §2). */
export interface GenerateArgs {
  prompt?: string;
  model?: string;
  size?: string;
  n?: number;
  insertAs?: 'file' | 'url' | 'none';
  extra?: Record<string, unknown>;
}

export interface GeneratedImageResult {
  url?: string;
  uri?: string;
  markdown?: string;
  historyId: string;
}

export interface GenerateResult {
  prompt: string;
  model: string;
  size: string;
  images: GeneratedImageResult[];
}

export interface GenerateDeps {
  config: ConfigurationReader;
  catalog: CatalogService;
  generator: ImageGenerator;
  placer: ImagePlacer;
  tracker: AnchorTracker;
  presenter: ErrorPresenter;
  status: GenerationStatus;
  ui: UserInterface;
  log: Logger;
  state: vscode.Memento;
  /** Running generations, so they can all be cancelled (tests use it too). */
  running: Set<AbortController>;
  openGenerator(prompt: string): Promise<void>;
}

const LAST_PROMPT_KEY = 'imageGen.lastPrompt';

/** Reads the programmatic argument; a field of the wrong type is reported, not guessed. */
export function parseGenerateArgs(arg: unknown): { args: GenerateArgs; problem?: string } {
  if (
    arg === undefined ||
    arg === null ||
    typeof arg !== 'object' ||
    Array.isArray(arg) ||
    arg instanceof vscode.Uri
  ) {
    // Menus pass the document's Uri; that is not an argument object.
    return { args: {} };
  }
  const o = arg as Record<string, unknown>;
  const args: GenerateArgs = {};
  if (o.prompt !== undefined) {
    if (typeof o.prompt !== 'string') return { args, problem: 'prompt' };
    args.prompt = o.prompt;
  }
  if (o.model !== undefined) {
    if (typeof o.model !== 'string' || !o.model.trim()) return { args, problem: 'model' };
    args.model = o.model.trim();
  }
  if (o.size !== undefined) {
    const size = typeof o.size === 'string' ? normalizeSize(o.size) : undefined;
    if (!size) return { args, problem: 'size' };
    args.size = size;
  }
  if (o.n !== undefined) {
    if (typeof o.n !== 'number' || !Number.isInteger(o.n) || o.n < 1 || o.n > 10)
      return { args, problem: 'n' };
    args.n = o.n;
  }
  if (o.insertAs !== undefined) {
    if (o.insertAs !== 'file' && o.insertAs !== 'url' && o.insertAs !== 'none')
      return { args, problem: 'insertAs' };
    args.insertAs = o.insertAs;
  }
  if (o.extra !== undefined) {
    if (!o.extra || typeof o.extra !== 'object' || Array.isArray(o.extra)) return { args, problem: 'extra' };
    args.extra = o.extra as Record<string, unknown>;
  }
  return { args };
}

/** Where the command started: the document and its selection (or cursor), followed through edits. */
interface StartPoint {
  anchor: TrackedAnchor;
  document: vscode.TextDocument;
  selectedText: string;
}

/** Generate Image and Generate Image from Selection: prompt → model → size → generate → save → link. */
export class GenerateFlow {
  constructor(private readonly deps: GenerateDeps) {}

  async run(arg: unknown, fromSelection: boolean): Promise<GenerateResult | undefined> {
    let start: StartPoint | undefined;
    try {
      const { args, problem } = parseGenerateArgs(arg);
      if (problem) {
        void this.deps.ui.error(vscode.l10n.t('The argument "{0}" of the command is not valid.', problem));
        return undefined;
      }
      // Pin the start point before any question: the user may switch editors while answering.
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        const selection = editor.selection;
        start = {
          anchor: this.deps.tracker.track(editor.document, selection),
          document: editor.document,
          selectedText: selection.isEmpty ? '' : editor.document.getText(selection),
        };
      }
      return await this.generate(args, fromSelection, start);
    } catch (e) {
      this.deps.log.error(
        `Generation failed unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      void this.deps.ui.error(vscode.l10n.t('Image generation failed unexpectedly. Details are in the log.'));
      return undefined;
    } finally {
      start?.anchor.dispose();
    }
  }

  private async generate(args: GenerateArgs, fromSelection: boolean, start: StartPoint | undefined) {
    const config = this.deps.config.get();
    const prompt = await this.askPrompt(args, fromSelection, start);
    if (!prompt) return undefined;
    void this.deps.state.update(LAST_PROMPT_KEY, prompt);

    let model: ModelInfo | undefined;
    if (args.model) model = findModel(await this.deps.catalog.models({ fetchRemote: false }), args.model);
    else {
      const picked = await this.pickModel(config);
      if (picked === 'panel') {
        await this.deps.openGenerator(prompt);
        return undefined;
      }
      model = picked;
    }
    if (!model) return undefined;
    let size = args.size ?? (await this.pickSize(model, config));
    if (!size) return undefined;
    size = await this.fitSize(model, size);
    if (!size) return undefined;
    const n = args.n ?? config.count;
    const request = { prompt, model: model.id, size, n, extra: args.extra };
    const invalid = validateRequest(request);
    if (invalid) {
      void this.deps.ui.error(vscode.l10n.t('The request is not valid ({0}).', invalid));
      return undefined;
    }

    const outcome = await this.withProgress(request);
    if (!outcome.ok) {
      void this.deps.presenter.show(outcome.error, { model: model.id, size });
      return undefined;
    }
    this.deps.presenter.showAll(outcome.value.problems, { model: model.id, size });

    const items = outcome.value.items;
    const result: GenerateResult = {
      prompt,
      model: model.id,
      size,
      images: items.map((i) => ({ url: i.remoteUrl, historyId: i.id })),
    };
    const insertAs = args.insertAs ?? config.insertAs;
    if (insertAs === 'none') return result;
    if (!start || (start.document.isClosed && start.document.isUntitled)) {
      void this.deps.ui.info(vscode.l10n.t('{0} image(s) added to the Image Gen gallery.', items.length));
      return result;
    }
    const mode = insertAs === 'ask' ? await this.deps.placer.askMode() : insertAs;
    if (!mode) return result;
    const alt = await this.deps.placer.altText(prompt);
    const placed = await this.deps.placer.place(items, mode, alt, {
      anchor: start.anchor,
      selectedText: start.selectedText,
      document: start.document,
    });
    placed.forEach((p, i) => (result.images[i] = { ...result.images[i], ...p }));
    return result;
  }

  /** A size the model cannot make: offer the nearest one it can, before anything is sent. */
  private async fitSize(model: ModelInfo, size: string): Promise<string | undefined> {
    const rule = model.capabilities?.sizeRule;
    const normalized = normalizeSize(size) ?? size;
    if (sizeFits(rule, normalized)) return size;
    const nearest = nearestSize(rule, normalized);
    if (!rule || !nearest) return size;
    const use = vscode.l10n.t('Use {0}', nearest);
    const answer = await this.deps.ui.warn(
      vscode.l10n.t(
        '{0} cannot make {1} images (it takes {2}). The nearest size it can make is {3}.',
        model.id,
        normalized,
        describeSizeRule(rule),
        nearest,
      ),
      { id: 'useNearestSize', title: use },
    );
    return answer === 'useNearestSize' ? nearest : undefined;
  }

  private async askPrompt(args: GenerateArgs, fromSelection: boolean, start: StartPoint | undefined) {
    if (args.prompt !== undefined) return args.prompt.trim() || undefined;
    if (fromSelection && start?.selectedText.trim()) return start.selectedText.trim();
    const value = start?.selectedText.trim() || this.deps.state.get<string>(LAST_PROMPT_KEY, '');
    const typed = await this.deps.ui.input({
      title: vscode.l10n.t('Generate Image'),
      prompt: vscode.l10n.t('Describe the image to generate'),
      placeHolder: vscode.l10n.t('e.g. a cute kitten playing in a garden, oil painting, high quality'),
      value,
    });
    return typed?.trim() || undefined;
  }

  private async pickModel(config: ImageGenConfig): Promise<ModelInfo | 'panel' | undefined> {
    const catalog = await this.deps.catalog.models({ fetchRemote: true });
    const def = findModel(catalog, config.defaultModel);
    const ordered = [def, ...catalog.filter((m) => m.id !== def.id)];
    const items: PickItem<ModelInfo | 'panel'>[] = ordered.map((m) => ({
      label: m.id,
      description: m.label !== m.id ? m.label : undefined,
      detail: m.id === def.id ? vscode.l10n.t('Default model') : undefined,
      value: m,
    }));
    items.push({ label: `$(window) ${vscode.l10n.t('Open in panel…')}`, value: 'panel', alwaysShow: true });
    const chosen = await this.deps.ui.pick(items, {
      title: vscode.l10n.t('Model'),
      placeHolder: vscode.l10n.t('Pick a model or type any model id'),
      allowCustom: (text) => text.trim() || undefined,
    });
    if (!chosen) return undefined;
    return 'custom' in chosen ? findModel(catalog, chosen.custom) : chosen.value;
  }

  private async pickSize(model: ModelInfo, config: ImageGenConfig): Promise<string | undefined> {
    const sizes = model.sizes.includes(config.defaultSize)
      ? [config.defaultSize, ...model.sizes.filter((s) => s !== config.defaultSize)]
      : model.sizes;
    const chosen = await this.deps.ui.pick(
      sizes.map((s) => ({
        label: s,
        description: s === config.defaultSize ? vscode.l10n.t('Default') : undefined,
        value: s,
      })),
      {
        title: vscode.l10n.t('Size for {0}', model.id),
        placeHolder: vscode.l10n.t('Pick a size or type WIDTHxHEIGHT'),
        allowCustom: (text) => normalizeSize(text),
      },
    );
    if (!chosen) return undefined;
    return 'custom' in chosen ? chosen.custom : chosen.value;
  }

  private async withProgress(request: {
    prompt: string;
    model: string;
    size: string;
    n: number;
    extra?: Record<string, unknown>;
  }) {
    const end = this.deps.status.begin();
    const controller = new AbortController();
    this.deps.running.add(controller);
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Generating {0} image(s) with {1}', request.n, request.model),
          cancellable: true,
        },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          return this.deps.generator.generate(
            request,
            controller.signal,
            (done, total) => {
              const increment = ((done - reported) / total) * 100;
              reported = done;
              progress.report({ message: `${done}/${total}`, increment });
            },
            {
              onPartial: (partial) =>
                progress.report({
                  message: vscode.l10n.t('Partial image {0} arrived, still drawing…', partial.index + 1),
                }),
              onNotes: (notes) => void this.deps.ui.info(describeNotes(request.model, notes)),
            },
          );
        },
      );
    } finally {
      this.deps.running.delete(controller);
      end();
    }
  }
}

export function generateCommands(flow: GenerateFlow): Command[] {
  return [
    { id: 'imageGen.generate', execute: (arg?: unknown) => flow.run(arg, false) },
    { id: 'imageGen.generateFromSelection', execute: (arg?: unknown) => flow.run(arg, true) },
  ];
}
