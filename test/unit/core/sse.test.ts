import * as assert from 'node:assert/strict';
import { SseParser, type ServerSentEvent } from '../../../src/core/sse';
import { interpretEvent, isEventStream, readUsage } from '../../../src/core/imageStream';

const STREAM = [
  ': keep-alive comment',
  'event: image_generation.partial_image',
  'data: {"type":"image_generation.partial_image","b64_json":"AAA","partial_image_index":0}',
  '',
  'retry: 100',
  'unknown-field: x',
  'event: something.new',
  'data: {"type":"something.new"}',
  '',
  'id: 7',
  'data: {"type":"image_generation.completed",',
  'data: "b64_json":"QkJC","usage":{"input_tokens":5,"output_tokens":10,"total_tokens":15}}',
  '',
  '',
].join('\r\n');

const feed = (chunks: (string | Uint8Array)[]): ServerSentEvent[] => {
  const parser = new SseParser();
  const out: ServerSentEvent[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
};

suite('core/sse', () => {
  const whole = feed([STREAM]);
  test('events, comments, unknown fields, multi-line data, ids', () => {
    assert.deepEqual(
      whole.map((e) => e.event),
      ['image_generation.partial_image', 'something.new', 'message'],
    );
    assert.equal(whole[2].id, '7');
    assert.equal(JSON.parse(whole[2].data).usage.total_tokens, 15);
  });
  test('the same events whatever the chunk boundaries (every split of the bytes, CRLF split included)', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(feed([bytes.slice(0, cut), bytes.slice(cut)]), whole, `cut at ${cut}`);
    }
    assert.deepEqual(feed([...bytes].map((b) => new Uint8Array([b]))), whole);
  });
  test('a UTF-8 character split across chunks', () => {
    const bytes = new TextEncoder().encode('data: 一只猫 🐱\n\n');
    assert.deepEqual(feed([bytes.slice(0, 8), bytes.slice(8, 14), bytes.slice(14)]), [
      { event: 'message', data: '一只猫 🐱' },
    ]);
  });
  test('LF, CR and CRLF line ends; a BOM; an unfinished event at the end is dropped', () => {
    assert.deepEqual(
      feed(['\uFEFFdata: a\r\rdata: b\n\ndata: c\r\n\r\ndata: lost']).map((e) => e.data),
      ['a', 'b', 'c'],
    );
  });
  test('a CR at the end of one chunk and LF at the start of the next is one line end', () => {
    assert.deepEqual(feed(['data: a\r', '\ndata: b\r', '\n\r', '\n']), [{ event: 'message', data: 'a\nb' }]);
  });
  test('field without colon, value without leading space, an event with no data is not dispatched', () => {
    assert.deepEqual(feed(['event: x\n\ndata\n\ndata:no-space\n\n']), [
      { event: 'message', data: '' },
      { event: 'message', data: 'no-space' },
    ]);
  });
  test('pending reports what an unfinished line holds', () => {
    const parser = new SseParser();
    parser.push('data: ' + 'x'.repeat(1000));
    assert.ok(parser.pending >= 1000);
    parser.push('\n\n');
    assert.equal(parser.pending, 0);
  });

  suite('image stream events', () => {
    test('partial, completed with usage, unknown, [DONE]', () => {
      assert.deepEqual(interpretEvent(whole[0]), { type: 'partial', partial: { b64Json: 'AAA', index: 0 } });
      assert.deepEqual(interpretEvent(whole[1]), { type: 'ignored' });
      assert.deepEqual(interpretEvent(whole[2]), {
        type: 'completed',
        image: { b64Json: 'QkJC' },
        usage: { input_tokens: 5, output_tokens: 10, total_tokens: 15 },
      });
      assert.deepEqual(interpretEvent({ event: 'message', data: '[DONE]' }), { type: 'ignored' });
    });
    test('error events in their shapes', () => {
      assert.deepEqual(
        interpretEvent({ event: 'error', data: '{"error":{"message":"moderation_blocked","code":"x"}}' }),
        {
          type: 'error',
          message: 'moderation_blocked',
          code: 'x',
        },
      );
      assert.deepEqual(interpretEvent({ event: 'message', data: '{"type":"error","message":"boom"}' }), {
        type: 'error',
        message: 'boom',
        code: undefined,
      });
      assert.equal(interpretEvent({ event: 'error', data: 'plain words' }).type, 'error');
    });
    test('a completed event without an image is an error', () => {
      assert.equal(
        interpretEvent({ event: 'message', data: '{"type":"image_generation.completed"}' }).type,
        'error',
      );
    });
    test('content type and usage', () => {
      assert.ok(isEventStream('text/event-stream; charset=utf-8'));
      assert.ok(!isEventStream('application/json'));
      assert.ok(!isEventStream(null));
      assert.equal(readUsage({ total_tokens: 'x' }), undefined);
      assert.deepEqual(readUsage({ total_tokens: 3, extra: 1 }), { total_tokens: 3 });
    });
  });
});
