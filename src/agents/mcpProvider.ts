// Offers dist/mcp.js to VS Code's own MCP support (where the API exists), so agents that speak MCP
// inside VS Code get the same tools. The key goes into the server's environment only when VS Code
// starts it (resolve step), read from SecretStorage: never into settings, definitions or logs.
import * as vscode from 'vscode';
import { originOf } from '../core/origin';
import type { ApiKeyStore } from '../services/apiKeys';
import type { ConfigurationReader } from '../services/configuration';
import type { InsecureOriginGate } from '../services/insecureOrigins';

export const MCP_PROVIDER_ID = 'imageGen.mcpServer';

export function registerMcpServer(deps: {
  extensionUri: vscode.Uri;
  config: ConfigurationReader;
  keys: ApiKeyStore;
  gate: InsecureOriginGate;
  workspaceFolder: () => vscode.Uri | undefined;
}): vscode.Disposable[] {
  const lm = vscode.lm as Partial<typeof vscode.lm>;
  if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || !vscode.McpStdioServerDefinition)
    return [];
  const changed = new vscode.EventEmitter<void>();
  const settingsChanged = deps.config.onDidChange(() => changed.fire());
  const foldersChanged = vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire());
  const provider: vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions() {
      const folder = deps.workspaceFolder();
      // A server writes into one local folder: without one (or on a remote file system) there is none.
      if (!folder || folder.scheme !== 'file') return [];
      const config = deps.config.get();
      const script = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'mcp.js').fsPath;
      return [
        new vscode.McpStdioServerDefinition(
          'Image Gen',
          process.execPath,
          [script],
          {
            ELECTRON_RUN_AS_NODE: '1',
            IMAGE_GEN_BASE_URL: config.baseUrl,
            IMAGE_GEN_WORKSPACE: folder.fsPath,
            IMAGE_GEN_MODEL: config.defaultModel,
            IMAGE_GEN_SIZE: config.defaultSize,
            IMAGE_GEN_TIMEOUT_SECONDS: String(config.requestTimeoutSeconds),
            IMAGE_GEN_MAX_RETRIES: String(config.maxRetries),
          },
          '0.1.0',
        ),
      ];
    },
    async resolveMcpServerDefinition(server) {
      const { baseUrl } = deps.config.get();
      const origin = originOf(baseUrl);
      if (!origin || !deps.gate.allowed(baseUrl)) return server;
      const key = await deps.keys.get(origin);
      if (key) server.env = { ...server.env, IMAGE_GEN_API_KEY: key };
      return server;
    },
  };
  return [
    changed,
    settingsChanged,
    foldersChanged,
    lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
  ];
}
