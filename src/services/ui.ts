import * as vscode from 'vscode';

export interface MessageAction {
  /** Stable id a script can answer with; the title is localized. */
  id: string;
  title: string;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** Where a question stands in a sequence of them ("2/3" in its title bar). */
export interface QuestionStep {
  index: number;
  total: number;
}

export interface InputOptions {
  title?: string;
  step?: QuestionStep;
  prompt?: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
}

export interface PickOptions {
  title?: string;
  step?: QuestionStep;
  /** Show a Back button; pressing it resolves to `{ back: true }`. */
  canGoBack?: boolean;
  placeHolder?: string;
  /** Allow typing a value that is not in the list; it is returned through `custom`. */
  allowCustom?: (text: string) => string | undefined;
}

export type PickResult<T> = { value: T } | { custom: string } | { back: true } | undefined;

/**
 * Everything the user is shown or asked goes through here, so tests can record it and
 * answer from a script (the VS Code API cannot read notifications back).
 */
export interface UserInterface {
  info(message: string, ...actions: MessageAction[]): Promise<string | undefined>;
  warn(message: string, ...actions: MessageAction[]): Promise<string | undefined>;
  error(message: string, ...actions: MessageAction[]): Promise<string | undefined>;
  /** A modal confirmation; resolves true only when the user chose `confirmTitle`. */
  confirm(message: string, confirmTitle: string, detail?: string): Promise<boolean>;
  input(options: InputOptions): Promise<string | undefined>;
  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<PickResult<T>>;
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  copy(text: string): Promise<void>;
  openExternal(uri: vscode.Uri): Promise<void>;
}

/** The real thing: notifications, quick picks, input boxes and dialogs of the VS Code window. */
export class VsCodeUi implements UserInterface {
  info(message: string, ...actions: MessageAction[]) {
    return this.show(vscode.window.showInformationMessage, message, actions);
  }
  warn(message: string, ...actions: MessageAction[]) {
    return this.show(vscode.window.showWarningMessage, message, actions);
  }
  error(message: string, ...actions: MessageAction[]) {
    return this.show(vscode.window.showErrorMessage, message, actions);
  }

  private async show(
    fn: (message: string, ...items: vscode.MessageItem[]) => Thenable<vscode.MessageItem | undefined>,
    message: string,
    actions: MessageAction[],
  ): Promise<string | undefined> {
    const items = actions.map((a) => ({ title: a.title, id: a.id }));
    const chosen = (await fn(message, ...items)) as (vscode.MessageItem & { id?: string }) | undefined;
    return chosen?.id;
  }

  async confirm(message: string, confirmTitle: string, detail?: string): Promise<boolean> {
    const chosen = await vscode.window.showWarningMessage(
      message,
      { modal: true, detail },
      { title: confirmTitle },
    );
    return chosen?.title === confirmTitle;
  }

  input(options: InputOptions): Promise<string | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = options.title;
      box.step = options.step?.index;
      box.totalSteps = options.step?.total;
      box.prompt = options.prompt;
      box.value = options.value ?? '';
      box.placeholder = options.placeHolder;
      box.password = !!options.password;
      box.ignoreFocusOut = true;
      let settled = false;
      // Checked on Enter, not while typing, so an empty box does not greet the user with an error.
      box.onDidChangeValue(() => (box.validationMessage = undefined));
      box.onDidAccept(() => {
        const problem = options.validate?.(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        settled = true;
        resolve(box.value);
        box.hide();
      });
      box.onDidHide(() => {
        if (!settled) resolve(undefined);
        box.dispose();
      });
      box.show();
    });
  }

  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<PickResult<T>> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<PickItem<T>>();
      qp.title = options.title;
      qp.step = options.step?.index;
      qp.totalSteps = options.step?.total;
      qp.placeholder = options.placeHolder;
      if (options.canGoBack) qp.buttons = [vscode.QuickInputButtons.Back];
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      const custom = options.allowCustom;
      const customItem = (text: string): PickItem<T> | undefined => {
        const value = custom?.(text);
        return value === undefined
          ? undefined
          : ({
              label: value,
              description: '',
              value: undefined as T,
              alwaysShow: true,
              custom: true,
            } as PickItem<T>);
      };
      const refresh = () => {
        const extra =
          custom && qp.value && !items.some((i) => i.label === qp.value) ? customItem(qp.value) : undefined;
        qp.items = extra ? [...items, extra] : items;
      };
      refresh();
      if (custom) qp.onDidChangeValue(refresh);
      let settled = false;
      qp.onDidTriggerButton((button) => {
        if (button !== vscode.QuickInputButtons.Back) return;
        settled = true;
        resolve({ back: true });
        qp.hide();
      });
      qp.onDidAccept(() => {
        const sel = qp.selectedItems[0] as (PickItem<T> & { custom?: boolean }) | undefined;
        if (!sel) return;
        settled = true;
        resolve(sel.custom ? { custom: sel.label } : { value: sel.value });
        qp.hide();
      });
      qp.onDidHide(() => {
        if (!settled) resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }

  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    return Promise.resolve(vscode.window.showSaveDialog(options));
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async openExternal(uri: vscode.Uri): Promise<void> {
    await vscode.env.openExternal(uri);
  }
}

/** Forwards to a replaceable implementation, so integration tests can swap in a recording double. */
export class DelegatingUi implements UserInterface {
  constructor(public target: UserInterface) {}
  info(message: string, ...actions: MessageAction[]) {
    return this.target.info(message, ...actions);
  }
  warn(message: string, ...actions: MessageAction[]) {
    return this.target.warn(message, ...actions);
  }
  error(message: string, ...actions: MessageAction[]) {
    return this.target.error(message, ...actions);
  }
  confirm(message: string, confirmTitle: string, detail?: string) {
    return this.target.confirm(message, confirmTitle, detail);
  }
  input(options: InputOptions) {
    return this.target.input(options);
  }
  pick<T>(items: readonly PickItem<T>[], options: PickOptions) {
    return this.target.pick(items, options);
  }
  saveDialog(options: vscode.SaveDialogOptions) {
    return this.target.saveDialog(options);
  }
  copy(text: string) {
    return this.target.copy(text);
  }
  openExternal(uri: vscode.Uri) {
    return this.target.openExternal(uri);
  }
}
