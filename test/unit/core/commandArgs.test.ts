import * as assert from 'node:assert/strict';
import { argReader, withoutUndefined } from '../../../src/core/commandArgs';

suite('core/commandArgs', () => {
  test('well-typed fields are read and normalized; absent ones stay undefined', () => {
    const r = argReader({
      prompt: '  a fox ',
      size: '1024×768',
      n: 3,
      insertAs: 'url',
      cover: false,
      references: [' a.png ', 'b.png'],
      extra: { quality: 'high' },
    });
    assert.equal(r.text('prompt'), 'a fox');
    assert.equal(r.size('size'), '1024x768');
    assert.equal(r.integer('n', 1, 10), 3);
    assert.equal(r.choice('insertAs', ['file', 'url'] as const), 'url');
    assert.equal(r.flag('cover'), false);
    assert.deepEqual(r.texts('references', 15), ['a.png', 'b.png']);
    assert.deepEqual(r.record('extra'), { quality: 'high' });
    assert.equal(r.text('model'), undefined);
    assert.equal(r.problem, undefined);
  });

  test('the first wrong field is the problem, in reading order', () => {
    const r = argReader({ model: ' ', size: 'big', n: 0 });
    r.integer('n', 1, 10);
    r.text('model');
    r.size('size');
    assert.equal(r.problem, 'n');
  });

  test('each kind refuses what is not its type', () => {
    const cases: [Record<string, unknown>, (r: ReturnType<typeof argReader>) => unknown][] = [
      [{ x: 5 }, (r) => r.text('x')],
      [{ x: '' }, (r) => r.text('x')],
      [{ x: 1024 }, (r) => r.size('x')],
      [{ x: 2.5 }, (r) => r.integer('x', 1, 10)],
      [{ x: 11 }, (r) => r.integer('x', 1, 10)],
      [{ x: 'ask' }, (r) => r.choice('x', ['file', 'url'])],
      [{ x: 'true' }, (r) => r.flag('x')],
      [{ x: ['a', ' '] }, (r) => r.texts('x', 5)],
      [{ x: ['a', 'b'] }, (r) => r.texts('x', 1)],
      [{ x: [1] }, (r) => r.record('x')],
      [{ x: null }, (r) => r.record('x')],
    ];
    for (const [o, read] of cases) {
      const r = argReader(o);
      assert.equal(read(r), undefined, JSON.stringify(o));
      assert.equal(r.problem, 'x', JSON.stringify(o));
    }
  });

  test('a blank string may be allowed and is then kept as given', () => {
    const r = argReader({ prompt: '' });
    assert.equal(r.text('prompt', { blank: true }), '');
    assert.equal(r.problem, undefined);
  });

  test('withoutUndefined drops only undefined', () => {
    assert.deepEqual(withoutUndefined({ a: undefined, b: 0, c: '', d: false }), { b: 0, c: '', d: false });
  });
});
