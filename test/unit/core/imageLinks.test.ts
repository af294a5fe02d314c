import * as assert from 'node:assert/strict';
import {
  editFileName,
  findImageLinks,
  imageLinkAt,
  isLocalTarget,
  markdownText,
} from '../../../src/core/imageLinks';

suite('core/imageLinks', () => {
  test('Markdown links with titles, angle brackets, escapes and CJK', () => {
    const text = [
      'Intro ![a \\[cat\\]](images/cat.png "Cat") and ![](<images/my dog (1).png>)',
      '![灯塔](images/%E7%81%AF%E5%A1%94.webp)',
    ].join('\n');
    const links = findImageLinks(text);
    assert.deepEqual(
      links.map((l) => [l.alt, l.target, text.slice(l.start, l.end)]),
      [
        ['a [cat]', 'images/cat.png', '![a \\[cat\\]](images/cat.png "Cat")'],
        ['', 'images/my dog (1).png', '![](<images/my dog (1).png>)'],
        ['灯塔', 'images/灯塔.webp', '![灯塔](images/%E7%81%AF%E5%A1%94.webp)'],
      ],
    );
  });

  test('HTML img tags count; links in fenced code do not; plain links are not images', () => {
    const text = '<img alt="x" src="a.png">\n```md\n![no](b.png)\n```\n[link](c.png)\n![yes](d.jpg)';
    assert.deepEqual(
      findImageLinks(text).map((l) => l.target),
      ['a.png', 'd.jpg'],
    );
  });

  test('the link under the cursor, edges included', () => {
    const text = 'text ![a](x.png) more';
    assert.equal(imageLinkAt(text, 5)?.target, 'x.png');
    assert.equal(imageLinkAt(text, 16)?.target, 'x.png');
    assert.equal(imageLinkAt(text, 2), undefined);
  });

  test('local targets only', () => {
    assert.ok(isLocalTarget('images/a.png'));
    assert.ok(isLocalTarget('/abs/a.png'));
    assert.ok(!isLocalTarget('https://x/a.png'));
    assert.ok(!isLocalTarget('data:image/png;base64,AAA'));
    assert.ok(!isLocalTarget('//cdn/a.png'));
  });

  test('edit file names sit beside the source and do not chain suffixes', () => {
    const d = new Date(2026, 10, 29, 6, 5, 4);
    assert.equal(editFileName('cat.png', d), 'cat-edit-20261129-060504.png');
    assert.equal(editFileName('cat.jpg', d), 'cat-edit-20261129-060504.png');
    assert.equal(editFileName('cat-edit-20260101-010101.png', d), 'cat-edit-20261129-060504.png');
    assert.equal(editFileName('猫 咪.webp', d, 'webp'), '猫 咪-edit-20261129-060504.webp');
  });
});

suite('core/imageLinks: the link under the cursor (hover)', () => {
  test('finds the image link under the cursor, with <…> targets, titles and escaped alt text', () => {
    const line = 'See ![a \\[fox\\]](<images/my fox.png> "title") and ![b](https://x.test/b.png).';
    assert.deepEqual(imageLinkAt(line, 6), {
      alt: 'a [fox]',
      target: 'images/my fox.png',
      start: 4,
      end: 45,
    });
    assert.equal(imageLinkAt(line, 55)?.target, 'https://x.test/b.png');
    assert.equal(imageLinkAt(line, 1), undefined);
    assert.equal(imageLinkAt('[not an image](a.png)', 3), undefined);
    assert.equal(imageLinkAt('一只猫 ![猫](图片/猫.png)', 6)?.target, '图片/猫.png');
  });
  test('URL or path', () => {
    assert.ok(!isLocalTarget('https://x.test/a.png'));
    assert.ok(!isLocalTarget('file:///c:/a.png'));
    assert.ok(isLocalTarget('images/a.png'));
    assert.ok(isLocalTarget('c:/a.png'));
    assert.equal(imageLinkAt('![x](https://x.test/a%20b.png)', 2)?.target, 'https://x.test/a%20b.png');
  });

  test('markdownText: plain text as Markdown that wraps like prose and renders as itself', () => {
    assert.equal(markdownText('a red kite'), 'a red kite', 'spaces stay spaces (not &nbsp;), so it wraps');
    assert.equal(markdownText('A detailed, high-quality *image*'), 'A detailed, high\\-quality \\*image\\*');
    assert.equal(markdownText('[x](y) <b> & `c`'), '\\[x\\]\\(y\\) &lt;b\\> &amp; \\`c\\`');
    assert.equal(markdownText('two\n\nlines'), 'two lines');
  });
});
