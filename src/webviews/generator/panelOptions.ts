// One panel generation's model options and partial images (PRODUCT.md §13): the page's choices
// fitted again to the model (the page is not trusted to have done it) and turned into request
// parameters; partial images written beside the image cache and posted to the page as they come.
import * as vscode from 'vscode';
import type { PartialImage } from '../../core/imageStream';
import type { WebviewDeps } from '../deps';
import { fitOptions, optionParameters, optionsView } from '../shared/modelOptions';
import { PartialPreviews } from './partialPreviews';
import type { GenerateMessage, PartialMessage } from './protocol';

export interface OptionRun {
  extra?: Record<string, unknown>;
  onPartial: (partial: PartialImage) => void;
  /** Deletes the partial images written for this run. */
  done(): Promise<void>;
}

export async function optionRun(
  deps: WebviewDeps,
  webview: vscode.Webview,
  message: GenerateMessage,
  post: (message: PartialMessage) => void,
): Promise<OptionRun> {
  let extra: Record<string, unknown> | undefined;
  if (message.options) {
    const catalog = await deps.catalog().catch(() => undefined);
    const model = catalog?.models.find((m) => m.id === message.model);
    const params = optionParameters(fitOptions(message.options, optionsView(model?.capabilities)).options);
    if (Object.keys(params).length > 0) extra = params;
  }
  const root = deps.cacheDirs[0];
  const previews = root && new PartialPreviews(vscode.Uri.joinPath(root, '.partials'), webview, deps.log);
  const { requestId } = message;
  return {
    extra,
    onPartial: (partial) =>
      previews?.add(requestId, partial, (src) =>
        post({ type: 'partial', requestId, index: partial.index, src }),
      ),
    done: async () => previews?.clear(),
  };
}
