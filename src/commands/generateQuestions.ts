import * as vscode from 'vscode';
import { aspectRatioLabel } from '../core/aspectRatio';
import { describeSizeRule, nearestSize, sizeFits } from '../core/capabilities';
import { findModel, normalizeSize } from '../core/catalog';
import type { ModelInfo } from '../core/types';
import type { CatalogService } from '../services/catalogService';
import type { ImageGenConfig } from '../services/configuration';
import type { PickItem, QuestionStep, UserInterface } from '../services/ui';

export const LAST_PROMPT_KEY = 'imageGen.lastPrompt';

/** What the questions settle: given as arguments, or asked. */
export interface Answers {
  prompt: string;
  model: ModelInfo;
  size: string;
}

type Stage = 'prompt' | 'model' | 'size';

/**
 * The questions of Generate Image (PRODUCT.md §5.1, §15): prompt → model → size, only those the
 * arguments leave open, each showing its step (2/3) and, after the first, a Back button.
 */
export class GenerateQuestions {
  constructor(private readonly deps: { catalog: CatalogService; ui: UserInterface; state: vscode.Memento }) {}

  async ask(
    given: { prompt?: string; model?: string; size?: string },
    selectedText: string,
    fromSelection: boolean,
    config: ImageGenConfig,
  ): Promise<Answers | { panel: string } | undefined> {
    let prompt: string | undefined;
    if (given.prompt !== undefined) prompt = given.prompt.trim();
    else if (fromSelection && selectedText.trim()) prompt = selectedText.trim();
    const asked: Stage[] = [
      ...(prompt === undefined ? (['prompt'] as const) : []),
      ...(given.model ? [] : (['model'] as const)),
      ...(given.size ? [] : (['size'] as const)),
    ];
    const step = (stage: Stage): QuestionStep | undefined =>
      asked.length > 1 ? { index: asked.indexOf(stage) + 1, total: asked.length } : undefined;
    const previous = (stage: Stage): Stage | undefined => asked[asked.indexOf(stage) - 1];

    let model: ModelInfo | undefined = given.model
      ? findModel(await this.deps.catalog.models({ fetchRemote: false }), given.model)
      : undefined;
    let size = given.size;
    let stage: Stage | 'done' = asked[0] ?? 'done';
    while (stage !== 'done') {
      if (stage === 'prompt') {
        const typed = await this.askPrompt(selectedText, step('prompt'));
        if (typed === undefined) return undefined;
        prompt = typed;
        stage = given.model ? (given.size ? 'done' : 'size') : 'model';
      } else if (stage === 'model') {
        const picked = await this.pickModel(config, step('model'), previous('model') !== undefined);
        if (picked === 'back') stage = previous('model') ?? 'model';
        else if (picked === 'panel') return { panel: prompt ?? '' };
        else if (!picked) return undefined;
        else {
          model = picked;
          stage = given.size ? 'done' : 'size';
        }
      } else {
        if (!model) return undefined;
        const picked = await this.pickSize(model, config, step('size'), previous('size') !== undefined);
        if (picked === 'back') stage = previous('size') ?? 'size';
        else if (!picked) return undefined;
        else {
          size = picked;
          stage = 'done';
        }
      }
    }
    if (!prompt) {
      // Enter on an empty box, or an empty prompt argument: say why nothing happens.
      void this.deps.ui.info(vscode.l10n.t('Nothing was generated: the prompt is empty.'));
      return undefined;
    }
    if (!model || !size) return undefined;
    void this.deps.state.update(LAST_PROMPT_KEY, prompt);
    return { prompt, model, size };
  }

