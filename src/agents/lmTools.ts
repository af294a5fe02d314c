// The language-model tools imageGen_generate and imageGen_edit (PRODUCT.md §12): a confirmation
// that shows what will be sent, then one call into src/app, and a result the agent can act on.
import * as vscode from 'vscode';
import type { AgentFailure, AgentImages, AgentOutcome } from '../app/agentImages';
import type { GenerationRunner } from '../app/generationRunner';
import {
  EDIT_TOOL,
  GENERATE_TOOL,
  parseEditInput,
  parseGenerateInput,
  type InputProblem,
} from '../core/agentInput';
import type { Result } from '../core/types';
import type { ConfigurationReader } from '../services/configuration';
import type { ErrorPresenter } from '../services/errorPresenter';

type DataPartFactory = { image(data: Uint8Array, mime: string): unknown };

/** LanguageModelDataPart is API from VS Code 1.106; on 1.101–1.105 results are text only. */
function dataPart(bytes: Uint8Array, mime: string): unknown {
  const factory = (vscode as unknown as { LanguageModelDataPart?: DataPartFactory }).LanguageModelDataPart;
  return factory ? factory.image(bytes, mime) : undefined;
}

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

function inputMessage(p: InputProblem): string {
  switch (p.problem) {
    case 'notObject':
      return vscode.l10n.t('The tool input must be a JSON object.');
    case 'missing':
      return vscode.l10n.t('"{0}" is required.', p.field);
    case 'notString':
      return vscode.l10n.t('"{0}" has the wrong type.', p.field);
    case 'badCount':
      return vscode.l10n.t('"n" must be an integer from 1 to {0}.', p.max);
    case 'badSize':
      return vscode.l10n.t('"{0}" is not a size: use WIDTHxHEIGHT, e.g. 1024x1024.', p.size);
    case 'tooManyReferences':
      return vscode.l10n.t('At most {0} reference images.', p.max);
  }
}

type Reasons = Pick<ErrorPresenter, 'reason'>;

function failureMessage(f: AgentFailure, context: { model: string; size: string }, reasons: Reasons): string {
  switch (f.kind) {
    case 'noWorkspace':
      return vscode.l10n.t('No folder is open, so the image has nowhere to go. Open a folder first.');
    case 'path':
      switch (f.refusal) {
        case 'outside':
          return vscode.l10n.t(
            'The path "{0}" was refused: it lies outside the workspace folder. Use a workspace-relative path.',
            f.path,
          );
        case 'escapes':
          return vscode.l10n.t(
            'The path "{0}" was refused: its ".." climbs out of the workspace folder.',
            f.path,
          );
        case 'notImageName':
          return vscode.l10n.t(
            'The path "{0}" was refused: an image file name ends in .png, .jpg, .jpeg, .webp or .gif.',
            f.path,
          );
        case 'badName':
          return vscode.l10n.t(
            'The path "{0}" was refused: it has characters a file name cannot have.',
            f.path,
          );
      }
      break;
    case 'source':
      return f.problem === 'outside'
        ? vscode.l10n.t(
            'The image "{0}" was refused: only images inside the workspace folder can be sent.',
            f.path,
          )
        : f.problem === 'unreadable'
          ? vscode.l10n.t('The image "{0}" could not be read.', f.path)
          : vscode.l10n.t('"{0}" is not a PNG, JPEG, WebP or GIF image.', f.path);
    case 'badBaseUrl':
      return vscode.l10n.t(
        'The base URL setting ({0}) is not a usable http(s) URL. Ask the user to fix imageGen.baseUrl.',
        f.host,
      );
    case 'insecure':
      return vscode.l10n.t(
        '{0} uses plain http:// and the user has not agreed to send the key there. Ask the user to generate one image with the Image Gen: Generate Image command and confirm.',
        f.host,
      );
    case 'noKey':
      return vscode.l10n.t(
        'No API key is set for {0}, and a tool cannot ask for one. Ask the user to run the Image Gen: Set API Key command, then try again.',
        f.host,
      );
    case 'saveFailed':
      return vscode.l10n.t(
        'The image was made but could not be written into "{0}". It is kept in the gallery.',
        f.path,
      );
    case 'api':
      if (f.error.cause === 'editsUnsupported') {
        return vscode.l10n.t(
          'This provider or model does not support edits: {0}',
          f.error.providerMessage ?? vscode.l10n.t('HTTP {0}', f.error.status ?? 400),
        );
      }
      return reasons.reason(f.error, context) ?? f.error.kind;
  }
}

function outcomeResult(
  result: Result<AgentOutcome, AgentFailure>,
  context: { model: string; size: string },
  token: vscode.CancellationToken,
  reasons: Reasons,
): vscode.LanguageModelToolResult {
  if (!result.ok) {
    if (
      token.isCancellationRequested ||
      (result.error.kind === 'api' && result.error.error.kind === 'cancelled')
    )
      throw new vscode.CancellationError();
    return textResult(failureMessage(result.error, context, reasons));
  }
  const { saved, problems } = result.value;
  const lines = [vscode.l10n.t('Saved {0} image(s) in the workspace:', saved.length)];
  for (const image of saved) {
    lines.push(`- ${image.path}`, `  ${image.markdown}`);
    if (image.requestedPath)
      lines.push(
        `  ${vscode.l10n.t('({0} was asked for; that name was taken or did not fit the image type, so it was saved as {1})', image.requestedPath, image.path)}`,
      );
  }
  lines.push(vscode.l10n.t('Put the Markdown link where the image belongs in the document.'));
  for (const p of problems) {
    const message = reasons.reason(p, context);
    if (message) lines.push(message);
  }
  const parts: unknown[] = [new vscode.LanguageModelTextPart(lines.join('\n'))];
  for (const image of saved) if (image.bytes && image.mime) parts.push(dataPart(image.bytes, image.mime));
  return new vscode.LanguageModelToolResult(
    parts.filter((p) => p !== undefined) as vscode.LanguageModelTextPart[],
  );
}

