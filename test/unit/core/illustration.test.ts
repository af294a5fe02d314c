import * as assert from 'node:assert/strict';
import { chatDraftMessage, parseChatDraft } from '../../../src/core/chatDraft';
import {
  allHeadings,
  draftPrompt,
  effectiveLevel,
  isCjk,
  leadingSentences,
  MAX_DRAFT_CHARS,
  proposeIllustrations,
  stripNumbering,
  withStyle,
} from '../../../src/core/illustration';
import { outline, parseHeadings, plainText, splitLines } from '../../../src/core/outline';

const ARTICLE = [
  '---',
  'title: Trip notes',
  '# not a heading: front matter',
  '---',
  '# A week in Lisbon',
  '',
  'Seven days of trams, tiles and custard tarts.',
  '',
  '## Day 1: Alfama',
  '',
  'We walked the **narrow** streets of [Alfama](https://example.com) at sunrise. The city was still asleep.',
  'Laundry hung between the windows.',
  '',
  '```bash',
  '## not a heading: code',
  'echo "# nor this"',
  '```',
  '',
  '## Day 2: Belém ##',
  '![existing](images/tower.png)',
  '',
  '> The tower stands in the river.',
  '',
  '### Lunch',
  '',
  'Pastéis de nata, still warm.',
  '',
  '<!--',
  '## commented out',
  '-->',
  '',
  'Sintra',
  '------',
  '',
  'A palace in the clouds.',
  '',
].join('\n');

suite('outline: headings and first paragraphs', () => {
  test('ATX and setext headings; front matter, code fences and comments hold none', () => {
    const headings = parseHeadings(splitLines(ARTICLE));
    assert.deepEqual(
      headings.map((h) => [h.line, h.endLine, h.level, h.text]),
      [
        [4, 4, 1, 'A week in Lisbon'],
        [8, 8, 2, 'Day 1: Alfama'],
        [18, 18, 2, 'Day 2: Belém'],
        [23, 23, 3, 'Lunch'],
        [31, 32, 2, 'Sintra'],
      ],
    );
  });

  test('the first paragraph is plain text, joined across lines, skipping images and quotes markers', () => {
    const sections = outline(ARTICLE);
    assert.equal(
      sections[1].paragraph,
      'We walked the narrow streets of Alfama at sunrise. The city was still asleep. Laundry hung between the windows.',
    );
    assert.equal(sections[2].paragraph, 'The tower stands in the river.');
    assert.equal(sections[4].paragraph, 'A palace in the clouds.');
    assert.equal(sections[0].paragraph, 'Seven days of trams, tiles and custard tarts.');
  });

  test('a paragraph stops at the next heading: a heading without text has none', () => {
    const sections = outline('## Empty\n## Next\n\nText.\n');
    assert.equal(sections[0].paragraph, '');
    assert.equal(sections[1].paragraph, 'Text.');
  });

  test('CRLF line breaks, tildes fences, hashtags and a thematic break are not headings', () => {
    const text = 'Intro\r\n\r\n~~~\r\n# code\r\n~~~\r\n#hashtag\r\n\r\n---\r\n\r\n## Real\r\n';
    assert.deepEqual(
      parseHeadings(splitLines(text)).map((h) => h.text),
      ['Real'],
    );
  });

  test('a dash line under a paragraph of several lines is not read as a heading of its last line', () => {
    const text = 'Line one\nline two\n---\n';
    assert.deepEqual(parseHeadings(splitLines(text)), []);
  });

  test('plainText keeps link text and drops inline marks', () => {
    assert.equal(
      plainText('Use `npm start` and *see* [docs](x.md) ~~now~~ \\#1'),
      'Use npm start and see docs now #1',
    );
  });

  test('Chinese headings and paragraphs', () => {
    const text =
      '# 春日游记\n\n三月的杭州。\n\n## 第一章：西湖晨光\n\n清晨的西湖笼罩在薄雾中，柳树倒映在水面上。游人还很少。\n';
    const sections = outline(text);
    assert.deepEqual(
      sections.map((s) => [s.level, s.text]),
      [
        [1, '春日游记'],
        [2, '第一章：西湖晨光'],
      ],
    );
    assert.equal(sections[1].paragraph, '清晨的西湖笼罩在薄雾中，柳树倒映在水面上。游人还很少。');
  });
});

