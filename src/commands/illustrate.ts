import * as vscode from 'vscode';
import type { IllustrateDocument, IllustrateResult, PlannedSection } from '../app/illustrate';
import { argReader, withoutUndefined } from '../core/commandArgs';
import { allHeadings, effectiveLevel, proposeIllustrations, type Proposal } from '../core/illustration';
import { outline } from '../core/outline';
import { basename } from '../core/paths';
import { localError } from '../core/types';
import type { ErrorPresenter } from '../services/errorPresenter';
import type { CatalogService } from '../services/catalogService';
import type { ChatDrafter } from '../services/chatDrafter';
import type { ConfigurationReader } from '../services/configuration';
import type { ImagePlacer } from '../services/imagePlacer';
import type { Logger } from '../services/logger';
import type { PickItem, UserInterface } from '../services/ui';
import type { Command } from './command';
import type { GenerateQuestions } from './generateQuestions';

/** The optional argument of `imageGen.illustrateDocument` (PRODUCT.md §14). */
export interface IllustrateArgs {
  uri?: vscode.Uri;
  level?: number;
  cover?: boolean;
  style?: string;
  model?: string;
  size?: string;
  /** 0-based heading lines and their prompts; given, the list is not shown. */
  sections?: { line: number; prompt: string }[];
  /** Make the first image, then the others with it as reference (where the model can edit). */
  reference?: boolean;
}

export interface IllustrateCommandDeps {
  /** Where errors are shown (one place for every kind). */
  presenter: Pick<ErrorPresenter, 'show' | 'showUnexpected'>;
  config: ConfigurationReader;
  catalog: CatalogService;
  placer: ImagePlacer;
  illustrate: IllustrateDocument;
  drafter: ChatDrafter;
  /** The model and size quick picks of Generate Image, so both commands ask alike. */
  pickers: Pick<GenerateQuestions, 'modelAndSize'>;
  ui: UserInterface;
  log: Logger;
  state: vscode.Memento;
}

const STYLE_KEY = 'imageGen.illustrate.style';
const CHAT_CONSENT_KEY = 'imageGen.illustrate.chatModel';

/** Reads the argument; a field of the wrong type is reported, not guessed. Menus pass a Uri. */
export function parseIllustrateArgs(arg: unknown): { args: IllustrateArgs; problem?: string } {
  if (arg instanceof vscode.Uri) return { args: { uri: arg } };
  if (arg === undefined || arg === null || typeof arg !== 'object' || Array.isArray(arg)) return { args: {} };
  const o = arg as Record<string, unknown>;
  const args: IllustrateArgs = {};
  if (o.uri !== undefined) {
    if (o.uri instanceof vscode.Uri) args.uri = o.uri;
    else if (typeof o.uri === 'string' && o.uri) args.uri = vscode.Uri.parse(o.uri);
    else return { args, problem: 'uri' };
  }
  const r = argReader(o);
  Object.assign(
    args,
    withoutUndefined({
      level: r.integer('level', 1, 6),
      cover: r.flag('cover'),
      style: r.text('style', { blank: true })?.trim(),
      model: r.text('model'),
      size: r.size('size'),
      reference: r.flag('reference'),
    }),
  );
  if (r.problem) return { args, problem: r.problem };
  if (o.sections !== undefined) {
    if (!Array.isArray(o.sections)) return { args, problem: 'sections' };
    const sections: { line: number; prompt: string }[] = [];
    for (const s of o.sections as unknown[]) {
      const item = s as { line?: unknown; prompt?: unknown } | null;
      if (!item || typeof item !== 'object') return { args, problem: 'sections' };
      const { line, prompt } = item;
      if (typeof line !== 'number' || !Number.isInteger(line) || line < 0)
        return { args, problem: 'sections' };
      if (typeof prompt !== 'string' || !prompt.trim()) return { args, problem: 'sections' };
      sections.push({ line, prompt: prompt.trim() });
    }
    args.sections = sections;
  }
  return { args };
}

type ListChoice = { kind: 'go' } | { kind: 'edit'; index: number } | { kind: 'add' } | { kind: 'style' };

/**
 * Illustrate Document: only the questions — which document, which sections with which prompts,
 * the shared style, model and size — then one call into the use case (src/app/illustrate.ts).
 */
export class IllustrateCommand {
  constructor(private readonly deps: IllustrateCommandDeps) {}

  async run(arg: unknown): Promise<IllustrateResult | undefined> {
    try {
      const { args, problem } = parseIllustrateArgs(arg);
      if (problem) {
        void this.deps.presenter.show(localError('badArgument', { cause: problem }));
        return undefined;
      }
      return await this.illustrate(args);
    } catch (e) {
      this.deps.presenter.showUnexpected('illustrate', e);
      return undefined;
    }
  }

