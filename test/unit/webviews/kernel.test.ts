import * as assert from 'node:assert/strict';
import { galleryInbound, galleryRequest } from '../../../src/webviews/gallery/protocol';
import { generatorInbound } from '../../../src/webviews/generator/protocol';
import {
  notice,
  refusedRequestId,
  replyOf,
  request,
  validatorOf,
} from '../../../src/webviews/kernel/messages';
import type { EventHandlers, MessagesOf } from '../../../src/webviews/kernel/messages';
import { HostError, PageChannel } from '../../../src/webviews/kernel/pageChannel';
import { itemId, optional, parse, str } from '../../../src/webviews/validate';

const table = {
  ready: notice({ query: optional(str({ max: 10 })) }),
  insert: request({ id: itemId }),
  pick: request({}, replyOf<string[]>()),
};
type Events = { init: { n: number }; note: { text: string } };

suite('webview kernel', () => {
  suite('a message table yields the validator', () => {
    const validate = validatorOf(table);

    test('requests get a requestId, notices do not; fields are exact', () => {
      assert.deepEqual(parse(validate, { type: 'insert', requestId: 3, id: 'a1' }), {
        ok: true,
        value: { type: 'insert', requestId: 3, id: 'a1' },
      });
      assert.deepEqual(parse(validate, { type: 'ready' }), { ok: true, value: { type: 'ready' } });
      for (const bad of [
        { type: 'insert', id: 'a1' },
        { type: 'insert', requestId: -1, id: 'a1' },
        { type: 'insert', requestId: 1, id: '../a' },
        { type: 'ready', requestId: 1 },
        { type: 'pick', requestId: 1, extra: true },
        { type: 'toString', requestId: 1 },
        { type: '__proto__', requestId: 1 },
      ])
        assert.equal(parse(validate, bad).ok, false, JSON.stringify(bad));
    });

    test('every entry of both views is checked, and only those', () => {
      for (const type of Object.keys(galleryInbound)) {
        const r = parse(galleryRequest, { type, requestId: 1, id: 'x', bogus: 1 });
        assert.equal(r.ok, false);
        assert.doesNotMatch(r.ok ? '' : r.error, /unknown message type/, type);
      }
      assert.match(
        String((parse(galleryRequest, { type: 'generate' }) as { error: string }).error),
        /unknown message type/,
      );
      assert.deepEqual(Object.keys(generatorInbound).sort(), [
        'cancel',
        'clearResults',
        'copyMarkdown',
        'edit',
        'generate',
        'insertFile',
        'insertUrl',
        'open',
        'pickImages',
        'ready',
      ]);
    });

    test('a refused request still names the id to answer; a notice or a bad id does not', () => {
      assert.equal(refusedRequestId(table, { type: 'insert', requestId: 4, id: '../x' }), 4);
      assert.equal(refusedRequestId(table, { type: 'ready', requestId: 4 }), undefined);
      assert.equal(refusedRequestId(table, { type: 'insert', requestId: 1.5 }), undefined);
      assert.equal(refusedRequestId(table, { type: 'insert', requestId: '4' }), undefined);
      assert.equal(refusedRequestId(table, { type: 'constructor', requestId: 4 }), undefined);
      assert.equal(refusedRequestId(table, null), undefined);
    });

    test('the types follow the table', () => {
      // Compile-time: a message of the union, narrowed by its type.
      const m: MessagesOf<typeof table> = { type: 'insert', requestId: 1, id: 'x' };
      if (m.type === 'insert') assert.equal(m.id, 'x');
    });
  });

  suite('the page channel', () => {
    const setup = () => {
      const sent: Array<Record<string, unknown>> = [];
      const channel = new PageChannel<typeof table, Events>(
        (m) => sent.push(m as Record<string, unknown>),
        100,
      );
      const seen: string[] = [];
      const handlers: EventHandlers<Events> = {
        init: (m) => seen.push(`init ${m.n}`),
        note: (m) => seen.push(`note ${m.text}`),
      };
      return { sent, channel, seen, handlers };
    };

    test('every request id gets exactly one settlement, matched by id', async () => {
      const { sent, channel, handlers } = setup();
      const first = channel.request('insert', { id: 'a' });
      const second = channel.request('pick', {});
      assert.deepEqual(
        sent.map((m) => [m.type, m.requestId]),
        [
          ['insert', 101],
          ['pick', 102],
        ],
      );
      assert.equal(channel.waiting, 2);
      channel.receive({ type: 'reply', requestId: 102, ok: true, value: ['x.png'] }, handlers);
      channel.receive({ type: 'reply', requestId: 101, ok: false, message: 'gone' }, handlers);
      // A second reply to the same id, or one to an id never announced, changes nothing.
      channel.receive({ type: 'reply', requestId: 101, ok: true }, handlers);
      channel.receive({ type: 'reply', requestId: 7, ok: true }, handlers);
      assert.deepEqual(await second, { ok: true, message: undefined, value: ['x.png'] });
      assert.deepEqual(await first, { ok: false, message: 'gone', value: undefined });
      assert.equal(channel.waiting, 0);
    });

    test('a reply with an error rejects at once (no timeout)', async () => {
      const { channel, handlers } = setup();
      const pending = channel.request('insert', { id: 'a' });
      channel.receive({ type: 'reply', requestId: 101, ok: false, error: 'failed' }, handlers);
      await assert.rejects(pending, (e) => e instanceof HostError && e.message === 'failed');
      assert.equal(channel.waiting, 0);
    });

    test('other messages go to the handler of their type; junk and unknown types are dropped', () => {
      const { channel, seen, handlers, sent } = setup();
      channel.post('ready', { query: 'fox' });
      assert.deepEqual(sent, [{ type: 'ready', query: 'fox' }]);
      for (const junk of [
        null,
        'init',
        { type: 3 },
        { type: 'nope' },
        { type: 'toString' },
        { type: '__proto__' },
      ])
        channel.receive(junk, handlers);
      channel.receive({ type: 'note', text: 'hi' }, handlers);
      channel.receive({ type: 'init', n: 2 }, { init: handlers.init });
      channel.receive({ type: 'note', text: 'before init' }, { init: handlers.init });
      assert.deepEqual(seen, ['note hi', 'init 2']);
    });
  });
});