suite('illustration proposals and prompts', () => {
  test('one proposal per level-2 heading, in order, with drafted prompts', () => {
    const proposals = proposeIllustrations(ARTICLE, { level: 2, cover: false });
    assert.deepEqual(
      proposals.map((p) => [p.kind, p.line, p.endLine, p.heading]),
      [
        ['section', 8, 8, 'Day 1: Alfama'],
        ['section', 18, 18, 'Day 2: Belém'],
        ['section', 31, 32, 'Sintra'],
      ],
    );
    assert.equal(
      proposals[0].prompt,
      'Day 1: Alfama: We walked the narrow streets of Alfama at sunrise. The city was still asleep. Laundry hung between the windows.',
    );
    assert.equal(proposals[2].prompt, 'Sintra: A palace in the clouds.');
  });

  test('a cover goes first, drafted from the title and the introduction', () => {
    const proposals = proposeIllustrations(ARTICLE, { level: 2, cover: true });
    assert.equal(proposals[0].kind, 'cover');
    assert.equal(proposals[0].line, 4);
    assert.equal(proposals[0].prompt, 'A week in Lisbon: Seven days of trams, tiles and custard tarts.');
    assert.equal(proposals.length, 4);
  });

  test('no cover without a title; level 3 picks the level-3 headings', () => {
    assert.deepEqual(
      proposeIllustrations('## A\n\nx\n', { level: 2, cover: true }).map((p) => p.kind),
      ['section'],
    );
    assert.deepEqual(
      proposeIllustrations(ARTICLE, { level: 3, cover: false }).map((p) => p.heading),
      ['Lunch'],
    );
  });

  test('the level falls back to the shallowest one below the title that has headings', () => {
    const sections = outline('# T\n\n### a\n\n#### b\n\n### c\n');
    assert.equal(effectiveLevel(sections, 2), 3);
    assert.equal(effectiveLevel(outline(ARTICLE), 2), 2);
    assert.equal(effectiveLevel(outline('plain text'), 2), 2);
  });

  test('Chinese: full-width punctuation, numbering removed', () => {
    const text =
      '# 春日游记\n\n## 第一章：西湖晨光\n\n清晨的西湖笼罩在薄雾中。\n\n## 二、灵隐寺\n\n古寺钟声。\n';
    const proposals = proposeIllustrations(text, { level: 2, cover: false });
    assert.deepEqual(
      proposals.map((p) => p.prompt),
      ['西湖晨光：清晨的西湖笼罩在薄雾中。', '灵隐寺：古寺钟声。'],
    );
  });

  test('numbering is stripped in both languages, and a heading of only a number stays', () => {
    assert.equal(stripNumbering('1. Getting started'), 'Getting started');
    assert.equal(stripNumbering('2.3 Details'), 'Details');
    assert.equal(stripNumbering('Chapter 3: The storm'), 'The storm');
    assert.equal(stripNumbering('第三章 暴风雨'), '暴风雨');
    assert.equal(draftPrompt('2024', ''), '2024');
  });

  test('long paragraphs are cut at a sentence end within the limit', () => {
    const long = `${'The fox runs through the snowy forest. '.repeat(20)}`;
    const prompt = draftPrompt('Winter', long);
    assert.ok(prompt.length <= MAX_DRAFT_CHARS, `${prompt.length}`);
    assert.ok(prompt.endsWith('forest.'), prompt);
    const zh = draftPrompt('冬天', '狐狸在雪林中奔跑。'.repeat(60));
    assert.ok(zh.length <= MAX_DRAFT_CHARS && zh.endsWith('。'), zh);
    assert.equal(leadingSentences('word '.repeat(100), 50).endsWith('…'), true);
  });

  test('the style suffix is appended once, with the punctuation of the language', () => {
    assert.equal(withStyle('A fox.', 'watercolor, soft light'), 'A fox, watercolor, soft light');
    assert.equal(withStyle('狐狸在雪中。', '水彩画风格'), '狐狸在雪中，水彩画风格');
    assert.equal(withStyle('A fox, watercolor', 'watercolor'), 'A fox, watercolor');
    assert.equal(withStyle('A fox', '  '), 'A fox');
    assert.equal(withStyle('A fox', ', flat vector'), 'A fox, flat vector');
  });

  test('isCjk decides by the letters, not the punctuation', () => {
    assert.equal(isCjk('西湖 2024!'), true);
    assert.equal(isCjk('Lisbon 里斯本 trip notes'), false);
    assert.equal(isCjk('🎉 ✨'), false);
  });

  test('allHeadings lists every heading, the title as the cover', () => {
    const all = allHeadings(ARTICLE);
    assert.deepEqual(
      all.map((p) => [p.kind, p.level, p.heading]),
      [
        ['cover', 1, 'A week in Lisbon'],
        ['section', 2, 'Day 1: Alfama'],
        ['section', 2, 'Day 2: Belém'],
        ['section', 3, 'Lunch'],
        ['section', 2, 'Sintra'],
      ],
    );
  });
});

suite('chat model drafting: the request and reading its answer', () => {
  const sections = [
    { heading: 'Alfama', paragraph: 'Narrow streets.' },
    { heading: 'Belém', paragraph: 'A tower in the river.' },
  ];

  test('the message names the article, every section and the answer format', () => {
    const message = chatDraftMessage('A week in Lisbon', sections);
    assert.match(message, /"A week in Lisbon"/);
    assert.match(message, /exactly 2 strings/);
    assert.match(message, /"heading": "Belém"/);
    assert.match(message, /in English/);
    assert.match(chatDraftMessage('游记', [{ heading: '西湖', paragraph: '薄雾。' }]), /Simplified Chinese/);
  });

  test('a JSON array inside prose or a code block is read; a wrong count is refused', () => {
    assert.deepEqual(parseChatDraft('Sure!\n```json\n["a  tram", "a tower"]\n```', 2), ['a tram', 'a tower']);
    assert.equal(parseChatDraft('["only one"]', 2), undefined);
    assert.equal(parseChatDraft('no json here', 2), undefined);
    assert.equal(parseChatDraft('["a", 3]', 2), undefined);
    assert.equal(parseChatDraft('["a", ""]', 2), undefined);
    assert.equal(parseChatDraft('[broken', 1), undefined);
  });
});
