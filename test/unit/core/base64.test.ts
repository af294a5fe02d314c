import * as assert from 'node:assert/strict';
import { decodedLength, normalizeBase64 } from '../../../src/core/base64';

suite('core/base64', () => {
  test('canonical input is returned unchanged', () => {
    assert.equal(normalizeBase64('aGVsbG8='), 'aGVsbG8=');
    assert.equal(normalizeBase64('iVBORw0KGgo='), 'iVBORw0KGgo=');
  });
  test('data: prefixes and white space are removed', () => {
    assert.equal(normalizeBase64('data:image/png;base64,aGVs\nbG8='), 'aGVsbG8=');
    assert.equal(normalizeBase64('  DATA:image/webp;charset=utf-8;base64,aGVs bG8=\r\n'), 'aGVsbG8=');
  });
  test('anything not strictly base64 is refused', () => {
    for (const text of [
      '',
      '   ',
      'aGVsbG8',
      'aGVsbG8==',
      'aGV$bG8=',
      'aGVs-G8=',
      '====',
      'data:text/plain;base64,aGVsbG8=',
      'data:image/png,aGVsbG8=',
    ]) {
      assert.equal(normalizeBase64(text), undefined, JSON.stringify(text));
    }
  });
  test('decodedLength matches Buffer', () => {
    for (const text of ['aGVsbG8=', 'aGVsbA==', 'aGVs', 'iVBORw0KGgo=']) {
      assert.equal(decodedLength(text), Buffer.from(text, 'base64').length, text);
    }
  });
});
