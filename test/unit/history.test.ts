import * as assert from 'node:assert/strict';
import { boundHistory, matchesQuery, parseHistory, type HistoryItem } from '../../src/core/history';

const item = (id: string, createdAt: number, prompt = `prompt ${id}`): HistoryItem => ({
  id,
  prompt,
  model: 'qh-draw-x2-preview',
  size: '1024x1024',
  createdAt,
  savedUris: [],
});

suite('history', () => {
  test('bounding keeps the newest and evicts the oldest', () => {
    const { kept, evicted } = boundHistory([item('a', 1), item('c', 3), item('b', 2)], 2);
    assert.deepEqual(
      kept.map((i) => i.id),
      ['c', 'b'],
    );
    assert.deepEqual(
      evicted.map((i) => i.id),
      ['a'],
    );
  });

  test('search matches prompt, model and size, ignoring case, CJK included', () => {
    const cat = item('x', 1, '一只可爱的小猫在花园里玩耍, Oil Painting');
    assert.ok(matchesQuery(cat, '小猫'));
    assert.ok(matchesQuery(cat, 'oil painting'));
    assert.ok(matchesQuery(cat, 'QH-DRAW'));
    assert.ok(matchesQuery(cat, '  '));
    assert.ok(!matchesQuery(cat, 'dog'));
  });

  test('persisted data of the wrong shape is dropped, not trusted', () => {
    const parsed = parseHistory([
      item('ok', 5),
      { id: 7, prompt: 'x' },
      null,
      'junk',
      { ...item('bad-uris', 6), savedUris: ['file:///a.png', 42] },
    ]);
    assert.deepEqual(
      parsed.map((i) => i.id),
      ['ok', 'bad-uris'],
    );
    assert.deepEqual(parsed[1].savedUris, ['file:///a.png']);
    assert.deepEqual(parseHistory({ not: 'an array' }), []);
  });
});
