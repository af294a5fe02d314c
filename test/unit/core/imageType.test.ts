import * as assert from 'node:assert/strict';
import { sniffImageType } from '../../../src/core/imageType';

const bytes = (...parts: Array<number[] | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

suite('core/imageType', () => {
  test('PNG', () => {
    assert.deepEqual(sniffImageType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), {
      ext: 'png',
      mime: 'image/png',
    });
  });
  test('JPEG (any APPn marker)', () => {
    assert.deepEqual(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), {
      ext: 'jpg',
      mime: 'image/jpeg',
    });
    assert.equal(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe1]))?.ext, 'jpg');
  });
  test('GIF87a and GIF89a', () => {
    assert.deepEqual(sniffImageType(bytes('GIF89a', [1, 0, 1, 0])), { ext: 'gif', mime: 'image/gif' });
    assert.equal(sniffImageType(bytes('GIF87a'))?.ext, 'gif');
    assert.equal(sniffImageType(bytes('GIF88a')), undefined);
  });
  test('WebP needs RIFF....WEBP', () => {
    assert.deepEqual(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')), {
      ext: 'webp',
      mime: 'image/webp',
    });
    assert.equal(
      sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')),
      undefined,
      'a WAV file is RIFF too',
    );
    assert.equal(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEB')), undefined, 'truncated');
  });
  test('not images', () => {
    assert.equal(sniffImageType(new Uint8Array()), undefined);
    assert.equal(sniffImageType(bytes('<!DOCTYPE html><html>')), undefined);
    assert.equal(sniffImageType(bytes('{"error":"x"}')), undefined);
    assert.equal(
      sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')),
      undefined,
      'SVG is not accepted',
    );
    assert.equal(sniffImageType(bytes([0x89, 0x50, 0x4e, 0x47])), undefined, 'truncated PNG signature');
    assert.equal(sniffImageType(bytes([0xff, 0xd8])), undefined, 'truncated JPEG signature');
  });
});
