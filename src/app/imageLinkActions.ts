// *Regenerate* and *Show prompt* for an image file (the CodeLens on image links): what made the
// image comes from the gallery, or from the file itself for images the gallery does not know.
import * as vscode from 'vscode';
import type { Provenance } from '../core/provenance';
import type { ConfigurationReader } from '../services/configuration';
import type { ImagePlacer } from '../services/imagePlacer';
import type { AnchorTracker } from '../services/anchorTracker';
import type { ProvenanceFiles } from '../services/provenanceFiles';
import type { UserInterface } from '../services/ui';
import { linkAt, linkUnderCursor, uriOf, type LinkInDocument, type LinkPosition } from './editSource';
import type { GenerationRunner } from './generationRunner';

export interface LinkActionDeps {
  runner: GenerationRunner;
  config: ConfigurationReader;
  placer: ImagePlacer;
  tracker: AnchorTracker;
  provenance: ProvenanceFiles;
  ui: UserInterface;
}

interface ImageArg {
  image?: string;
  at?: LinkPosition;
}

export interface ShownPrompt {
  image: string;
  provenance?: Provenance;
}

function readArg(arg: unknown): ImageArg {
  if (arg instanceof vscode.Uri) return { image: arg.toString() };
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  const at = o.at as Record<string, unknown> | undefined;
  return {
    image: typeof o.image === 'string' ? o.image : undefined,
    at:
      at && typeof at.document === 'string' && typeof at.offset === 'number'
        ? { document: at.document, offset: at.offset }
        : undefined,
  };
}

export class ImageLinkActions {
  constructor(private readonly deps: LinkActionDeps) {}

  /** The image (and its link) from the argument, else the link under the cursor. */
  private async target(arg: unknown): Promise<{ uri: vscode.Uri; link?: LinkInDocument } | undefined> {
    const { image, at } = readArg(arg);
    const uri = image ? uriOf(image) : undefined;
    if (uri) return { uri, link: at ? await linkAt(at, uri) : undefined };
    const under = linkUnderCursor(vscode.window.activeTextEditor);
    if (under) return under;
    void this.deps.ui.info(vscode.l10n.t('Put the cursor on an image link first.'));
    return undefined;
  }

  async showPrompt(arg: unknown): Promise<ShownPrompt | undefined> {
    const target = await this.target(arg);
    if (!target) return undefined;
    const name = target.uri.path.split('/').pop() ?? '';
    const { provenance } = await this.deps.provenance.read(target.uri);
    if (!provenance) {
      void this.deps.ui.info(vscode.l10n.t('No prompt is recorded for {0}.', name));
      return { image: target.uri.toString() };
    }
    const revised =
      provenance.revisedPrompt && provenance.revisedPrompt !== provenance.prompt
        ? ` ${vscode.l10n.t('Revised by the provider: "{0}"', provenance.revisedPrompt)}`
        : '';
    const parent = provenance.parent ? ` ${vscode.l10n.t('Edited from {0}.', provenance.parent)}` : '';
    const message =
      vscode.l10n.t(
        '{0} was made from "{1}" with {2} at {3}.',
        name,
        provenance.prompt,
        provenance.model,
        provenance.size,
      ) +
      revised +
      parent;
    void this.deps.ui
      .info(
        message,
        { id: 'copy', title: vscode.l10n.t('Copy Prompt') },
        { id: 'regenerate', title: vscode.l10n.t('Regenerate') },
      )
      .then(async (choice) => {
        if (choice === 'copy') await this.deps.ui.copy(provenance.prompt);
        else if (choice === 'regenerate') await this.regenerate(arg);
      });
    return { image: target.uri.toString(), provenance };
  }

  /** A new image from the same prompt, model and size, linked after the old one. */
  async regenerate(arg: unknown) {
    const target = await this.target(arg);
    if (!target) return undefined;
    const { provenance } = await this.deps.provenance.read(target.uri);
    const config = this.deps.config.get();
    const prompt =
      provenance?.prompt ||
      (
        await this.deps.ui.input({
          title: vscode.l10n.t('Regenerate'),
          prompt: vscode.l10n.t('No prompt is recorded for this image. Describe the image to generate'),
        })
      )?.trim();
    if (!prompt) return undefined;
    const request = {
      prompt,
      model: provenance?.model || config.defaultModel,
      size: provenance?.size && provenance.size !== 'auto' ? provenance.size : config.defaultSize,
      n: 1,
    };
    const link = target.link;
    // Followed from now on, with a mark where the new image will land while it is generated.
    const anchor = link ? this.deps.tracker.track(link.document, link.range) : undefined;
    const mark =
      link && anchor
        ? this.deps.placer.showPlaceholder(
            { anchor, selectedText: link.text, document: link.document },
            prompt,
          )
        : undefined;
    try {
      const outcome = await this.deps.runner.generate(request, {
        title: vscode.l10n.t('Generating {0} image(s) with {1}', 1, request.model),
      });
      if (!outcome) return undefined;
      const items = outcome.items;
      const result = {
        ...request,
        images: items.map(
          (i) => ({ url: i.remoteUrl, historyId: i.id }) as Record<string, string | undefined>,
        ),
      };
      if (!link || !anchor) return result;
      const mode = config.insertAs === 'url' ? 'url' : 'file';
      const alt = await this.deps.placer.altText(prompt);
      const placed = await this.deps.placer.place(items, mode, alt, {
        anchor,
        selectedText: link.text,
        document: link.document,
      });
      placed.forEach((p, i) => Object.assign(result.images[i], p));
      return result;
    } finally {
      mark?.dispose();
      anchor?.dispose();
    }
  }
}