function confirmation(
  title: string,
  rows: ReadonlyArray<[string, string]>,
): vscode.PreparedToolInvocation['confirmationMessages'] {
  const message = new vscode.MarkdownString();
  for (const [label, value] of rows) {
    message.appendMarkdown(`**${label}:** `);
    message.appendText(value);
    message.appendMarkdown('  \n');
  }
  return { title, message };
}

export interface ImageToolsDeps {
  agent: AgentImages;
  config: ConfigurationReader;
  /** Says what went wrong the way the notifications do. */
  presenter: Reasons;
  /** Registers the agents' requests with every other (Cancel all, deactivation, the status item). */
  runner: Pick<GenerationRunner, 'track'>;
}

/** The two tools, unregistered (tests call prepareInvocation on them directly). */
export function imageTools(deps: ImageToolsDeps): {
  generate: vscode.LanguageModelTool<unknown>;
  edit: vscode.LanguageModelTool<unknown>;
} {
  const defaults = () => deps.config.get();
  // The caller's cancellation token as the AbortSignal the use case takes.
  const run = async <T>(
    token: vscode.CancellationToken,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const cancelled = new AbortController();
    if (token.isCancellationRequested) cancelled.abort();
    const listener = token.onCancellationRequested(() => cancelled.abort());
    try {
      return await deps.runner.track(work, cancelled.signal);
    } finally {
      listener.dispose();
    }
  };

  const generate: vscode.LanguageModelTool<unknown> = {
    prepareInvocation(options) {
      const input = parseGenerateInput(options.input);
      if (!input.ok) return undefined;
      const { prompt, model, size, n, path } = input.value;
      const model_ = model ?? defaults().defaultModel;
      const size_ = size ?? defaults().defaultSize;
      return {
        invocationMessage: vscode.l10n.t('Generating {0} image(s) with {1}…', n, model_),
        confirmationMessages: confirmation(vscode.l10n.t('Generate an image?'), [
          [vscode.l10n.t('Prompt'), prompt],
          [vscode.l10n.t('Model'), model_],
          [vscode.l10n.t('Size'), size_],
          [vscode.l10n.t('Images'), String(n)],
          [vscode.l10n.t('Save to'), path ?? 'images/'],
        ]),
      };
    },
    async invoke(options, token) {
      const input = parseGenerateInput(options.input);
      if (!input.ok) return textResult(inputMessage(input.error));
      const context = {
        model: input.value.model ?? defaults().defaultModel,
        size: input.value.size ?? defaults().defaultSize,
      };
      const result = await run(token, (signal) => deps.agent.generate(input.value, signal));
      return outcomeResult(result, context, token, deps.presenter);
    },
  };

  const edit: vscode.LanguageModelTool<unknown> = {
    prepareInvocation(options) {
      const input = parseEditInput(options.input);
      if (!input.ok) return undefined;
      const { image, prompt, mask, references, model, size, path } = input.value;
      const rows: Array<[string, string]> = [
        [vscode.l10n.t('Image'), image],
        [vscode.l10n.t('Prompt'), prompt],
        [vscode.l10n.t('Model'), model ?? defaults().defaultModel],
        [vscode.l10n.t('Size'), size ?? vscode.l10n.t('as the image')],
        [vscode.l10n.t('Images'), '1'],
      ];
      if (mask) rows.push([vscode.l10n.t('Mask'), mask]);
      if (references.length) rows.push([vscode.l10n.t('References'), references.join(', ')]);
      if (path) rows.push([vscode.l10n.t('Save to'), path]);
      return {
        invocationMessage: vscode.l10n.t('Editing {0}…', image),
        confirmationMessages: confirmation(vscode.l10n.t('Edit an image?'), rows),
      };
    },
    async invoke(options, token) {
      const input = parseEditInput(options.input);
      if (!input.ok) return textResult(inputMessage(input.error));
      const context = { model: input.value.model ?? defaults().defaultModel, size: input.value.size ?? '?' };
      const result = await run(token, (signal) => deps.agent.edit(input.value, signal));
      return outcomeResult(result, context, token, deps.presenter);
    },
  };

  return { generate, edit };
}

export type ImageTools = ReturnType<typeof imageTools>;

/**
 * Registered at activation (VS Code lists the tools from then on); what they do, and the bundle
 * that does it, is loaded by `load` on the first call.
 */
export function registerImageTools(load: () => ImageTools): vscode.Disposable[] {
  const lazyTool = (pick: (tools: ImageTools) => vscode.LanguageModelTool<unknown>) => ({
    prepareInvocation: (
      options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>,
      token: vscode.CancellationToken,
    ) => pick(load()).prepareInvocation?.(options, token),
    invoke: (options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken) =>
      pick(load()).invoke(options, token),
  });
  return [
    vscode.lm.registerTool(
      GENERATE_TOOL,
      lazyTool((t) => t.generate),
    ),
    vscode.lm.registerTool(
      EDIT_TOOL,
      lazyTool((t) => t.edit),
    ),
  ];
}
