import * as assert from 'node:assert/strict';
import type { ItemWindow } from '../../../src/webviews/gallery/protocol';
import { ItemPages, PAGE_ITEMS } from '../../../src/webviews/shared/itemPages';
import type { ItemView } from '../../../src/webviews/shared/itemView';

const item = (i: number): ItemView => ({
  id: `item-${i}`,
  prompt: `Item ${i}`,
  model: 'm',
  size: '1024x1024',
  createdAt: 0,
  cached: false,
  hasUrl: true,
  saved: false,
});

function window(query: string, start: number, end: number, total: number, version = 1): ItemWindow {
  const items = Array.from({ length: Math.max(0, Math.min(end, total) - start) }, (_, i) => item(start + i));
  return { query, total, all: 10_000, start, items, version };
}

suite('gallery item pages (the page holds windows, never the whole history)', () => {
  function pages() {
    const asked: [string, number, number][] = [];
    return { asked, pages: new ItemPages((q, s, e) => asked.push([q, s, e])) };
  }

  test('the first window is held; rows beyond it are asked for a page at a time, once', () => {
    const { asked, pages: p } = pages();
    assert.equal(p.accept(window('', 0, 40, 10_000), ''), 'replaced');
    assert.equal(p.total, 10_000);
    assert.equal(p.at(39)?.id, 'item-39');
    assert.equal(p.at(40), undefined);
    p.want('', 9_000, 9_030);
    p.want('', 9_000, 9_030);
    assert.deepEqual(asked, [['', 9_000, 9_000 + PAGE_ITEMS]]);
    assert.equal(p.accept(window('', 9_000, 9_100, 10_000), ''), 'added');
    assert.equal(p.indexOf('item-9050'), 9_050);
    assert.equal(p.find('item-9050')?.prompt, 'Item 9050');
    p.want('', 9_000, 9_030);
    assert.equal(asked.length, 1, 'held rows are not asked for again');
    p.want('', 9_990, 10_050);
    assert.deepEqual(asked[1], ['', 9_900, 10_000], 'nothing past the end');
  });

  test('a new search replaces what is held; answers for a search no longer typed are dropped', () => {
    const { asked, pages: p } = pages();
    p.accept(window('', 0, 40, 10_000), '');
    p.want('owl', 0, 40);
    assert.deepEqual(asked, [['owl', 0, PAGE_ITEMS]]);
    assert.equal(p.accept(window('ow', 0, 3, 3), 'owl'), 'stale');
    assert.equal(p.accept(window('owl', 0, 1, 1), 'owl'), 'replaced');
    assert.equal(p.total, 1);
    assert.equal(p.at(1), undefined);
    assert.equal(p.indexOf('item-5'), -1, 'the previous search is gone');
  });

  test('a history change (newer version) replaces everything; older answers are dropped', () => {
    const { pages: p } = pages();
    p.accept(window('', 0, 100, 10_000, 1), '');
    assert.equal(p.accept(window('', 0, 40, 9_999, 2), ''), 'replaced');
    assert.equal(p.total, 9_999);
    assert.equal(p.at(50), undefined);
    assert.equal(p.accept(window('', 100, 200, 10_000, 1), ''), 'stale');
    assert.equal(p.at(150), undefined);
  });

  test('a search typed again after its answers were dropped is asked for again', () => {
    const { asked, pages: p } = pages();
    p.accept(window('', 0, 40, 10_000), '');
    p.want('a', 0, 40);
    p.forgetPending();
    p.want('ab', 0, 40);
    p.forgetPending();
    p.want('a', 0, 40);
    assert.deepEqual(
      asked.map(([q]) => q),
      ['a', 'ab', 'a'],
    );
  });
});
