// A small, spec-following Server-Sent Events parser used to look at the raw wire
// (event ids, comments, the [DONE] marker) independently of the AI SDK's own parser.

/**
 * Splits decoded SSE text into events. Feed text with push(); every complete event
 * (terminated by a blank line) is returned. Lines may end in \n, \r\n or \r.
 */
export class SseParser {
  #buffer = '';
  #data = [];
  #id = undefined;
  #event = undefined;
  #comments = [];
  #hasField = false;

  /** @returns {Array<{id?: string, event?: string, data: string, comments: string[]}>} */
  push(text) {
    this.#buffer += text;
    const events = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (match == null) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more text.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** Text after the last complete line (an unterminated event is not an event). */
  get pending() {
    return this.#buffer;
  }

  #line(line) {
    if (line === '') {
      if (!this.#hasField) {
        // a block made of comments only (heartbeat): report it as a comment-only event
        if (this.#comments.length === 0) return null;
        const event = { data: undefined, comments: this.#comments };
        this.#comments = [];
        return event;
      }
      const event = { id: this.#id, event: this.#event, data: this.#data.join('\n'), comments: this.#comments };
      this.#data = [];
      this.#id = undefined;
      this.#event = undefined;
      this.#comments = [];
      this.#hasField = false;
      return event;
    }
    if (line.startsWith(':')) {
      this.#comments.push(line.slice(1).trimStart());
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.#hasField = true;
    if (field === 'data') this.#data.push(value);
    else if (field === 'id') this.#id = value;
    else if (field === 'event') this.#event = value;
    return null;
  }
}

/** True when an SSE event carries a UI chunk (not a comment block, not [DONE]). */
export function isChunkEvent(event) {
  return event.data !== undefined && event.data !== '[DONE]';
}

/**
 * Reads a byte stream to its end and returns every SSE event in order.
 * @param {ReadableStream<Uint8Array>} body
 * @param {(event) => void | Promise<void>} [onEvent] called for each event as it arrives
 */
export async function readSseEvents(body, onEvent) {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const events = [];
  for await (const bytes of body) {
    for (const event of parser.push(decoder.decode(bytes, { stream: true }))) {
      events.push(event);
      await onEvent?.(event);
    }
  }
  for (const event of parser.push(decoder.decode())) {
    events.push(event);
    await onEvent?.(event);
  }
  return { events, trailing: parser.pending };
}

/** The UI chunk events of a list of SSE events, parsed: [{index, chunk}] (index = SSE id as a number). */
export function chunksOf(events) {
  return events.filter(isChunkEvent).map((event) => ({
    index: event.id === undefined ? undefined : Number(event.id),
    chunk: JSON.parse(event.data),
    data: event.data,
  }));
}
