import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads an SSE body and calls `onEvent` for each event, in order. Resolves when the body ends,
 * rejects when the connection breaks or `signal` aborts, and gives up on a body that has been
 * silent for `idleMs` (reprise sends a `: ping` comment every 15 s, so silence means a dead
 * connection that the network stack has not noticed yet).
 *
 * `onEvent` returns true to stop reading early (after the final chunk).
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onEvent: (event: EventSourceMessage) => boolean,
  idleMs: number,
): Promise<'ended' | 'stopped'> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const pending: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (event) => pending.push(event),
    onComment: () => {},
  });
  let idle: ReturnType<typeof setTimeout> | undefined;
  const kill = (reason: unknown) => void reader.cancel(reason).catch(() => {});
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => kill(new Error('stream idle')), idleMs);
  };
  const onAbort = () => kill(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    armIdle();
    for (;;) {
      if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const { done, value } = await reader.read();
      if (done) {
        // why: a cancelled reader also reports done; only a real end of the body counts as one.
        if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
        return 'ended';
      }
      armIdle();
      parser.feed(decoder.decode(value, { stream: true }));
      while (pending.length > 0) {
        if (onEvent(pending.shift()!)) {
          kill(undefined);
          return 'stopped';
        }
      }
    }
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', onAbort);
  }
}