  private async illustrate(args: IllustrateArgs): Promise<IllustrateResult | undefined> {
    const document = await this.documentFor(args.uri);
    if (!document) return undefined;
    const name = basename(document.uri.path) || document.uri.toString();
    let sections: PlannedSection[] | undefined;
    let style = args.style ?? this.deps.state.get<string>(STYLE_KEY, '');
    if (args.sections) {
      sections = this.sectionsAt(document, args.sections);
      if (!sections) {
        void this.deps.presenter.show(localError('badArgument', { cause: 'sections' }));
        return undefined;
      }
    } else {
      const text = document.getText();
      const level =
        args.level ?? effectiveLevel(outline(text), this.deps.config.get().illustrateHeadingLevel);
      let proposals = proposeIllustrations(text, { level, cover: args.cover ?? false });
      if (proposals.length === 0 && allHeadings(text).length === 0) {
        void this.deps.ui.info(vscode.l10n.t('{0} has no headings to put images under.', name));
        return undefined;
      }
      proposals = await this.maybeChatDraft(proposals, outline(text)[0]?.text ?? name);
      const edited = await this.editList(name, proposals, allHeadings(text), style);
      if (!edited) return undefined;
      ({ style } = edited);
      sections = edited.sections;
    }
    if (sections.length === 0) return undefined;
    if (args.style === undefined) void this.deps.state.update(STYLE_KEY, style);

    const config = this.deps.config.get();
    const picked = await this.deps.pickers.modelAndSize({ model: args.model, size: args.size }, config);
    if (!picked) return undefined;
    const { model, size } = picked;
    const mode = config.insertAs === 'ask' ? await this.deps.placer.askMode() : config.insertAs;
    if (!mode) return undefined;
    const reference =
      args.reference ?? (args.sections ? false : await this.askReference(model.id, sections.length));
    if (reference === undefined) return undefined;
    return this.deps.illustrate.run({ document, sections, style, model: model.id, size, mode, reference });
  }

  /** Where the model can edit, the first image may serve as reference for the rest (§14). */
  private async askReference(model: string, count: number): Promise<boolean | undefined> {
    if (count < 2 || !this.deps.illustrate.canUseReference(model)) return false;
    const chosen = await this.deps.ui.pick(
      [
        { label: vscode.l10n.t('Use the first image as reference for the others'), value: true },
        { label: vscode.l10n.t('Generate each image from its prompt only'), value: false },
      ],
      { title: vscode.l10n.t('A series that looks alike') },
    );
    return chosen && 'value' in chosen ? chosen.value : undefined;
  }

  private async documentFor(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    if (!uri) {
      const document = vscode.window.activeTextEditor?.document;
      if (!document) void this.deps.ui.info(vscode.l10n.t('Open a Markdown document to illustrate it.'));
      return document;
    }
    try {
      return await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      this.deps.log.warn(`Illustrate: cannot open ${uri.toString()}: ${String(e)}`);
      void this.deps.ui.error(vscode.l10n.t('{0} could not be opened.', uri.toString()));
      return undefined;
    }
  }

  /** Sections given by line: a heading there (setext included), or that line itself. */
  private sectionsAt(
    document: vscode.TextDocument,
    given: readonly { line: number; prompt: string }[],
  ): PlannedSection[] | undefined {
    const headings = allHeadings(document.getText());
    const sections: PlannedSection[] = [];
    for (const g of given) {
      if (g.line >= document.lineCount) return undefined;
      const h = headings.find((x) => x.line === g.line || x.endLine === g.line);
      sections.push(
        h
          ? { line: h.line, endLine: h.endLine, heading: h.heading, prompt: g.prompt }
          : { line: g.line, endLine: g.line, heading: document.lineAt(g.line).text.trim(), prompt: g.prompt },
      );
    }
    return sections;
  }

