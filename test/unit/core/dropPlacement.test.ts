import * as assert from 'node:assert/strict';
import { placeDrop } from '../../../src/core/dropPlacement';

/** Applies the placement to the text, as the editor would. */
function drop(text: string, line: number, paragraphs = true, snippet = '![a cat](images/cat.png)'): string {
  const lines = text.split('\n');
  const p = placeDrop({ lineCount: lines.length, lineAt: (i) => lines[i] }, line, snippet, paragraphs);
  const target = lines[p.line];
  lines[p.line] = target.slice(0, p.character) + p.text + target.slice(p.endCharacter);
  return lines.join('\n');
}

suite('drop placement', () => {
  test('on the blank line between two paragraphs: a paragraph of its own, both separations kept', () => {
    assert.equal(drop('First.\n\nSecond.\n', 1), 'First.\n\n![a cat](images/cat.png)\n\nSecond.\n');
  });

  test('inside a line: after the end of that paragraph, never glued into the sentence', () => {
    assert.equal(
      drop('Books on a shelf\nbeside a lamp.\n\nNext.', 0),
      'Books on a shelf\nbeside a lamp.\n\n![a cat](images/cat.png)\n\nNext.',
    );
    assert.equal(drop('Only line', 0), 'Only line\n\n![a cat](images/cat.png)');
  });

  test('blank lines already there are reused, whitespace-only lines replaced', () => {
    assert.equal(drop('A\n\n\nB', 2), 'A\n\n![a cat](images/cat.png)\n\nB');
    assert.equal(drop('A\n\n\nB', 1), 'A\n\n![a cat](images/cat.png)\n\nB');
    assert.equal(drop('A\n   \nB', 1), 'A\n\n![a cat](images/cat.png)\n\nB');
    assert.equal(drop('', 0), '![a cat](images/cat.png)');
    assert.equal(drop('# Title\n', 1), '# Title\n\n![a cat](images/cat.png)');
  });

  test('HTML and LaTeX: a line of its own', () => {
    const img = '<img src="cat.png" alt="猫 🐈">';
    assert.equal(drop('<p>a</p>\n<p>b</p>', 0, false, img), `<p>a</p>\n${img}\n<p>b</p>`);
    assert.equal(drop('<p>a</p>\n\n<p>b</p>', 1, false, img), `<p>a</p>\n${img}\n<p>b</p>`);
  });

  test('a drop line past the end is clamped', () => {
    assert.equal(drop('A', 5), 'A\n\n![a cat](images/cat.png)');
  });
});
