import * as assert from 'node:assert/strict';
import {
  fileTimestamp,
  imageFileName,
  numberedFileName,
  promptSlug,
  sanitizeFileName,
} from '../../../src/core/fileNames';

const codePoints = (s: string): number => Array.from(s).length;
const utf8 = (s: string): number => new TextEncoder().encode(s).length;

suite('core/fileNames', () => {
  suite('promptSlug', () => {
    test('lower-case ASCII words joined by single dashes', () => {
      assert.equal(promptSlug('A Cute Cat, in the Garden!!'), 'a-cute-cat-in-the-garden');
      assert.equal(promptSlug('  --Hello___World--  '), 'hello-world');
    });
    test('CJK is kept, CJK punctuation becomes a dash', () => {
      assert.equal(
        promptSlug('一只可爱的小猫在花园里玩耍，油画风格，高质量'),
        '一只可爱的小猫在花园里玩耍-油画风格-高质量',
      );
      assert.equal(promptSlug('日系アニメ・스타일 8K'), '日系アニメ-스타일-8k');
    });
    test('emoji (with ZWJ, skin tones and variation selectors) become dashes', () => {
      assert.equal(promptSlug('cat 🐱 and 👩🏽‍💻 ❤️ love'), 'cat-and-love');
      assert.equal(promptSlug('🐱🐶'), 'image');
    });
    test('accents stay attached to their letters; full-width Latin becomes ASCII', () => {
      assert.equal(promptSlug('Café Crème'), 'café-crème');
      assert.equal(promptSlug('Cafe\u0301'), 'café', 'decomposed input is composed');
      assert.equal(promptSlug('ＣＡＴ　１２３'), 'cat-123');
    });
    test('apostrophes vanish rather than splitting words', () => {
      assert.equal(promptSlug("Don't panic — it’s fine"), 'dont-panic-its-fine');
    });
    test('path separators and Windows-forbidden characters never survive', () => {
      const slug = promptSlug('a/b\\c:d*e?f"g<h>i|j (k) [l]');
      assert.equal(slug, 'a-b-c-d-e-f-g-h-i-j-k-l');
    });
    test('never empty', () => {
      assert.equal(promptSlug(''), 'image');
      assert.equal(promptSlug('!!! ??? ...'), 'image');
    });
    test('bounded by code points without a trailing dash', () => {
      const long = promptSlug('word '.repeat(40));
      assert.ok(codePoints(long) <= 48, long);
      assert.ok(!long.endsWith('-'));
      assert.equal(promptSlug('abcdef ghij', 7), 'abcdef');
      const cjk = promptSlug('猫'.repeat(100));
      assert.equal(cjk, '猫'.repeat(48));
      assert.equal(promptSlug('猫'.repeat(100), 10), '猫'.repeat(10));
    });
    test('astral letters count as one code point and are never split', () => {
      const slug = promptSlug('𠮷'.repeat(60), 5);
      assert.equal(slug, '𠮷'.repeat(5));
      assert.ok(!/[\uD800-\uDBFF]$/.test(slug));
    });
  });

  suite('fileTimestamp', () => {
    test('yyyyMMdd-HHmmss in local time, zero-padded', () => {
      assert.equal(fileTimestamp(new Date(2026, 10, 25, 10, 10, 5)), '20261125-101005');
      assert.equal(fileTimestamp(new Date(2026, 0, 2, 3, 4, 5)), '20260102-030405');
      assert.equal(fileTimestamp(new Date(2026, 11, 31, 23, 59, 59)), '20261231-235959');
    });
  });

  suite('imageFileName', () => {
    const date = new Date(2026, 10, 25, 10, 10, 10);
    test('<slug>-<timestamp>.<ext>', () => {
      assert.equal(imageFileName('A cat', date, 'png'), 'a-cat-20261125-101010.png');
      assert.equal(imageFileName('一只猫 🐱', date, '.JPG'), '一只猫-20261125-101010.jpg');
      assert.equal(imageFileName('', date, 'webp'), 'image-20261125-101010.webp');
    });
  });

  suite('numberedFileName', () => {
    test('inserts -N before the extension', () => {
      assert.equal(numberedFileName('a-cat.png', 0), 'a-cat.png');
      assert.equal(numberedFileName('a-cat.png', 1), 'a-cat-1.png');
      assert.equal(numberedFileName('a-cat.png', 12), 'a-cat-12.png');
      assert.equal(numberedFileName('猫 (1).webp', 2), '猫 (1)-2.webp');
    });
    test('names without an extension and dot-files', () => {
      assert.equal(numberedFileName('README', 3), 'README-3');
      assert.equal(numberedFileName('.hidden', 1), '.hidden-1');
      assert.equal(numberedFileName('archive.tar.gz', 1), 'archive.tar-1.gz');
    });
  });

  suite('sanitizeFileName', () => {
    test('removes characters Windows forbids and control characters', () => {
      assert.equal(sanitizeFileName('a<b>c:d"e/f\\g|h?i*j.png'), 'abcdefghij.png');
      assert.equal(sanitizeFileName('tab\there\nnl\u0000.png'), 'tabherenl.png');
      assert.equal(sanitizeFileName('evil\u202Egnp.exe'), 'evilgnp.exe', 'bidi overrides are removed');
    });
    test('keeps spaces, parentheses, CJK and emoji', () => {
      assert.equal(sanitizeFileName('我的 图片 (1) 🐱.png'), '我的 图片 (1) 🐱.png');
    });
    test('trims leading blanks and trailing dots and spaces', () => {
      assert.equal(sanitizeFileName('  name.png. . '), 'name.png');
      assert.equal(sanitizeFileName('folder...'), 'folder');
    });
    test('Windows device names get a suffix, with or without extension, any case', () => {
      assert.equal(sanitizeFileName('CON'), 'CON_');
      assert.equal(sanitizeFileName('con.png'), 'con_.png');
      assert.equal(sanitizeFileName('Nul.tar.gz'), 'Nul_.tar.gz');
      assert.equal(sanitizeFileName('COM1.txt'), 'COM1_.txt');
      assert.equal(sanitizeFileName('lpt9'), 'lpt9_');
      assert.equal(sanitizeFileName('aux .png'), 'aux_.png');
      assert.equal(sanitizeFileName('console.png'), 'console.png');
      assert.equal(sanitizeFileName('COM10.png'), 'COM10.png');
      assert.equal(sanitizeFileName('LPT0'), 'LPT0');
    });
    test('never empty', () => {
      assert.equal(sanitizeFileName(''), 'image');
      assert.equal(sanitizeFileName('...'), 'image');
      assert.equal(sanitizeFileName('..'), 'image');
      assert.equal(sanitizeFileName('???'), 'image');
      assert.equal(sanitizeFileName('  '), 'image');
    });
    test('at most 120 code points, keeping the extension', () => {
      const out = sanitizeFileName(`${'a'.repeat(300)}.png`);
      assert.equal(codePoints(out), 120);
      assert.ok(out.endsWith('.png'));
      assert.equal(out, `${'a'.repeat(116)}.png`);
    });
    test('CJK names are cut by UTF-8 bytes too (file systems count bytes)', () => {
      const out = sanitizeFileName(`${'猫'.repeat(200)}.png`);
      assert.ok(utf8(out) <= 240, String(utf8(out)));
      assert.ok(out.endsWith('.png'));
      assert.equal(out, `${'猫'.repeat(78)}.png`);
    });
    test('emoji are never split when cutting', () => {
      const out = sanitizeFileName(`${'🐱'.repeat(100)}.gif`);
      assert.ok(out.endsWith('.gif'));
      assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(out), 'no lone high surrogate');
      assert.equal(out, `${'🐱'.repeat(59)}.gif`);
    });
    test('a "extension" that is really a long sentence is not preserved as one', () => {
      const out = sanitizeFileName(`x.${'y'.repeat(200)}`);
      assert.equal(codePoints(out), 120);
    });
  });
});
