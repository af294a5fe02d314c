// Server-sent events, parsed as the bytes arrive (WHATWG HTML "event stream interpretation"):
// chunk boundaries anywhere (inside a UTF-8 character, between CR and LF), CR, LF or CRLF line
// ends, comments, multi-line data, unknown fields ignored. Pure; the transport feeds it bytes.

export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** `data:` lines joined with LF. */
  data: string;
  id?: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  /** The last chunk ended in CR: an LF at the start of the next one belongs to it. */
  private afterCr = false;
  private eventType = '';
  private data: string[] = [];
  private hasData = false;
  private lastId: string | undefined;
  private bom = true;

  /** Characters held for an unfinished line (the caller bounds it). */
  get pending(): number {
    return this.buffer.length + this.data.reduce((sum, d) => sum + d.length, 0);
  }

  /** The events completed by this chunk, in order. */
  push(chunk: Uint8Array | string): ServerSentEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.bom && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.bom = false;
    }
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      const line = this.buffer.slice(start, end);
      if (this.buffer[end] === '\r') {
        if (end + 1 < this.buffer.length) start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
        else {
          start = end + 1;
          this.afterCr = true;
        }
      } else start = end + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The end of the stream: an event without its closing blank line is discarded, as the spec says. */
  end(): ServerSentEvent[] {
    const rest = this.decoder.decode();
    const events = rest ? this.push(rest) : [];
    this.buffer = '';
    this.data = [];
    this.hasData = false;
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        // `retry` and unknown fields: nothing to do for a one-shot request.
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const type = this.eventType;
    this.eventType = '';
    if (!this.hasData) return undefined;
    const event: ServerSentEvent = { event: type || 'message', data: this.data.join('\n') };
    if (this.lastId !== undefined) event.id = this.lastId;
    this.data = [];
    this.hasData = false;
    return event;
  }
}
