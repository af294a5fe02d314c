// dist/mcp.js as an MCP client sees it: a child process spoken to over stdio with the SDK's client,
// against the fixture server, writing into a temporary workspace.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ImageServer } from '../fixtures/imageServer';
import { renderImage } from '../fixtures/png';

const SERVER_JS = path.resolve(__dirname, '../../../dist/mcp.js');
const KEY = 'sk-mcp-secret-1234567890';

interface Content {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
}
interface ToolAnswer {
  content: Content[];
  isError?: boolean;
}

suite('MCP server (dist/mcp.js over stdio)', function () {
  this.timeout(20_000);
  let server: ImageServer;
  let workspace: string;
  let client: Client;
  let stderr = '';

  suiteSetup(async () => {
    server = new ImageServer({ keys: [KEY] });
    await server.start();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'imagegen-mcp-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_JS],
      env: {
        PATH: process.env.PATH ?? '',
        IMAGE_GEN_BASE_URL: server.baseUrl,
        IMAGE_GEN_API_KEY: KEY,
        IMAGE_GEN_WORKSPACE: workspace,
        IMAGE_GEN_SIZE: '256x256',
        IMAGE_GEN_MAX_RETRIES: '0',
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    client = new Client({ name: 'image-gen-test', version: '1.0.0' });
    await client.connect(transport);
  });
  suiteTeardown(async () => {
    await client?.close();
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });
  setup(() => server.reset());

  const call = async (name: string, args: Record<string, unknown>): Promise<ToolAnswer> =>
    (await client.callTool({ name, arguments: args })) as unknown as ToolAnswer;

  test('lists both tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['imageGen_edit', 'imageGen_generate']);
    const generate = tools.find((t) => t.name === 'imageGen_generate');
    assert.deepEqual(generate?.inputSchema.required, ['prompt']);
  });

  test('imageGen_generate saves into the workspace and answers with path, link and image', async () => {
    const answer = await call('imageGen_generate', { prompt: 'a red fox', path: 'docs/img/fox.png' });
    assert.ok(!answer.isError, JSON.stringify(answer));
    const file = path.join(workspace, 'docs', 'img', 'fox.png');
    const bytes = fs.readFileSync(file);
    assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
    assert.match(answer.content[0].text ?? '', /docs\/img\/fox\.png/);
    assert.match(answer.content[0].text ?? '', /!\[a red fox\]\(docs\/img\/fox\.png\)/);
    const image = answer.content.find((c) => c.type === 'image');
    assert.equal(image?.mimeType, 'image/png');
    assert.ok(Buffer.from(image?.data ?? '', 'base64').equals(bytes));
    const request = server.requests.find((r) => r.path === '/v1/images/generations');
    assert.deepEqual(request?.json, {
      prompt: 'a red fox',
      model: 'qh-draw-x2-preview',
      size: '256x256',
      n: 1,
    });
    assert.equal(request?.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!stderr.includes(KEY), 'the key never reaches the log');
  });

  test('never overwrites: the same path again gets -1, and says so', async () => {
    const before = fs.readFileSync(path.join(workspace, 'docs', 'img', 'fox.png'));
    const answer = await call('imageGen_generate', { prompt: 'another fox', path: 'docs/img/fox.png' });
    assert.ok(!answer.isError);
    assert.ok(fs.readFileSync(path.join(workspace, 'docs', 'img', 'fox.png')).equals(before));
    assert.ok(fs.existsSync(path.join(workspace, 'docs', 'img', 'fox-1.png')));
    assert.match(answer.content[0].text ?? '', /docs\/img\/fox\.png was asked for/);
  });

  test('hostile paths are refused with the reason, and nothing is requested', async () => {
    for (const [p, reason] of [
      ['../escape.png', /climbs out/],
      ['/etc/evil.png', /outside the workspace/],
      ['notes.txt', /image file name/],
    ] as const) {
      const answer = await call('imageGen_generate', { prompt: 'x', path: p });
      assert.equal(answer.isError, true, p);
      assert.match(answer.content[0].text ?? '', reason);
    }
    assert.equal(server.requests.length, 0);
    assert.ok(!fs.existsSync(path.join(path.dirname(workspace), 'escape.png')));
  });

  test('bad input is an MCP error, not a crash: the server keeps answering', async () => {
    await assert.rejects(call('imageGen_generate', { n: 2 }), /"prompt" is required/);
    await assert.rejects(call('imageGen_generate', { prompt: 'x', n: 99 }), /"n" must be an integer/);
    await assert.rejects(call('imageGen_nope', {}), /Unknown tool/);
    const { tools } = await client.listTools();
    assert.equal(tools.length, 2);
  });

  test('imageGen_edit sends the image as multipart and writes a new file beside it', async () => {
    const source = renderImage({ prompt: 'source', width: 64, height: 64, index: 0 });
    fs.mkdirSync(path.join(workspace, 'art'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'art', 'cat.png'), source);
    const answer = await call('imageGen_edit', { image: 'art/cat.png', prompt: 'add a hat' });
    assert.ok(!answer.isError, JSON.stringify(answer));
    assert.ok(
      fs.readFileSync(path.join(workspace, 'art', 'cat.png')).equals(source),
      'the source is never modified',
    );
    const made = fs
      .readdirSync(path.join(workspace, 'art'))
      .filter((f) => /^cat-edit-\d{8}-\d{6}\.png$/.test(f));
    assert.equal(made.length, 1);
    const form = server.requests.find((r) => r.path === '/v1/images/edits')?.form;
    assert.ok(form?.parts.find((p) => p.name === 'image')?.data.equals(source));
    assert.match(answer.content[0].text ?? '', new RegExp(`art/${made[0]}`));
  });

  test('imageGen_edit: a provider that refuses says edits are not supported; outside sources are refused', async () => {
    const refused = await call('imageGen_edit', { image: 'art/cat.png', prompt: 'x', model: 'dall-e-3' });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0].text ?? '', /does not support edits: .*does not support image edits/);
    const outside = await call('imageGen_edit', { image: '/etc/hosts', prompt: 'x' });
    assert.equal(outside.isError, true);
    assert.match(outside.content[0].text ?? '', /inside the workspace/);
  });
});

suite('MCP server: configuration', () => {
  test('without IMAGE_GEN_WORKSPACE it refuses to start, says why on stderr, and writes nothing to stdout', () => {
    const run = spawnSync(process.execPath, [SERVER_JS], {
      env: { PATH: process.env.PATH ?? '', IMAGE_GEN_API_KEY: KEY },
      input: '',
      timeout: 8000,
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /IMAGE_GEN_WORKSPACE must name the folder/);
    assert.ok(!run.stderr.includes(KEY));
  });
});
