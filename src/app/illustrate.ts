import * as vscode from 'vscode';
import { runWithConcurrency } from '../core/catalog';
import type { HistoryItem } from '../core/history';
import { withStyle } from '../core/illustration';
import { basename } from '../core/paths';
import { altTextFromPrompt } from '../core/snippets';
import type { ImageGenError, Result } from '../core/types';
import type { AnchorTracker, TrackedAnchor } from '../services/anchorTracker';
import type { ConfigurationReader } from '../services/configuration';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { GenerationOutcome, ImageGenerator } from '../services/imageGenerator';
import type { ImagePlacer } from '../services/imagePlacer';
import type { Logger } from '../services/logger';
import type { UserInterface } from '../services/ui';
import type { GenerationRunner } from './generationRunner';

/** Generations of one batch that run at once (PRODUCT.md §14). */
export const MAX_SECTIONS_IN_FLIGHT = 4;

/** One image to make: where it goes (the heading's lines) and what to ask for. */
export interface PlannedSection {
  /** 0-based first and last line of the heading the image goes under. */
  line: number;
  endLine: number;
  heading: string;
  /** Without the style suffix. */
  prompt: string;
}

export interface IllustrationPlan {
  document: vscode.TextDocument;
  sections: PlannedSection[];
  /** Appended to every prompt. */
  style: string;
  model: string;
  size: string;
  mode: 'file' | 'url';
  /** Make the first image, then the others with it as reference (only where `editing` can). */
  reference?: boolean;
}

/**
 * Making an image from a prompt plus reference images (`POST /images/edits`). Present only where
 * the extension has an edits client and the model can edit; without it the option is not offered.
 */
export interface ReferenceEditing {
  canEdit(model: string): boolean;
  generateWithReference(
    request: { prompt: string; model: string; size: string; n: number },
    reference: HistoryItem,
    signal: AbortSignal,
  ): Promise<Result<GenerationOutcome>>;
}

export interface IllustratedImage {
  url?: string;
  uri?: string;
  markdown?: string;
  historyId: string;
}

export interface IllustratedSection {
  /** 0-based line of the heading once the batch ended (edits made meanwhile move it). */
  line: number;
  heading: string;
  /** The prompt sent, style suffix included. */
  prompt: string;
  images: IllustratedImage[];
  /** Why this section has no image: the message shown, or 'cancelled'. */
  error?: string;
}

export interface IllustrateResult {
  sections: IllustratedSection[];
  cancelled: boolean;
}

type SectionOutcome =
  | { kind: 'done'; images: IllustratedImage[]; items: HistoryItem[] }
  | { kind: 'failed'; error: ImageGenError }
  | { kind: 'cancelled' };

export interface IllustrateDeps {
  config: ConfigurationReader;
  generator: ImageGenerator;
  placer: ImagePlacer;
  tracker: AnchorTracker;
  presenter: ErrorPresenter;
  /** Registers the batch (one Cancel, deactivation) and shows the status item while it runs. */
  runner: Pick<GenerationRunner, 'notify'>;
  ui: UserInterface;
  log: Logger;
  editing?: ReferenceEditing;
}

const RETRY_FAILED = 'retryFailed';

/**
 * Illustrate Document's use case: every planned section generated (at most 4 at once, one
 * progress, one cancel), each image placed under its heading wherever edits have moved it, the
 * failures reported together with a way to retry them.
 */
export class IllustrateDocument {
  constructor(private readonly deps: IllustrateDeps) {}

  /** Whether the reference option can be offered for this model. */
  canUseReference(model: string): boolean {
    return this.deps.editing?.canEdit(model) ?? false;
  }

  /** Undefined when nothing was sent (no key, or the plan is empty). */
  async run(plan: IllustrationPlan): Promise<IllustrateResult | undefined> {
    const { document } = plan;
    if (plan.sections.length === 0) return undefined;
    const anchors = plan.sections.map((s) => this.trackHeading(document, s));
    let keepAlive: TrackedAnchor[] = [];
    try {
      const key = await this.deps.generator.resolveKey(this.deps.config.get().baseUrl);
      if (!key.ok) {
        void this.deps.presenter.show(key.error);
        return undefined;
      }
      const { outcomes, cancelled } = await this.generateAll(plan, anchors);
      const sections = plan.sections.map((s, i): IllustratedSection => {
        const o = outcomes[i];
        return {
          line: document.positionAt(anchors[i].anchor.current().start).line,
          heading: s.heading,
          prompt: withStyle(s.prompt, plan.style),
          images: o.kind === 'done' ? o.images : [],
          error:
            o.kind === 'failed'
              ? (this.deps.presenter.reason(o.error, plan) ?? o.error.kind)
              : o.kind === 'cancelled'
                ? 'cancelled'
                : undefined,
        };
      });
      const failed = plan.sections.flatMap((s, i) => {
        const o = outcomes[i];
        return o.kind === 'failed' ? [{ section: s, anchor: anchors[i].anchor, error: o.error }] : [];
      });
      keepAlive = failed.map((f) => f.anchor);
      if (failed.length > 0) this.reportFailures(plan, failed);
      else keepAlive = [];
      return { sections, cancelled };
    } finally {
      for (const a of anchors) if (!keepAlive.includes(a.anchor)) a.anchor.dispose();
    }
  }

  /** The heading's lines, followed through edits; the image goes in its own paragraph below them. */
  private trackHeading(document: vscode.TextDocument, s: PlannedSection) {
    const last = Math.min(s.endLine, document.lineCount - 1);
    const range = new vscode.Range(s.line, 0, last, document.lineAt(last).text.length);
    return { anchor: this.deps.tracker.track(document, range), selectedText: document.getText(range) };
  }

