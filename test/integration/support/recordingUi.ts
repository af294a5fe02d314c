import type * as vscode from 'vscode';
import type {
  InputOptions,
  MessageAction,
  PickItem,
  PickOptions,
  PickResult,
  UserInterface,
} from '../../../src/services/ui';

export type Shown =
  | { kind: 'info' | 'warn' | 'error'; message: string; actions: string[] }
  | { kind: 'confirm'; message: string }
  | { kind: 'input'; title?: string; value?: string; password?: boolean; step?: string; refused?: string }
  | {
      kind: 'pick';
      title?: string;
      labels: string[];
      descriptions: (string | undefined)[];
      step?: string;
      back?: boolean;
    }
  | { kind: 'saveDialog'; defaultUri?: string }
  | { kind: 'copy'; text: string }
  | { kind: 'openExternal'; uri: string };

/** An answer from the script: a value to give back, or a function of what was asked. */
export type Answer =
  | { kind: 'message'; action?: string }
  | { kind: 'confirm'; yes: boolean }
  | { kind: 'input'; value: string | undefined }
  | { kind: 'pick'; label?: string; custom?: string; back?: boolean }
  | { kind: 'saveDialog'; uri: vscode.Uri | undefined };

/**
 * The test double of the UI service: records everything the user would have been shown and
 * answers questions from a script (in order). An unscripted question is answered "dismissed",
 * and recorded, so a test can assert that nothing was asked.
 */
export class RecordingUi implements UserInterface {
  readonly shown: Shown[] = [];
  private readonly script: Answer[] = [];

  answer(...answers: Answer[]): this {
    this.script.push(...answers);
    return this;
  }

  reset(): void {
    this.shown.length = 0;
    this.script.length = 0;
  }

  get messages(): Extract<Shown, { kind: 'info' | 'warn' | 'error' }>[] {
    return this.shown.filter(
      (s): s is Extract<Shown, { kind: 'info' | 'warn' | 'error' }> =>
        s.kind === 'info' || s.kind === 'warn' || s.kind === 'error',
    );
  }

  get errors(): string[] {
    return this.messages.filter((m) => m.kind === 'error').map((m) => m.message);
  }

  get questions(): Shown[] {
    return this.shown.filter(
      (s) => s.kind === 'input' || s.kind === 'pick' || s.kind === 'confirm' || s.kind === 'saveDialog',
    );
  }

  /** Resolves once a message matching `pattern` was shown, or rejects after `timeoutMs`. */
  async waitForMessage(
    pattern: RegExp,
    timeoutMs = 10_000,
  ): Promise<Extract<Shown, { kind: 'info' | 'warn' | 'error' }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => pattern.test(m.message));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`No message matching ${pattern}; shown: ${JSON.stringify(this.shown)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private take<K extends Answer['kind']>(kind: K): Extract<Answer, { kind: K }> | undefined {
    const i = this.script.findIndex((a) => a.kind === kind);
    if (i < 0) return undefined;
    return this.script.splice(i, 1)[0] as Extract<Answer, { kind: K }>;
  }

  private async message(kind: 'info' | 'warn' | 'error', message: string, actions: MessageAction[]) {
    this.shown.push({ kind, message, actions: actions.map((a) => a.title) });
    const scripted = this.take('message');
    return scripted?.action
      ? actions.find((a) => a.id === scripted.action || a.title === scripted.action)?.id
      : undefined;
  }

  info(message: string, ...actions: MessageAction[]) {
    return this.message('info', message, actions);
  }
  warn(message: string, ...actions: MessageAction[]) {
    return this.message('warn', message, actions);
  }
  error(message: string, ...actions: MessageAction[]) {
    return this.message('error', message, actions);
  }

  async confirm(message: string): Promise<boolean> {
    this.shown.push({ kind: 'confirm', message });
    return this.take('confirm')?.yes ?? false;
  }

  async input(options: InputOptions): Promise<string | undefined> {
    this.shown.push({
      kind: 'input',
      title: options.title,
      value: options.value,
      password: options.password,
      step: options.step && `${options.step.index}/${options.step.total}`,
    });
    const value = this.take('input')?.value;
    const refused = value !== undefined ? options.validate?.(value) : undefined;
    if (refused) {
      // The real input box shows the validation message and cannot be accepted: the user gives up.
      (this.shown[this.shown.length - 1] as { refused?: string }).refused = refused;
      return undefined;
    }
    return value;
  }

  async pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<PickResult<T>> {
    this.shown.push({
      kind: 'pick',
      title: options.title,
      labels: items.map((i) => i.label),
      descriptions: items.map((i) => i.description),
      step: options.step && `${options.step.index}/${options.step.total}`,
      back: options.canGoBack,
    });
    const a = this.take('pick');
    if (!a) return undefined;
    if (a.back) return options.canGoBack ? { back: true } : undefined;
    if (a.custom !== undefined) {
      const custom = options.allowCustom?.(a.custom);
      return custom === undefined ? undefined : { custom };
    }
    const item = a.label === undefined ? items[0] : items.find((i) => i.label === a.label);
    return item ? { value: item.value } : undefined;
  }

  async saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.shown.push({ kind: 'saveDialog', defaultUri: options.defaultUri?.toString() });
    return this.take('saveDialog')?.uri;
  }

  async copy(text: string): Promise<void> {
    this.shown.push({ kind: 'copy', text });
  }

  async openExternal(uri: vscode.Uri): Promise<void> {
    this.shown.push({ kind: 'openExternal', uri: uri.toString() });
  }
}
