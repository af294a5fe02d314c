import * as assert from 'node:assert/strict';
import { adjustAnchor, adjustAnchorForChanges, type Anchor } from '../../src/core/anchor';

/** Applies the same changes to a string, to check the anchor still covers the same text. */
function apply(text: string, changes: { rangeOffset: number; rangeLength: number; text: string }[]): string {
  return changes.reduce(
    (t, c) => t.slice(0, c.rangeOffset) + c.text + t.slice(c.rangeOffset + c.rangeLength),
    text,
  );
}

suite('anchor tracking', () => {
  const doc = 'Title\n\nA red fox\n\nTail\n';
  const fox: Anchor = { start: 7, end: 16 };

  test('the fixture anchor covers the prompt', () => {
    assert.equal(doc.slice(fox.start, fox.end), 'A red fox');
  });

  test('typing above the prompt moves it down', () => {
    const change = { rangeOffset: 0, rangeLength: 0, text: 'New line\n' };
    const a = adjustAnchor(fox, change);
    assert.equal(apply(doc, [change]).slice(a.start, a.end), 'A red fox');
  });

  test('typing right before the prompt pushes it, right after does not grow it', () => {
    const before = { rangeOffset: 7, rangeLength: 0, text: '>> ' };
    const a = adjustAnchor(fox, before);
    assert.deepEqual(a, { start: 10, end: 19 });
    const after = { rangeOffset: 16, rangeLength: 0, text: ' <<' };
    assert.deepEqual(adjustAnchor(fox, after), fox);
  });

  test('edits below the prompt change nothing', () => {
    assert.deepEqual(adjustAnchor(fox, { rangeOffset: 20, rangeLength: 4, text: 'End of story' }), fox);
  });

  test('deleting text above moves it up', () => {
    const change = { rangeOffset: 0, rangeLength: 7, text: '' };
    const a = adjustAnchor(fox, change);
    assert.equal(apply(doc, [change]).slice(a.start, a.end), 'A red fox');
  });

  test('an edit inside the prompt resizes it', () => {
    const change = { rangeOffset: 9, rangeLength: 3, text: 'grey' };
    const a = adjustAnchor(fox, change);
    assert.equal(apply(doc, [change]).slice(a.start, a.end), 'A grey fox');
  });

  test('an edit swallowing the whole prompt collapses the anchor to the edit', () => {
    const change = { rangeOffset: 5, rangeLength: 15, text: 'X' };
    const a = adjustAnchor(fox, change);
    assert.deepEqual(a, { start: 5, end: 6 });
  });

  test('an edit overlapping the start clamps the start to the edit', () => {
    const change = { rangeOffset: 4, rangeLength: 5, text: '' };
    const a = adjustAnchor(fox, change);
    assert.equal(apply(doc, [change]).slice(a.start, a.end), 'red fox');
  });

  test('several changes of one event (multi-cursor, listed last to first) apply in order', () => {
    const changes = [
      { rangeOffset: 18, rangeLength: 0, text: '- ' },
      { rangeOffset: 0, rangeLength: 0, text: '- ' },
    ];
    const a = adjustAnchorForChanges(fox, changes);
    assert.equal(apply(doc, changes).slice(a.start, a.end), 'A red fox');
  });

  test('a cursor anchor follows text typed at it', () => {
    const cursor = { start: 7, end: 7 };
    assert.deepEqual(adjustAnchor(cursor, { rangeOffset: 7, rangeLength: 0, text: 'abc' }), {
      start: 10,
      end: 10,
    });
  });
});
