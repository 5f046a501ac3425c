// A fetch for the AI SDK transports that records every exchange and the raw SSE events the
// transport was given, so tests can check the wire independently of what the SDK made of it.
import { readSseEvents } from './sse.mjs';

/**
 * @param {object} [options]
 * @param {(exchange, body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>} [options.alterBody]
 *   may replace a response body before the transport sees it (e.g. to cut the connection)
 * @param {(exchange) => void | Promise<void>} [options.beforeFetch]
 *   runs after the exchange is recorded and before the request goes out (e.g. to hold it back)
 * @returns {{fetch: typeof fetch, exchanges: Array<object>, settled: () => Promise<void>}}
 */
export function recordingFetch({ alterBody, beforeFetch } = {}) {
  const exchanges = [];
  async function recordingFetchImpl(input, init = {}) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const exchange = {
      url,
      method: (init.method ?? 'GET').toUpperCase(),
      requestHeaders: new Headers(init.headers),
      requestBody: typeof init.body === 'string' ? init.body : undefined,
      status: undefined,
      headers: undefined,
      events: [], // SSE events as delivered to the transport
      error: undefined, // set when the body failed (e.g. aborted)
      done: Promise.resolve(),
    };
    exchanges.push(exchange);
    await beforeFetch?.(exchange);
    const response = await fetch(input, init);
    exchange.status = response.status;
    exchange.headers = response.headers;
    if (response.body == null) return response;
    const body = alterBody ? alterBody(exchange, response.body) : response.body;
    const [toTransport, toRecorder] = body.tee();
    exchange.done = readSseEvents(toRecorder, (event) => {
      exchange.events.push(event);
    }).then(
      () => undefined,
      (error) => {
        exchange.error = error;
      },
    );
    return new Response(toTransport, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
  return {
    fetch: recordingFetchImpl,
    exchanges,
    settled: () => Promise.all(exchanges.map((exchange) => exchange.done)).then(() => undefined),
  };
}

/**
 * Passes an SSE body through until `count` UI-chunk events (data events other than [DONE]) have
 * been forwarded completely, then ends the stream cleanly and closes the real connection:
 * to the reader it looks like a connection that dropped between two events, before `finish`.
 */
export function cutAfterChunkEvents(body, count) {
  let forwarded = 0;
  return cutAfterChunk(body, () => ++forwarded === count);
}

/**
 * Like cutAfterChunkEvents, but the cut comes right after the first UI chunk for which
 * `isLast(chunk)` is true (the chunk itself is forwarded completely).
 */
export function cutAfterChunk(body, isLast) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          // why: a body that is not SSE (an error response) or ends mid-event is passed on whole
          pending += decoder.decode();
          if (pending !== '') controller.enqueue(encoder.encode(pending));
          controller.close();
          return;
        }
        pending += decoder.decode(value, { stream: true });
        let out = '';
        for (;;) {
          const boundary = /\r\n\r\n|\n\n|\r\r/.exec(pending);
          if (boundary == null) break;
          const block = pending.slice(0, boundary.index + boundary[0].length);
          pending = pending.slice(block.length);
          out += block;
          const data = block
            .split(/\r\n|\r|\n/)
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.replace(/^data: ?/, ''));
          const isChunk = data.length > 0 && data.join('\n') !== '[DONE]';
          if (isChunk && isLast(JSON.parse(data.join('\n')))) {
            controller.enqueue(encoder.encode(out));
            controller.close();
            await reader.cancel('compat test: simulated dropped connection').catch(() => {});
            return;
          }
        }
        if (out !== '') {
          controller.enqueue(encoder.encode(out));
          return;
        }
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
    },
  });
}
