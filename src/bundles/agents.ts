// Lazy bundle dist/lazy/agents.js: what the language-model tools do once invoked. The tools
// themselves are registered at activation (src/extension.ts) and load this on first use.
import * as vscode from 'vscode';
import { AgentImages } from '../app/agentImages';
import { imageTools } from '../agents/lmTools';
import type { Engine } from './engine';
import type { ActivationServices } from './services';

export function createAgentTools(s: ActivationServices, e: Engine) {
  const { config, keys, gate, history } = s;
  const { generator, saver, presenter, runner } = e;
  const workspaceFolder = () => vscode.workspace.workspaceFolders?.[0]?.uri;
  const agent = new AgentImages({ config, keys, gate, generator, saver, history, workspaceFolder });
  return imageTools({ agent, config, presenter, runner });
}
