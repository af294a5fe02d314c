import * as assert from 'node:assert/strict';
import {
  landingLine,
  lineBreakOf,
  mapOffsetThroughEdit,
  mapSelectionThroughEdit,
  planAtTarget,
  planInsertion,
  placementStyle,
  type PlacementStyle,
} from '../../../src/core/placement';
import { aspectRatioLabel } from '../../../src/core/aspectRatio';

const IMG = '![a fox](images/fox.png)';

/** Applies the plan for a cursor (`|`) or selection (`[…]`) marked in `marked`. */
function place(
  marked: string,
  options: { style?: PlacementStyle; replace?: boolean; snippets?: string[] } = {},
): string {
  let text = marked;
  let start: number;
  let end: number;
  if (text.includes('|')) {
    start = end = text.indexOf('|');
    text = text.replace('|', '');
  } else {
    start = text.indexOf('[');
    text = text.replace('[', '');
    end = text.indexOf(']');
    text = text.replace(']', '');
  }
  const plan = planInsertion(text, options.snippets ?? [IMG], {
    start,
    end,
    replace: options.replace,
    style: options.style ?? 'paragraph',
  });
  const result = text.slice(0, plan.start) + plan.text + text.slice(plan.end);
  assert.equal(
    plan.text.slice(plan.bodyStart, plan.bodyEnd),
    (options.snippets ?? [IMG]).join(
      options.style === 'line' ? lineBreakOf(text) : lineBreakOf(text).repeat(2),
    ),
    'bodyStart/bodyEnd frame the snippets',
  );
  return result;
}

