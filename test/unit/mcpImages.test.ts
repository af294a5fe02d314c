// The MCP server's use case in-process, with a scripted network and name resolution: the rules of
// §10 that need a public API to show (a private image address) and a key that cannot be sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { FetchLike, FetchResponseLike } from '../../src/core/apiClient';
import { McpImages, type McpSettings } from '../../src/mcp/mcpImages';
import { renderImage } from '../fixtures/png';

const PNG = renderImage({ prompt: 'mcp', width: 16, height: 16, index: 0 });

function answer(
  status: number,
  body: Buffer,
  type: string,
  more: Record<string, string> = {},
): FetchResponseLike {
  const headers: Record<string, string> = {
    'content-type': type,
    'content-length': String(body.length),
    ...more,
  };
  return {
    status,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    body: Readable.from([body]),
    text: async () => body.toString('utf8'),
  };
}

suite('MCP use case: downloads and keys (§10, §12)', () => {
  let workspace: string;
  setup(() => (workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'imagegen-mcp-unit-'))));
  teardown(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function run(baseUrl: string, imageUrls: string[], apiKey = 'sk-mcp-unit-0123456789') {
    const requested: string[] = [];
    const fetch: FetchLike = async (url) => {
      requested.push(url);
      if (url.endsWith('/images/generations')) {
        const data = imageUrls.map((u) => ({ url: u }));
        return answer(200, Buffer.from(JSON.stringify({ created: 1, data })), 'application/json');
      }
      // A public URL that sends the client on to this machine.
      if (url.endsWith('/redirect.png'))
        return answer(302, Buffer.alloc(0), 'text/plain', { location: 'http://127.0.0.1:9/secret.png' });
      return answer(200, PNG, 'image/png');
    };
    const settings: McpSettings = {
      baseUrl,
      apiKey,
      workspace,
      model: 'qh-draw-x2-preview',
      size: '256x256',
      timeoutMs: 10_000,
      maxRetries: 0,
    };
    // api.example.test is public; cdn.example.test and the literals are what their names say.
    const resolve = async (host: string): Promise<string[]> =>
      host === 'intranet.example.test' ? ['10.1.2.3'] : ['93.184.216.34'];
    const images = new McpImages(settings, fetch, () => undefined, resolve);
    const outcome = images.generate(
      { prompt: 'a lighthouse', n: Math.max(1, imageUrls.length) },
      new AbortController().signal,
    );
    return { outcome, requested };
  }

  test('a public API naming images on this machine or a private network: not downloaded, nothing written', async () => {
    const urls = [
      'http://127.0.0.1:9/secret.png',
      'http://intranet.example.test/x.png',
      'http://[::1]/y.png',
    ];
    const { outcome, requested } = run('https://api.example.test/v1', urls);
    const result = await outcome;
    assert.ok(!result.ok);
    assert.match(result.error, /on this machine or a private network, and the API is not/);
    assert.deepEqual(requested, ['https://api.example.test/v1/images/generations'], 'no download was tried');
    assert.deepEqual(fs.readdirSync(workspace), []);
  });

  test('a public image URL redirecting to this machine is not followed', async () => {
    const { outcome, requested } = run('https://api.example.test/v1', [
      'https://cdn.example.test/redirect.png',
    ]);
    const result = await outcome;
    assert.ok(!result.ok);
    assert.match(result.error, /on this machine or a private network, and the API is not/);
    assert.deepEqual(
      requested.slice(1),
      ['https://cdn.example.test/redirect.png'],
      'the redirect was not followed',
    );
    assert.deepEqual(fs.readdirSync(workspace), []);
  });

  test('public image URLs are downloaded; an API on a private address may serve its images from one', async () => {
    const publicApi = run('https://api.example.test/v1', ['https://cdn.example.test/a.png']);
    const first = await publicApi.outcome;
    assert.ok(first.ok, !first.ok ? first.error : '');
    assert.equal(first.value.saved.length, 1);
    assert.deepEqual(publicApi.requested.slice(1), ['https://cdn.example.test/a.png']);

    const lan = run('http://intranet.example.test/v1', ['http://127.0.0.1:9/local.png']);
    const second = await lan.outcome;
    assert.ok(second.ok, !second.ok ? second.error : '');
    assert.deepEqual(lan.requested.slice(1), ['http://127.0.0.1:9/local.png']);
  });

  test('a key with an invisible character is named as the problem, and nothing is sent', async () => {
    const { outcome, requested } = run('https://api.example.test/v1', [], 'sk-mcp\u200b-unit-0123456789');
    const result = await outcome;
    assert.ok(!result.ok);
    assert.match(result.error, /IMAGE_GEN_API_KEY holds characters no API key has/);
    assert.deepEqual(requested, []);
  });
});
