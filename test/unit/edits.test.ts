// The edits request against the fixture server, which parses the multipart body for real: these
// prove the shape of what the client sends and how it reads the answers.
import * as assert from 'node:assert/strict';
import { ImageApiClient } from '../../src/core/apiClient';
import type { EditRequest } from '../../src/core/editRequest';
import { nodeFetch } from '../../src/services/http';
import { ImageServer, steps } from '../fixtures/imageServer';
import { renderImage } from '../fixtures/png';

const png = (width: number, height: number, prompt = 'src'): Buffer =>
  renderImage({ prompt, width, height, index: 0 });

suite('edits: client ↔ fixture server', () => {
  let server: ImageServer;
  let client: ImageApiClient;
  suiteSetup(async () => {
    server = new ImageServer();
    await server.start();
  });
  suiteTeardown(() => server.stop());
  setup(() => {
    server.reset();
    client = new ImageApiClient({
      fetch: nodeFetch,
      baseUrl: server.baseUrl,
      apiKey: 'sk-edit',
      timeoutMs: 10_000,
      maxRetries: 2,
      sleep: async () => undefined,
    });
  });
  const base = (): EditRequest => ({
    prompt: '把天空变成紫色',
    model: 'gpt-image-1',
    n: 1,
    images: [{ filename: 'sky.png', bytes: png(64, 48) }],
  });

  test('one image: multipart with `image`, answered like a generation', async () => {
    const result = await client.edit({
      ...base(),
      mask: { filename: 'mask.png', bytes: png(64, 48, 'mask') },
      extraParameters: { quality: 'high' },
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.equal(result.value.images.length, 1);
    const [request] = server.requests.filter((r) => r.path === '/v1/images/edits');
    assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.equal(request.headers.authorization, 'Bearer sk-edit');
    const names = request.form?.parts.map((p) => p.name);
    assert.deepEqual(names, ['quality', 'prompt', 'model', 'n', 'image', 'mask']);
    const image = request.form?.parts.find((p) => p.name === 'image');
    assert.equal(image?.filename, 'sky.png');
    assert.equal(image?.contentType, 'image/png');
    assert.ok(image?.data.equals(base().images[0].bytes as Buffer));
    assert.equal(
      request.form?.parts.find((p) => p.name === 'prompt')?.data.toString('utf8'),
      '把天空变成紫色',
    );
  });

  test('several images go as image[]; size and n are sent', async () => {
    const refs = Array.from({ length: 3 }, (_, i) => ({
      filename: `r${i}.png`,
      bytes: png(16, 16, `r${i}`),
    }));
    const result = await client.edit({
      ...base(),
      images: [...base().images, ...refs],
      size: '512x512',
      n: 2,
    });
    assert.ok(result.ok);
    assert.equal(result.value.images.length, 2);
    const form = server.requests[0].form;
    assert.equal(form?.parts.filter((p) => p.name === 'image[]').length, 4);
    assert.equal(form?.parts.find((p) => p.name === 'size')?.data.toString(), '512x512');
  });

  test('what a strict provider refuses is a 400 saying edits are not supported, with its own words', async () => {
    const mismatch = await client.edit({ ...base(), mask: { filename: 'm.png', bytes: png(32, 32) } });
    assert.ok(!mismatch.ok);
    assert.equal(mismatch.error.kind, 'badRequest');
    assert.equal(mismatch.error.cause, 'editsUnsupported');
    assert.match(
      mismatch.error.providerMessage ?? '',
      /mask \(32x32\) must be the same size as the image \(64x48\)/,
    );

    const tooMany = await client.edit({ ...base(), images: Array(17).fill(base().images[0]) });
    assert.ok(!tooMany.ok);
    assert.match(tooMany.error.providerMessage ?? '', /at most 16/);

    const model = await client.edit({ ...base(), model: 'dall-e-3' });
    assert.ok(!model.ok);
    assert.match(model.error.providerMessage ?? '', /does not support image edits/);
    assert.equal(server.requests.length, 3, 'a 400 is never retried');
  });

  test('the fixture refuses a JSON body and a request without image', async () => {
    const json = await fetch(`${server.baseUrl}/images/edits`, {
      method: 'POST',
      headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    assert.equal(json.status, 400);
    assert.match(
      ((await json.json()) as { error: { message: string } }).error.message,
      /expected multipart\/form-data/,
    );
    const form = new FormData();
    form.set('prompt', 'x');
    const noImage = await fetch(`${server.baseUrl}/images/edits`, {
      method: 'POST',
      headers: { Authorization: 'Bearer k' },
      body: form,
    });
    assert.equal(noImage.status, 400);
    assert.match(
      ((await noImage.json()) as { error: { message: string } }).error.message,
      /Missing required parameter: 'image'/,
    );
  });

  test('404 (no edits endpoint) is editsUnsupported too; 503 is retried with the same body', async () => {
    server.enqueue('edit', { status: 404 });
    const missing = await client.edit(base());
    assert.ok(!missing.ok);
    assert.equal(missing.error.kind, 'notFound');
    assert.equal(missing.error.cause, 'editsUnsupported');
    server.reset();
    server.enqueue('edit', { status: 503 });
    const retried = await client.edit(base());
    assert.ok(retried.ok);
    assert.equal(server.requests.length, 2);
    assert.ok(server.requests[0].form && server.requests[1].form);
    assert.deepEqual(
      server.requests[0].form.parts.map((p) => p.name),
      server.requests[1].form.parts.map((p) => p.name),
    );
  });

  test('a redirect to another origin is not followed: the key stays home', async () => {
    server.enqueue('edit', steps.redirect(`${server.cdnOrigin}/v1/images/edits`, 307));
    const result = await client.edit(base());
    assert.ok(!result.ok);
    assert.equal(result.error.cause, 'crossOriginRedirect');
    assert.equal(server.requests.filter((r) => r.server === 'cdn').length, 0);
  });

  test('cancel aborts the upload/answer: the server sees the connection go', async () => {
    server.enqueue('edit', { hang: true });
    const controller = new AbortController();
    const pending = client.edit(base(), controller.signal);
    const request = await server.waitForRequest((r) => r.path === '/v1/images/edits');
    controller.abort();
    const result = await pending;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'cancelled');
    for (let i = 0; i < 50 && !request.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(request.aborted, true);
  });
});
