import * as vscode from 'vscode';
import { chatDraftMessage, parseChatDraft, type DraftInput } from '../core/chatDraft';
import type { Logger } from './logger';

/** Longest wait for a chat model's drafts before falling back to the local ones. */
const DRAFT_TIMEOUT_MS = 60_000;

/** A VS Code chat model (Copilot or any other `vscode.lm` provider) that can draft prompts. */
export class ChatDrafter {
  constructor(private readonly log: Logger) {}

  /** The first chat model VS Code offers, if any; never throws (old hosts have no `vscode.lm`). */
  async model(): Promise<vscode.LanguageModelChat | undefined> {
    try {
      if (typeof vscode.lm?.selectChatModels !== 'function') return undefined;
      const models = await vscode.lm.selectChatModels();
      return models[0];
    } catch (e) {
      this.log.warn(`No chat model: ${String(e)}`);
      return undefined;
    }
  }

  /** Prompts for the sections, in order; undefined when the model fails, refuses or answers unusably. */
  async draft(
    model: vscode.LanguageModelChat,
    title: string,
    sections: readonly DraftInput[],
    token: vscode.CancellationToken,
  ): Promise<string[] | undefined> {
    const source = new vscode.CancellationTokenSource();
    const forward = token.onCancellationRequested(() => source.cancel());
    const timer = setTimeout(() => source.cancel(), DRAFT_TIMEOUT_MS);
    try {
      const response = await model.sendRequest(
        [vscode.LanguageModelChatMessage.User(chatDraftMessage(title, sections))],
        { justification: vscode.l10n.t('Image Gen drafts one image prompt per section of your document.') },
        source.token,
      );
      let text = '';
      for await (const part of response.text) text += part;
      const prompts = parseChatDraft(text, sections.length);
      if (!prompts) this.log.warn(`The chat model's drafts were not usable: ${text.slice(0, 500)}`);
      return prompts;
    } catch (e) {
      this.log.warn(`The chat model could not draft prompts: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    } finally {
      clearTimeout(timer);
      forward.dispose();
      source.dispose();
    }
  }
}
