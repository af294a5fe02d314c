import * as assert from 'node:assert/strict';
import { REDACTED, redactSecrets } from '../../../src/core/redact';

suite('core/redact', () => {
  test('known secrets are replaced everywhere, also percent-encoded', () => {
    const key = 'my key/with+chars=';
    const text = `key=${key} again ${key} url ?k=${encodeURIComponent(key)}`;
    const out = redactSecrets(text, [key]);
    assert.ok(!out.includes(key));
    assert.ok(!out.includes(encodeURIComponent(key)));
    assert.equal(out.split(REDACTED).length - 1, 3);
  });

  test('a secret containing another secret is scrubbed whole', () => {
    assert.equal(redactSecrets('x abcdef123456 y', ['abcd', 'abcdef123456']), `x ${REDACTED} y`);
  });

  test('very short known secrets are ignored (they would shred the log)', () => {
    assert.equal(redactSecrets('a cat in a hat', ['a']), 'a cat in a hat');
  });

  test('Bearer tokens, whatever they look like', () => {
    assert.equal(redactSecrets('Authorization: Bearer abc', []), `Authorization: Bearer ${REDACTED}`);
    assert.equal(
      redactSecrets('{"authorization":"bearer x.y.z"}', []),
      `{"authorization":"bearer ${REDACTED}"}`,
    );
  });

  test('Authorization header values of other schemes', () => {
    assert.equal(redactSecrets('Authorization: Basic dXNlcjpwYXNz', []), `Authorization: ${REDACTED}`);
    assert.equal(redactSecrets('authorization=token123', []), `authorization=${REDACTED}`);
  });

  test('sk- style keys', () => {
    assert.equal(redactSecrets('bad key sk-proj-AbC_12-xyzXYZ987 here', []), `bad key ${REDACTED} here`);
    assert.equal(redactSecrets('sk-1234567890abcdef', []), REDACTED);
  });

  test('long random base62 runs mixing letters and digits', () => {
    const token = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7';
    assert.equal(redactSecrets(`token ${token}.`, []), `token ${REDACTED}.`);
    assert.equal(redactSecrets('commit 0123456789abcdef0123456789abcdef01234567', []), `commit ${REDACTED}`);
  });

  test('key-like query parameters', () => {
    assert.equal(
      redactSecrets('GET https://cdn.x.com/a.png?se=2026&sig=abc%2Fdef&sp=r', []),
      `GET https://cdn.x.com/a.png?se=2026&sig=${REDACTED}&sp=r`,
    );
    assert.equal(redactSecrets('https://x.com/v1?api_key=xyz', []), `https://x.com/v1?api_key=${REDACTED}`);
  });

  test('ordinary text, URLs and file names survive', () => {
    const samples = [
      'POST https://api.qhaigc.net/v1/images/generations → 200 in 812 ms (attempt 1/3)',
      'GET https://cdn.example.com/files/2026/11/25/abc123def456.png → 200',
      'saved images/a-cute-cat-in-the-garden-oil-painting-style-20261125-101010.png',
      'Token limit exceeded for model qh-draw-x2-preview',
      '一只可爱的小猫在花园里玩耍 🐱',
      'supercalifragilisticexpialidociousandmorelettersonly',
    ];
    for (const text of samples) assert.equal(redactSecrets(text, []), text);
  });

  test('no secrets and nothing key-shaped: unchanged', () => {
    assert.equal(redactSecrets('', ['abcdef']), '');
    assert.equal(redactSecrets('hello', []), 'hello');
  });
});