suite('core/placement', () => {
  test('styles by language', () => {
    for (const l of ['markdown', 'asciidoc', 'restructuredtext'] as const)
      assert.equal(placementStyle(l), 'paragraph');
    for (const l of ['html', 'latex'] as const) assert.equal(placementStyle(l), 'line');
  });

  test('cursor on the blank line between two paragraphs: between them, both blank lines kept', () => {
    assert.equal(place('First.\n|\nSecond.\n'), `First.\n\n${IMG}\n\nSecond.\n`);
  });

  test('cursor on one of several blank lines uses them instead of adding more', () => {
    assert.equal(place('Intro\n\n|\nOutro\n'), `Intro\n\n${IMG}\n\nOutro\n`);
    assert.equal(place('A\n\n|\n\nB'), `A\n\n${IMG}\n\nB`);
  });

  test('cursor inside a line: after the end of its paragraph, never glued into the sentence', () => {
    assert.equal(
      place('Books |beside the lamp\nand a cat.\n\nNext.\n'),
      `Books beside the lamp\nand a cat.\n\n${IMG}\n\nNext.\n`,
    );
  });

  test('end of file with and without a final line break', () => {
    assert.equal(place('Text.|'), `Text.\n\n${IMG}`);
    assert.equal(place('Text.\n|'), `Text.\n\n${IMG}\n`);
    assert.equal(place('|'), IMG);
    assert.equal(place('Te|xt.\n'), `Text.\n\n${IMG}\n`);
  });

  test('start of file before a paragraph', () => {
    assert.equal(place('|\nText.\n'), `${IMG}\n\nText.\n`);
  });

  test('Windows line breaks are kept', () => {
    assert.equal(place('First.\r\n|\r\nSecond.\r\n'), `First.\r\n\r\n${IMG}\r\n\r\nSecond.\r\n`);
    assert.equal(place('Fi|rst.\r\nmore\r\n\r\nSecond.'), `First.\r\nmore\r\n\r\n${IMG}\r\n\r\nSecond.`);
  });

  test('CJK text and emoji', () => {
    assert.equal(
      place('一只猫|在窗台上😺\n第二行\n\n下一段'),
      `一只猫在窗台上😺\n第二行\n\n${IMG}\n\n下一段`,
    );
  });

  test('list items: after the whole list', () => {
    assert.equal(place('- one\n- t|wo\n- three\n\nAfter.\n'), `- one\n- two\n- three\n\n${IMG}\n\nAfter.\n`);
  });

  test('a heading is a paragraph of its own line', () => {
    assert.equal(place('# Ti|tle\nText under it.\n'), `# Title\n\n${IMG}\n\nText under it.\n`);
    assert.equal(place('Some te|xt\n## Next\n'), `Some text\n\n${IMG}\n\n## Next\n`);
  });

  test('a fenced code block is never split', () => {
    assert.equal(
      place('```js\nconst |a = 1;\n\nconst b = 2;\n```\nAfter.\n'),
      `\`\`\`js\nconst a = 1;\n\nconst b = 2;\n\`\`\`\n\n${IMG}\n\nAfter.\n`,
    );
    assert.equal(place('Intro\n```\nco|de\n'), `Intro\n\`\`\`\ncode\n\n${IMG}\n`);
  });

  test("below a selection: after the selection's last line, as its own paragraph", () => {
    assert.equal(
      place('# Guide\n\n[a fox]\nNext paragraph.\n'),
      `# Guide\n\na fox\n\n${IMG}\n\nNext paragraph.\n`,
    );
    assert.equal(place('[a fox\n]\nNext.\n'), `a fox\n\n${IMG}\n\nNext.\n`);
    assert.equal(place('Say [a fox] here.'), `Say a fox here.\n\n${IMG}`);
  });

  test("replace: the image takes the selection's place, still its own paragraph", () => {
    assert.equal(place('Intro\n\n[a fox]\n\nOutro\n', { replace: true }), `Intro\n\n${IMG}\n\nOutro\n`);
    assert.equal(place('Say [a fox] here.\n', { replace: true }), `Say  here.\n\n${IMG}\n`);
  });

  test('several images are several paragraphs', () => {
    assert.equal(
      place('A\n|\nB', { snippets: ['![1](1.png)', '![2](2.png)'] }),
      'A\n\n![1](1.png)\n\n![2](2.png)\n\nB',
    );
  });

  test('line style (HTML, LaTeX): a line of its own', () => {
    const img = '<img src="a.png" alt="">';
    assert.equal(
      place('<p>a|b</p>\n<p>c</p>', { style: 'line', snippets: [img] }),
      `<p>ab</p>\n${img}\n<p>c</p>`,
    );
    assert.equal(
      place('<p>a</p>\n|\n<p>c</p>', { style: 'line', snippets: [img] }),
      `<p>a</p>\n${img}\n<p>c</p>`,
    );
    assert.equal(place('x|', { style: 'line', snippets: [img] }), `x\n${img}`);
  });

  test('offsets through the edit: a cursor at the insertion point stays, later text moves', () => {
    const edit = { start: 5, end: 5, text: 'XYZ' };
    assert.equal(mapOffsetThroughEdit(2, edit), 2);
    assert.equal(mapOffsetThroughEdit(5, edit), 5);
    assert.equal(mapOffsetThroughEdit(6, edit), 9);
    const replace = { start: 5, end: 8, text: 'X' };
    assert.equal(mapOffsetThroughEdit(6, replace), 5);
    assert.equal(mapOffsetThroughEdit(8, replace), 6);
  });

  test('a selection through the edit is never grown over the inserted image', () => {
    // "A fox.\n\nNext.\n" with the whole first line selected (triple-click: 0..7, the line break
    // included); the image goes after "A fox." at offset 6.
    const text = 'A fox.\n\nNext.\n';
    const planned = planAtTarget(text, ['![](a.png)'], {
      anchor: { start: 0, end: 7 },
      selectedText: 'A fox.\n',
      behavior: 'insertAfter',
      style: 'paragraph',
    });
    assert.equal(planned.start, 6);
    assert.deepEqual(mapSelectionThroughEdit(0, 7, planned), [0, 6]);
    assert.deepEqual(mapSelectionThroughEdit(7, 0, planned), [6, 0], 'its direction is kept');
    // Offset by offset, the selection would have swallowed the image.
    assert.equal(mapOffsetThroughEdit(7, planned), 7 + planned.text.length);
    // Before or after the edit: unchanged, or moved with its text; a cursor stays.
    const edit = { start: 5, end: 5, text: 'XYZ' };
    assert.deepEqual(mapSelectionThroughEdit(1, 3, edit), [1, 3]);
    assert.deepEqual(mapSelectionThroughEdit(6, 8, edit), [9, 11]);
    assert.deepEqual(mapSelectionThroughEdit(5, 8, edit), [8, 11], 'starting at the insertion point');
    assert.deepEqual(mapSelectionThroughEdit(5, 5, edit), [5, 5]);
    // A replaced selection (selectionBehavior: replace) leaves the cursor before the image.
    assert.deepEqual(mapSelectionThroughEdit(5, 8, { start: 5, end: 8, text: 'IMG' }), [5, 5]);
  });

  /** The landing line for a cursor (`|`) or selection (`[…]`) marked in `marked`. */
  function landing(
    marked: string,
    options: { style?: PlacementStyle; behavior?: 'replace' | 'insertAfter'; selectedText?: string } = {},
  ): number {
    const cursor = marked.includes('|');
    const start = cursor ? marked.indexOf('|') : marked.indexOf('[');
    const text = cursor ? marked.replace('|', '') : marked.replace('[', '').replace(']', '');
    const end = cursor ? start : marked.indexOf(']') - 1;
    return landingLine(text, {
      anchor: { start, end },
      selectedText: options.selectedText ?? text.slice(start, end),
      behavior: options.behavior ?? 'insertAfter',
      style: options.style ?? 'paragraph',
    });
  }

  test('the placeholder marks the line where the image will land', () => {
    // A blank line between paragraphs becomes the image's own.
    assert.equal(landing('First.\n|\nSecond.\n'), 1);
    assert.equal(landing('First.\r\n|\r\nSecond.\r\n'), 1);
    // Inside a paragraph: the blank line after it, where the image will sit.
    assert.equal(landing('Shelves of books |beside\nthe window.\n\nNext.\n'), 2);
    assert.equal(landing('Only |line\n'), 1);
    // No line below: the line the image follows.
    assert.equal(landing('Only |line'), 0);
    // A heading is a paragraph of one line.
    assert.equal(landing('# Ti|tle\nText\n'), 0);
    // Below a selection; where it is replaced, on its own line.
    assert.equal(landing('# T\n\n[A fox]\n\nmore\n'), 3);
    assert.equal(landing('# T\n\n[A fox]\n\nmore\n', { behavior: 'replace' }), 2);
    // Replace only while the selection still holds the prompt it was made from.
    assert.equal(landing('# T\n\n[A cat]\n\nmore\n', { behavior: 'replace', selectedText: 'A fox' }), 3);
    // HTML and LaTeX: after the line, which has text below it.
    assert.equal(landing('<p>a|</p>\n<p>b</p>\n', { style: 'line' }), 0);
    assert.equal(landing('', {}), 0);
  });

  test('planAtTarget replaces the selection only when asked and still unchanged', () => {
    const text = 'Intro\n\nA fox\n\nOutro\n';
    const start = text.indexOf('A fox');
    const target = { anchor: { start, end: start + 5 }, selectedText: 'A fox', style: 'paragraph' as const };
    const apply = (p: { start: number; end: number; text: string }) =>
      text.slice(0, p.start) + p.text + text.slice(p.end);
    assert.equal(
      apply(planAtTarget(text, [IMG], { ...target, behavior: 'replace' })),
      `Intro\n\n${IMG}\n\nOutro\n`,
    );
    assert.equal(
      apply(planAtTarget(text, [IMG], { ...target, behavior: 'insertAfter' })),
      `Intro\n\nA fox\n\n${IMG}\n\nOutro\n`,
    );
    assert.equal(
      apply(planAtTarget(text, [IMG], { ...target, selectedText: 'A cat', behavior: 'replace' })),
      `Intro\n\nA fox\n\n${IMG}\n\nOutro\n`,
    );
  });
});

suite('core/aspectRatio', () => {
  test('exact, reduced and named ratios', () => {
    assert.equal(aspectRatioLabel('1024x1024'), '1:1');
    assert.equal(aspectRatioLabel('1280x720'), '16:9');
    assert.equal(aspectRatioLabel('720x1280'), '9:16');
    assert.equal(aspectRatioLabel('1024x768'), '4:3');
    assert.equal(aspectRatioLabel('1536x1024'), '3:2');
    assert.equal(aspectRatioLabel('1792x1024'), '7:4');
    assert.equal(aspectRatioLabel('1366x768'), '≈16:9');
    assert.equal(aspectRatioLabel('2560 × 1080'), '2.37:1');
    assert.equal(aspectRatioLabel('1001x997'), '≈1:1');
    assert.equal(aspectRatioLabel('1000x331'), '3.02:1');
  });
  test('not a size', () => {
    assert.equal(aspectRatioLabel('auto'), undefined);
    assert.equal(aspectRatioLabel('0x100'), undefined);
  });
});