  /** Model, then size, for a batch (Illustrate Document): steps 1/2 and 2/2 with Back, no panel. */
  async modelAndSize(
    given: { model?: string; size?: string },
    config: ImageGenConfig,
  ): Promise<{ model: ModelInfo; size: string } | undefined> {
    let model = given.model
      ? findModel(await this.deps.catalog.models({ fetchRemote: false }), given.model)
      : undefined;
    const both = !model && !given.size;
    for (;;) {
      if (!model) {
        const picked = await this.pickModel(config, both ? { index: 1, total: 2 } : undefined, false, false);
        if (!picked || picked === 'panel' || picked === 'back') return undefined;
        model = picked;
      }
      if (given.size) return { model, size: given.size };
      const size = await this.pickSize(model, config, both ? { index: 2, total: 2 } : undefined, both);
      if (size === 'back') {
        model = undefined;
        continue;
      }
      return size ? { model, size } : undefined;
    }
  }

  /** A size the model cannot make: offer the nearest one it can, before anything is sent. */
  async fitSize(model: ModelInfo, size: string): Promise<string | undefined> {
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

  private async askPrompt(selectedText: string, step: QuestionStep | undefined): Promise<string | undefined> {
    const value = selectedText.trim() || this.deps.state.get<string>(LAST_PROMPT_KEY, '');
    const typed = await this.deps.ui.input({
      title: vscode.l10n.t('Generate Image'),
      step,
      prompt: vscode.l10n.t('Describe the image to generate'),
      placeHolder: vscode.l10n.t('e.g. a cute kitten playing in a garden, oil painting, high quality'),
      value,
      validate: (text) =>
        text.trim() ? undefined : vscode.l10n.t('Describe the image first: the prompt is empty.'),
    });
    return typed?.trim();
  }

  private async pickModel(
    config: ImageGenConfig,
    step: QuestionStep | undefined,
    canGoBack: boolean,
    offerPanel = true,
  ): Promise<ModelInfo | 'panel' | 'back' | undefined> {
    const catalog = await this.deps.catalog.models({ fetchRemote: true });
    const def = findModel(catalog, config.defaultModel);
    const ordered = [def, ...catalog.filter((m) => m.id !== def.id)];
    const items: PickItem<ModelInfo | 'panel'>[] = ordered.map((m) => ({
      label: m.id,
      description: m.label !== m.id ? m.label : undefined,
      detail: m.id === def.id ? vscode.l10n.t('Default model') : undefined,
      value: m,
    }));
    if (offerPanel)
      items.push({ label: `$(window) ${vscode.l10n.t('Open in panel…')}`, value: 'panel', alwaysShow: true });
    const chosen = await this.deps.ui.pick(items, {
      title: vscode.l10n.t('Model'),
      step,
      canGoBack,
      placeHolder: vscode.l10n.t('Pick a model or type any model id'),
      allowCustom: (text) => text.trim() || undefined,
    });
    if (!chosen) return undefined;
    if ('back' in chosen) return 'back';
    return 'custom' in chosen ? findModel(catalog, chosen.custom) : chosen.value;
  }

  private async pickSize(
    model: ModelInfo,
    config: ImageGenConfig,
    step: QuestionStep | undefined,
    canGoBack: boolean,
  ): Promise<string | 'back' | undefined> {
    const sizes = model.sizes.includes(config.defaultSize)
      ? [config.defaultSize, ...model.sizes.filter((s) => s !== config.defaultSize)]
      : model.sizes;
    const chosen = await this.deps.ui.pick(
      sizes.map((s) => {
        const ratio = aspectRatioLabel(s);
        const parts = [ratio, s === config.defaultSize ? vscode.l10n.t('Default') : undefined];
        return { label: s, description: parts.filter(Boolean).join(' · ') || undefined, value: s };
      }),
      {
        title: vscode.l10n.t('Size for {0}', model.id),
        step,
        canGoBack,
        placeHolder: vscode.l10n.t('Pick a size or type WIDTHxHEIGHT'),
        allowCustom: (text) => normalizeSize(text),
      },
    );
    if (!chosen) return undefined;
    if ('back' in chosen) return 'back';
    return 'custom' in chosen ? chosen.custom : chosen.value;
  }
}
