import * as assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import {
  crc32,
  crcOk,
  itxtChunk,
  readChunks,
  readPngText,
  withoutPngText,
  writePngText,
} from '../../../src/core/pngText';
import {
  embedProvenance,
  parseProvenance,
  readEmbeddedProvenance,
  serializeProvenance,
  sidecarPathOf,
} from '../../../src/core/provenance';
import { renderImage } from '../../fixtures/png';

const png = (): Buffer => renderImage({ prompt: 'a cat', width: 16, height: 12, index: 0 });

/** A PNG with a tEXt chunk right after IHDR, as other tools write them. */
function withText(bytes: Buffer): Buffer {
  const data = Buffer.from('Software\0other tool', 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk, 4, 8 + data.length), 8 + data.length);
  const ihdrEnd = 8 + 12 + 13;
  return Buffer.concat([bytes.subarray(0, ihdrEnd), chunk, bytes.subarray(ihdrEnd)]);
}

suite('core/pngText', () => {
  test('CRC-32 matches the standard check value', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });

  test('round trip: the text comes back and the PNG still decodes to the same pixels', () => {
    const source = png();
    const out = writePngText(source, 'imagegen', 'hello')!;
    assert.ok(out);
    assert.equal(readPngText(out, 'imagegen'), 'hello');
    const before = PNG.sync.read(source);
    const after = PNG.sync.read(Buffer.from(out));
    assert.equal(after.width, 16);
    assert.deepEqual(after.data, before.data);
  });

  test('non-ASCII text is stored as UTF-8 and read back exactly', () => {
    const text = '一只橘猫坐在窗台上 🐈 — «ça» ñ';
    const out = writePngText(png(), 'imagegen', text)!;
    assert.equal(readPngText(out, 'imagegen'), text);
    const chunk = readChunks(out)!.find((c) => c.type === 'iTXt')!;
    const data = Buffer.from(out.subarray(chunk.dataOffset, chunk.dataOffset + chunk.length));
    assert.ok(data.includes(Buffer.from(text, 'utf8')), 'the raw bytes are UTF-8');
  });

  test('every chunk has a right CRC, and the new chunk sits just before IEND', () => {
    const out = writePngText(png(), 'imagegen', '{"a":1}')!;
    const chunks = readChunks(out)!;
    assert.ok(chunks.every((c) => crcOk(out, c)));
    assert.deepEqual(
      chunks.slice(-2).map((c) => c.type),
      ['iTXt', 'IEND'],
    );
  });

  test('existing chunks are kept byte for byte, in order', () => {
    const source = withText(png());
    const out = writePngText(source, 'imagegen', 'x')!;
    const typesBefore = readChunks(source)!.map((c) => c.type);
    const typesAfter = readChunks(out)!.map((c) => c.type);
    assert.deepEqual(typesAfter, [...typesBefore.slice(0, -1), 'iTXt', 'IEND']);
    const iend = readChunks(source)!.at(-1)!;
    assert.deepEqual(Buffer.from(out.subarray(0, iend.offset)), source.subarray(0, iend.offset));
  });

  test('writing again replaces our chunk and leaves other keywords alone', () => {
    const once = writePngText(png(), 'other', 'keep me')!;
    const twice = writePngText(writePngText(once, 'imagegen', 'first')!, 'imagegen', 'second')!;
    assert.equal(readPngText(twice, 'imagegen'), 'second');
    assert.equal(readPngText(twice, 'other'), 'keep me');
    assert.equal(readChunks(twice)!.filter((c) => c.type === 'iTXt').length, 2);
  });

  test('a chunk with a wrong CRC is not believed', () => {
    const out = Buffer.from(writePngText(png(), 'imagegen', 'secret')!);
    const chunk = readChunks(out)!.find((c) => c.type === 'iTXt')!;
    out[chunk.dataOffset + chunk.length - 1] ^= 0xff;
    assert.equal(readPngText(out, 'imagegen'), undefined);
  });

  test('not a PNG, or a truncated one: undefined, no throw', () => {
    assert.equal(writePngText(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'imagegen', 'x'), undefined);
    assert.equal(writePngText(png().subarray(0, 40), 'imagegen', 'x'), undefined);
    assert.equal(readPngText(new Uint8Array(3), 'imagegen'), undefined);
  });

  test('keywords follow the PNG rules', () => {
    assert.throws(() => itxtChunk('', 'x'));
    assert.throws(() => itxtChunk(' lead', 'x'));
    assert.throws(() => itxtChunk('x'.repeat(80), 'x'));
  });
});

suite('core/provenance', () => {
  const record = {
    prompt: '海边的灯塔, 油画',
    model: 'gpt-image-1',
    size: '1024x1024',
    revisedPrompt: 'A lighthouse by the sea, oil painting',
    parent: 'lighthouse-20260101-101010.png',
    createdAt: '2026-11-29T06:00:00.000Z',
  };

  test('embedded into a PNG and read back', () => {
    const out = embedProvenance(png(), record)!;
    assert.deepEqual(readEmbeddedProvenance(out), record);
  });

  test('a sidecar is the same JSON; its path is the file name plus .imagegen.json', () => {
    assert.deepEqual(parseProvenance(serializeProvenance(record)), record);
    assert.equal(sidecarPathOf('/w/images/a b.jpg'), '/w/images/a b.jpg.imagegen.json');
  });

  test('foreign or hostile text is refused, not trusted', () => {
    assert.equal(parseProvenance('not json'), undefined);
    assert.equal(parseProvenance('[]'), undefined);
    assert.equal(parseProvenance('{"prompt":1,"model":"m","size":"s"}'), undefined);
    assert.equal(parseProvenance(JSON.stringify({ ...record, prompt: 'x'.repeat(70_000) })), undefined);
    const noTime = parseProvenance(JSON.stringify({ ...record, createdAt: 'yesterday' }));
    assert.equal(noTime?.createdAt, '');
  });
  test('withoutPngText gives back the picture as it was before the chunk was written', () => {
    const source = png();
    const out = writePngText(writePngText(source, 'other', 'keep')!, 'imagegen', 'drop me')!;
    const back = withoutPngText(out, 'imagegen');
    assert.equal(readPngText(back, 'imagegen'), undefined);
    assert.equal(readPngText(back, 'other'), 'keep');
    assert.deepEqual(Buffer.from(withoutPngText(back, 'other')), Buffer.from(source));
    assert.equal(withoutPngText(source, 'imagegen'), source, 'nothing to drop: the same bytes');
  });
});