  /** Drafts by a chat model when VS Code has one and the user allowed it (asked once, remembered). */
  private async maybeChatDraft(proposals: Proposal[], title: string): Promise<Proposal[]> {
    if (proposals.length === 0) return proposals;
    const model = await this.deps.drafter.model();
    if (!model) return proposals;
    let consent = this.deps.state.get<'allow' | 'deny'>(CHAT_CONSENT_KEY);
    if (!consent) {
      const chosen = await this.deps.ui.pick<'allow' | 'deny'>(
        [
          {
            label: vscode.l10n.t('Draft the prompts with {0}', model.name),
            detail: vscode.l10n.t('Sends the headings and first paragraphs to {0}.', model.vendor),
            value: 'allow',
          },
          { label: vscode.l10n.t('Draft them locally from the headings'), value: 'deny' },
        ],
        { title: vscode.l10n.t('Draft image prompts with a chat model? (asked once)') },
      );
      if (!chosen || !('value' in chosen)) return proposals;
      consent = chosen.value;
      await this.deps.state.update(CHAT_CONSENT_KEY, consent);
    }
    if (consent !== 'allow') return proposals;
    const prompts = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Drafting prompts with {0}…', model.name),
        cancellable: true,
      },
      (_progress, token) =>
        this.deps.drafter.draft(
          model,
          title,
          proposals.map((p) => ({ heading: p.heading, paragraph: p.paragraph })),
          token,
        ),
    );
    if (!prompts) {
      void this.deps.ui.warn(
        vscode.l10n.t('The chat model gave no usable prompts; the local drafts are shown.'),
      );
      return proposals;
    }
    return proposals.map((p, i) => ({ ...p, prompt: prompts[i] }));
  }

  /** The editable list: edit or drop a prompt, add a heading, set the style; then generate. */
  private async editList(
    name: string,
    initial: readonly Proposal[],
    headings: readonly Proposal[],
    initialStyle: string,
  ): Promise<{ sections: PlannedSection[]; style: string } | undefined> {
    const list = [...initial];
    let style = initialStyle;
    for (;;) {
      const items: PickItem<ListChoice>[] = [];
      if (list.length > 0)
        items.push({
          label: `$(play) ${vscode.l10n.t('Generate {0} image(s)', list.length)}`,
          description: style ? vscode.l10n.t('style: {0}', style) : undefined,
          value: { kind: 'go' },
        });
      list.forEach((p, index) =>
        items.push({
          label: `$(edit) ${p.heading}`,
          description:
            p.kind === 'cover'
              ? vscode.l10n.t('cover, under the title')
              : vscode.l10n.t('line {0}', p.line + 1),
          detail: p.prompt,
          value: { kind: 'edit', index },
        }),
      );
      if (headings.some((h) => !list.some((p) => p.line === h.line)))
        items.push({
          label: `$(add) ${vscode.l10n.t('Add an image under another heading…')}`,
          value: { kind: 'add' },
        });
      items.push({
        label: `$(symbol-color) ${vscode.l10n.t('Style for every image…')}`,
        description: style || vscode.l10n.t('none'),
        value: { kind: 'style' },
      });
      const chosen = await this.deps.ui.pick(items, {
        title: vscode.l10n.t('Illustrate {0}', name),
        placeHolder: vscode.l10n.t(
          'Pick a section to edit its prompt (clear the prompt to drop it), or generate',
        ),
      });
      if (!chosen || !('value' in chosen)) return undefined;
      const choice = chosen.value;
      if (choice.kind === 'go')
        return {
          style,
          sections: list.map((p) => ({
            line: p.line,
            endLine: p.endLine,
            heading: p.heading,
            prompt: p.prompt,
          })),
        };
      if (choice.kind === 'edit') {
        const p = list[choice.index];
        const typed = await this.askPrompt(p);
        if (typed === '') list.splice(choice.index, 1);
        else if (typed !== undefined) list[choice.index] = { ...p, prompt: typed };
      } else if (choice.kind === 'add') {
        const added = await this.pickHeading(headings.filter((h) => !list.some((p) => p.line === h.line)));
        const typed = added && (await this.askPrompt(added));
        if (added && typed) {
          list.push({ ...added, prompt: typed });
          list.sort((a, b) => a.line - b.line);
        }
      } else {
        const typed = await this.deps.ui.input({
          title: vscode.l10n.t('Style for every image'),
          prompt: vscode.l10n.t('Appended to every prompt, so the images of the document look alike.'),
          placeHolder: vscode.l10n.t('e.g. watercolor illustration, soft pastel colours'),
          value: style,
        });
        if (typed !== undefined) style = typed.trim();
      }
    }
  }

  /** The prompt of one image; '' drops it, undefined keeps it as it was. */
  private async askPrompt(p: Proposal): Promise<string | undefined> {
    const typed = await this.deps.ui.input({
      title: vscode.l10n.t('Prompt for “{0}”', p.heading),
      prompt: vscode.l10n.t('Clear the text to drop this image.'),
      value: p.prompt,
    });
    return typed === undefined ? undefined : typed.trim();
  }

  private async pickHeading(candidates: readonly Proposal[]): Promise<Proposal | undefined> {
    const chosen = await this.deps.ui.pick(
      candidates.map((h) => ({
        label: `${'#'.repeat(h.level)} ${h.heading}`,
        description:
          h.kind === 'cover'
            ? vscode.l10n.t('cover, under the title')
            : vscode.l10n.t('line {0}', h.line + 1),
        value: h,
      })),
      { title: vscode.l10n.t('Add an image under…') },
    );
    return chosen && 'value' in chosen ? chosen.value : undefined;
  }
}

export function illustrateCommand(command: IllustrateCommand): Command {
  return { id: 'imageGen.illustrateDocument', execute: (arg?: unknown) => command.run(arg) };
}