  private async generateAll(
    plan: IllustrationPlan,
    anchors: { anchor: TrackedAnchor; selectedText: string }[],
  ): Promise<{ outcomes: SectionOutcome[]; cancelled: boolean }> {
    const total = plan.sections.length;
    const title = vscode.l10n.t(
      'Illustrating {0}: {1} image(s) with {2}',
      basename(plan.document.uri.path),
      total,
      plan.model,
    );
    return this.deps.runner.notify(title, async (signal, report) => {
      if (!(await this.deps.generator.confirmBatch(signal)))
        return {
          outcomes: plan.sections.map((): SectionOutcome => ({ kind: 'cancelled' })),
          cancelled: true,
        };
      let done = 0;
      report(0, total);
      const task = (i: number, reference?: HistoryItem) => async (): Promise<SectionOutcome> => {
        const outcome = await this.one(plan, i, anchors[i], signal, reference);
        report(++done, total);
        return outcome;
      };
      const useReference = plan.reference === true && this.canUseReference(plan.model) && total > 1;
      let outcomes: SectionOutcome[];
      if (useReference) {
        const first = await task(0)();
        const reference = first.kind === 'done' ? first.items[0] : undefined;
        const rest = plan.sections.slice(1).map((_, i) => task(i + 1, reference));
        outcomes = [first, ...(await runWithConcurrency(rest, MAX_SECTIONS_IN_FLIGHT))];
      } else {
        outcomes = await runWithConcurrency(
          plan.sections.map((_, i) => task(i)),
          MAX_SECTIONS_IN_FLIGHT,
        );
      }
      return { outcomes, cancelled: signal.aborted };
    });
  }

  /** One section: generate (with the reference when there is one), then place under the heading. */
  private async one(
    plan: IllustrationPlan,
    index: number,
    target: { anchor: TrackedAnchor; selectedText: string },
    signal: AbortSignal,
    reference: HistoryItem | undefined,
  ): Promise<SectionOutcome> {
    if (signal.aborted) return { kind: 'cancelled' };
    const section = plan.sections[index];
    const request = {
      prompt: withStyle(section.prompt, plan.style),
      model: plan.model,
      size: plan.size,
      n: 1,
    };
    // Marks under the heading where its picture will land, until it is in (or not coming).
    const mark = this.deps.placer.showPlaceholder(
      { ...target, document: plan.document, behavior: 'insertAfter' },
      section.heading || section.prompt,
    );
    try {
      return await this.generateAndPlace(plan, section, request, target, signal, reference);
    } finally {
      mark.dispose();
    }
  }

  private async generateAndPlace(
    plan: IllustrationPlan,
    section: PlannedSection,
    request: { prompt: string; model: string; size: string; n: number },
    target: { anchor: TrackedAnchor; selectedText: string },
    signal: AbortSignal,
    reference: HistoryItem | undefined,
  ): Promise<SectionOutcome> {
    const answer =
      reference && this.deps.editing
        ? await this.deps.editing.generateWithReference(request, reference, signal)
        : await this.deps.generator.generate(request, signal);
    if (!answer.ok) {
      if (answer.error.kind === 'cancelled') return { kind: 'cancelled' };
      this.deps.log.warn(`Illustrate: "${section.heading}" failed: ${answer.error.kind}`);
      return { kind: 'failed', error: answer.error };
    }
    const { items, problems } = answer.value;
    this.deps.presenter.showAll(problems, plan);
    // The heading names the picture in a few words; a 100-character prompt cut mid-word does not.
    const alt =
      this.deps.config.get().altText === 'empty' ? '' : altTextFromPrompt(section.heading || section.prompt);
    // Paid for and arrived: placed even when the batch is cancelled meanwhile.
    const placed = await this.deps.placer.place(items, plan.mode, alt, {
      ...target,
      document: plan.document,
      behavior: 'insertAfter',
    });
    const images = items.map((item, i) => ({ url: item.remoteUrl, historyId: item.id, ...placed[i] }));
    return { kind: 'done', images, items };
  }

  /** One message for every failed section, with the first reason and a Retry failed action. */
  private reportFailures(
    plan: IllustrationPlan,
    failed: { section: PlannedSection; anchor: TrackedAnchor; error: ImageGenError }[],
  ): void {
    for (const f of failed)
      this.deps.log.error(
        `Illustrate: no image for "${f.section.heading}" (${f.error.kind} from ${f.error.host})`,
      );
    const names = failed
      .slice(0, 5)
      .map((f) => `“${f.section.heading}”`)
      .join(', ');
    const reason = this.deps.presenter.reason(failed[0].error, plan) ?? failed[0].error.kind;
    const message = vscode.l10n.t(
      '{0} of {1} sections were not illustrated ({2}): {3}',
      failed.length,
      plan.sections.length,
      failed.length > 5 ? `${names}, …` : names,
      reason,
    );
    const dispose = () => failed.forEach((f) => f.anchor.dispose());
    void this.deps.ui
      .error(message, { id: RETRY_FAILED, title: vscode.l10n.t('Retry failed') })
      .then(async (choice) => {
        if (choice !== RETRY_FAILED || plan.document.isClosed) return;
        // The headings may have moved since: retry where the tracked anchors are now.
        const sections = failed.map((f) => {
          const { start, end } = f.anchor.current();
          const line = plan.document.positionAt(start).line;
          const endLine = Math.max(line, plan.document.positionAt(end).line);
          return { ...f.section, line, endLine };
        });
        dispose();
        await this.run({ ...plan, sections });
      })
      .finally(dispose);
  }
}
