// `dist/mcp.js`: a stdio MCP server offering imageGen_generate and imageGen_edit to any MCP client.
// stdout carries the protocol only; every log line goes to stderr.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { EDIT_TOOL, GENERATE_TOOL, parseEditInput, parseGenerateInput } from '../core/agentInput';
import { EDIT_INPUT_SCHEMA, GENERATE_INPUT_SCHEMA, describeInputProblem } from '../core/agentSchemas';
import type { LogFn } from '../core/apiClient';
import { redactSecrets } from '../core/redact';
import { nodeFetch } from '../services/http';
import { McpImages, MAX_INLINE_IMAGE_BYTES, settingsFromEnv, type McpOutcome } from './mcpImages';

const VERSION = '0.1.0';

function answer(outcome: McpOutcome) {
  if (!outcome.ok) return { content: [{ type: 'text' as const, text: outcome.error }], isError: true };
  const { saved, problems } = outcome.value;
  const lines = [`Saved ${saved.length} image(s) in the workspace:`];
  for (const s of saved) {
    lines.push(`- ${s.path}`, `  ${s.markdown}`);
    if (s.requestedPath)
      lines.push(
        `  (${s.requestedPath} was asked for; that name was taken or did not fit the image type, so it was saved as ${s.path})`,
      );
  }
  lines.push(...problems);
  const images = saved
    .filter((s) => s.bytes.byteLength <= MAX_INLINE_IMAGE_BYTES)
    .map((s) => ({
      type: 'image' as const,
      data: Buffer.from(s.bytes).toString('base64'),
      mimeType: s.mime,
    }));
  return { content: [{ type: 'text' as const, text: lines.join('\n') }, ...images] };
}

async function main(): Promise<void> {
  const settings = settingsFromEnv(process.env);
  if (!settings.ok) {
    process.stderr.write(`image-gen mcp: ${settings.error}\n`);
    process.exit(2);
  }
  const secrets = settings.value.apiKey ? [settings.value.apiKey] : [];
  const log: LogFn = (level, message) =>
    process.stderr.write(`[${level}] ${redactSecrets(message, secrets)}\n`);
  const images = new McpImages(settings.value, nodeFetch, log);
  const server = new Server({ name: 'image-gen', version: VERSION }, { capabilities: { tools: {} } });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: GENERATE_TOOL,
        title: 'Generate image',
        description:
          'Generate images from a text prompt and save them into the workspace; returns the saved paths and Markdown links.',
        inputSchema: GENERATE_INPUT_SCHEMA as unknown as { type: 'object' },
      },
      {
        name: EDIT_TOOL,
        title: 'Edit image',
        description:
          'Edit an image of the workspace with a prompt (optional mask and reference images); the source is never modified, the result is a new file.',
        inputSchema: EDIT_INPUT_SCHEMA as unknown as { type: 'object' },
      },
    ],
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    if (name === GENERATE_TOOL) {
      const input = parseGenerateInput(args ?? {});
      if (!input.ok) throw new McpError(ErrorCode.InvalidParams, describeInputProblem(input.error));
      return answer(await images.generate(input.value, extra.signal));
    }
    if (name === EDIT_TOOL) {
      const input = parseEditInput(args ?? {});
      if (!input.ok) throw new McpError(ErrorCode.InvalidParams, describeInputProblem(input.error));
      return answer(await images.edit(input.value, extra.signal));
    }
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  });

  await server.connect(new StdioServerTransport());
  log('info', `image-gen MCP server ready: ${settings.value.baseUrl}, workspace ${settings.value.workspace}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`image-gen mcp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
