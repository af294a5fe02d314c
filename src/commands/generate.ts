import * as vscode from 'vscode';
import type { GenerationRunner } from '../app/generationRunner';
import { MAX_IMAGES_PER_REQUEST } from '../core/catalog';
import { argReader, withoutUndefined } from '../core/commandArgs';
import { localError } from '../core/types';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { AnchorTracker, TrackedAnchor } from '../services/anchorTracker';
import type { CatalogService } from '../services/catalogService';
import type { ConfigurationReader, ImageGenConfig } from '../services/configuration';
import type { GenerationOutcome } from '../services/imageGenerator';
import type { ImagePlacer } from '../services/imagePlacer';
import type { Logger } from '../services/logger';
import type { UserInterface } from '../services/ui';
import type { Command } from './command';
import { GenerateQuestions } from './generateQuestions';

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
  /** Where errors are shown (one place for every kind). */
  presenter: Pick<ErrorPresenter, 'show' | 'showUnexpected'>;
  config: ConfigurationReader;
  catalog: CatalogService;
  /** Runs the request (checks, Cancel, status item, errors shown). */
  runner: Pick<GenerationRunner, 'generate'>;
  placer: ImagePlacer;
  tracker: AnchorTracker;
  ui: UserInterface;
  log: Logger;
  state: vscode.Memento;
  openGenerator(prompt: string): Promise<void>;
}

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
  const r = argReader(arg as Record<string, unknown>);
  // The prompt may be blank here: the command then asks for one (or says it is empty).
  const args: GenerateArgs = {
    prompt: r.text('prompt', { blank: true }),
    model: r.text('model'),
    size: r.size('size'),
    n: r.integer('n', 1, MAX_IMAGES_PER_REQUEST),
    insertAs: r.choice('insertAs', ['file', 'url', 'none'] as const),
    extra: r.record('extra'),
  };
  return { args: withoutUndefined(args), problem: r.problem };
}

/** Where the command started: the document and its selection (or cursor), followed through edits. */
interface StartPoint {
  anchor: TrackedAnchor;
  document: vscode.TextDocument;
  selectedText: string;
}

/** Generate Image and Generate Image from Selection: prompt → model → size → generate → save → link. */
export class GenerateFlow {
  private readonly questions: GenerateQuestions;

  constructor(private readonly deps: GenerateDeps) {
    this.questions = new GenerateQuestions(deps);
  }

  async run(arg: unknown, fromSelection: boolean): Promise<GenerateResult | undefined> {
    let start: StartPoint | undefined;
    try {
      const { args, problem } = parseGenerateArgs(arg);
      if (problem) {
        void this.deps.presenter.show(localError('badArgument', { cause: problem }));
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
      this.deps.presenter.showUnexpected('generate', e);
      return undefined;
    } finally {
      start?.anchor.dispose();
    }
  }

  private async generate(args: GenerateArgs, fromSelection: boolean, start: StartPoint | undefined) {
    const config = this.deps.config.get();
    const answers = await this.questions.ask(args, start?.selectedText ?? '', fromSelection, config);
    if (!answers) return undefined;
    if ('panel' in answers) {
      await this.deps.openGenerator(answers.panel);
      return undefined;
    }
    const { prompt, model } = answers;
    const size = await this.questions.fitSize(model, answers.size);
    if (!size) return undefined;
    const n = args.n ?? config.count;
    const request = { prompt, model: model.id, size, n, extra: args.extra };

    const insertAs = args.insertAs ?? config.insertAs;
    // Marks where the image will land while it is on its way; disposed once it is in (or not coming).
    const mark =
      insertAs !== 'none' && start && !start.document.isClosed
        ? this.deps.placer.showPlaceholder(start, prompt)
        : undefined;
    try {
      const outcome = await this.deps.runner.generate(request, {
        title: vscode.l10n.t('Generating {0} image(s) with {1}', request.n, request.model),
        hooks: (say) => ({
          onPartial: (partial) =>
            say(vscode.l10n.t('Partial image {0} arrived, still drawing…', partial.index + 1)),
        }),
      });
      if (!outcome) return undefined;
      return await this.insertResult(outcome, { prompt, model: model.id, size }, insertAs, start);
    } finally {
      mark?.dispose();
    }
  }

  private async insertResult(
    outcome: GenerationOutcome,
    request: { prompt: string; model: string; size: string },
    insertAs: ImageGenConfig['insertAs'] | 'none',
    start: StartPoint | undefined,
  ): Promise<GenerateResult> {
    const { prompt, size } = request;
    const model = { id: request.model };

    const items = outcome.items;
    const result: GenerateResult = {
      prompt,
      model: model.id,
      size,
      images: items.map((i) => ({ url: i.remoteUrl, historyId: i.id })),
    };
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
}

export function generateCommands(flow: GenerateFlow): Command[] {
  return [
    { id: 'imageGen.generate', execute: (arg?: unknown) => flow.run(arg, false) },
    { id: 'imageGen.generateFromSelection', execute: (arg?: unknown) => flow.run(arg, true) },
  ];
}
