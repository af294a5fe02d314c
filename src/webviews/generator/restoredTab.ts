import * as vscode from 'vscode';

const FOCUS_GROUP_COMMANDS = [
  'workbench.action.focusFirstEditorGroup',
  'workbench.action.focusSecondEditorGroup',
  'workbench.action.focusThirdEditorGroup',
  'workbench.action.focusFourthEditorGroup',
  'workbench.action.focusFifthEditorGroup',
  'workbench.action.focusSixthEditorGroup',
  'workbench.action.focusSeventhEditorGroup',
  'workbench.action.focusEighthEditorGroup',
];

/**
 * Brings a webview tab that VS Code restored after a reload (but has not revived yet) to the
 * front, which makes VS Code revive it through its serializer. False when there is no such tab or
 * it sits in a group beyond the eighth, which no command can focus.
 */
export async function showRestoredTab(viewType: string): Promise<boolean> {
  for (const group of vscode.window.tabGroups.all) {
    const index = group.tabs.findIndex(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType),
    );
    if (index < 0) continue;
    const focusGroup = FOCUS_GROUP_COMMANDS[group.viewColumn - 1];
    if (!focusGroup) return false;
    await vscode.commands.executeCommand(focusGroup);
    await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', index);
    return true;
  }
  return false;
}
