// A fetch for the AI SDK transports that records every exchange and the raw SSE events the
// transport was given, so tests can check the wire independently of what the SDK made of it.
import { readSseEvents } from './sse.mjs';

/**
 * @param {object} [options]
 * @param {(exchange, body: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>} [options.alterBody]
 *   may replace a response body before the transport sees it (e.g. to cut the connection)
 * @returns {{fetch: typeof fetch, exchanges: Array<object>, settled: () => Promise<void>}}
 */
export function recordingFetch({ alterBody } = {}) {
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
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  let forwarded = 0;
  return new ReadableStream({
    async pull(controller) {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
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
          const isChunk = block
            .split(/\r\n|\r|\n/)
            .some((line) => line.startsWith('data:') && line.replace(/^data: ?/, '') !== '[DONE]');
          if (isChunk && ++forwarded === count) {
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
