import * as assert from 'node:assert/strict';
import { buildEditForm, validateEditRequest, type EditRequest } from '../../../src/core/editRequest';
import { buildMultipart, quoteHeaderValue, randomBoundary } from '../../../src/core/multipart';
import { parseMultipart } from '../../fixtures/editsRoute';
import { renderImage } from '../../fixtures/png';

const png = (width = 32, height = 32, prompt = 'a cat'): Buffer =>
  renderImage({ prompt, width, height, index: 0 });
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0]);

suite('core/multipart', () => {
  test('a body the strict parser reads back part by part, binary bytes intact', () => {
    const bytes = new Uint8Array(256).map((_, i) => i); // every byte value, CR and LF and "--" included
    const { body, contentType, boundary } = buildMultipart([
      { name: 'prompt', value: '一只猫 🐱\r\nsecond line' },
      { name: 'image', filename: 'cat.png', contentType: 'image/png', data: bytes },
    ]);
    assert.equal(contentType, `multipart/form-data; boundary=${boundary}`);
    const parsed = parseMultipart(Buffer.from(body), boundary);
    assert.ok(typeof parsed !== 'string', String(parsed));
    assert.equal(parsed.parts.length, 2);
    assert.equal(parsed.parts[0].name, 'prompt');
    assert.equal(parsed.parts[0].filename, undefined);
    assert.equal(parsed.parts[0].data.toString('utf8'), '一只猫 🐱\r\nsecond line');
    assert.equal(parsed.parts[1].filename, 'cat.png');
    assert.equal(parsed.parts[1].contentType, 'image/png');
    assert.deepEqual(new Uint8Array(parsed.parts[1].data), bytes);
  });

  test('exact framing: CRLF after each part, closing delimiter with a final CRLF', () => {
    const { body } = buildMultipart([{ name: 'n', value: '1' }], () => 'XYZ');
    assert.equal(
      Buffer.from(body).toString('utf8'),
      '--XYZ\r\nContent-Disposition: form-data; name="n"\r\n\r\n1\r\n--XYZ--\r\n',
    );
  });

  test('names and file names are quoted so they cannot break the headers', () => {
    assert.equal(quoteHeaderValue('a"b\r\nc'), '"a%22b%0D%0Ac"');
    const { body, boundary } = buildMultipart([
      { name: 'x', filename: '猫 "1"\r\nX-Evil: 1.png', contentType: 'image/png\r\nX-Evil: 2', data: png() },
    ]);
    const text = Buffer.from(body).toString('utf8');
    assert.ok(!/\r\nX-Evil/.test(text), text.slice(0, 200));
    const parsed = parseMultipart(Buffer.from(body), boundary);
    assert.ok(typeof parsed !== 'string');
    assert.equal(parsed.parts[0].filename, '猫 "1"\r\nX-Evil: 1.png');
  });

  test('a boundary found inside the data is drawn again', () => {
    const draws = ['AAAA', 'AAAA', 'BBBB'];
    const { boundary } = buildMultipart(
      [
        {
          name: 'f',
          filename: 'f.bin',
          contentType: 'application/octet-stream',
          data: Buffer.from('xx--AAAAyy'),
        },
      ],
      () => draws.shift() ?? 'CCCC',
    );
    assert.equal(boundary, 'BBBB');
  });

  test('random boundaries differ and fit RFC 2046 (≤ 70 characters, token characters)', () => {
    const a = randomBoundary();
    const b = randomBoundary();
    assert.notEqual(a, b);
    assert.ok(a.length <= 70 && /^[-A-Za-z0-9]+$/.test(a), a);
  });
});

suite('core/editRequest', () => {
  const base: EditRequest = {
    prompt: 'make it blue',
    model: 'gpt-image-1',
    n: 1,
    images: [{ filename: 'a.png', bytes: png() }],
  };

  test('one image is sent as `image`, several as `image[]`, with the sniffed type', () => {
    const one = buildEditForm(base);
    assert.deepEqual(
      one.map((p) => p.name),
      ['prompt', 'model', 'n', 'image'],
    );
    const several = buildEditForm({
      ...base,
      images: [...base.images, { filename: 'ref.jpg', bytes: JPEG }],
      size: '1024x1024',
    });
    assert.deepEqual(
      several.map((p) => p.name),
      ['prompt', 'model', 'size', 'n', 'image[]', 'image[]'],
    );
    assert.equal((several[5] as { contentType: string }).contentType, 'image/jpeg');
  });

  test('extras go first as strings; core fields win; null is left out', () => {
    const parts = buildEditForm({
      ...base,
      mask: { filename: 'm.png', bytes: png() },
      extraParameters: { quality: 'high', prompt: 'evil', image: 'x', background: null, input_fidelity: 1 },
      extra: { quality: 'low', meta: { a: 1 } },
    });
    const fields = Object.fromEntries(
      parts.filter((p) => 'value' in p).map((p) => [p.name, (p as { value: string }).value]),
    );
    assert.deepEqual(fields, {
      quality: 'low',
      input_fidelity: '1',
      meta: '{"a":1}',
      prompt: 'make it blue',
      model: 'gpt-image-1',
      n: '1',
    });
    assert.equal(parts.filter((p) => p.name === 'image').length, 1);
    assert.equal(parts[parts.length - 1].name, 'mask');
  });

  test('validation names the first problem', () => {
    assert.equal(validateEditRequest(base), undefined);
    assert.equal(validateEditRequest({ ...base, prompt: ' ' }), 'emptyPrompt');
    assert.equal(validateEditRequest({ ...base, images: [] }), 'noImage');
    assert.equal(validateEditRequest({ ...base, images: Array(17).fill(base.images[0]) }), 'tooManyImages');
    assert.equal(
      validateEditRequest({ ...base, images: [{ filename: 'a.txt', bytes: Buffer.from('hello world!') }] }),
      'notImage',
    );
    assert.equal(validateEditRequest({ ...base, mask: { filename: 'm.jpg', bytes: JPEG } }), 'maskNotPng');
    assert.equal(validateEditRequest({ ...base, size: '12' }), 'badSize');
    assert.equal(validateEditRequest({ ...base, n: 0 }), 'badCount');
  });
});
