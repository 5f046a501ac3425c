// Assertions on the raw SSE wire shared by the tests.
import assert from 'node:assert/strict';
import { RUN_ID } from './api.mjs';
import { chunksOf } from './sse.mjs';

/** Headers every reprise UI message stream response carries; returns the run id. */
export function assertStreamHeaders(headers, what = 'stream response') {
  assert.match(headers.get('content-type') ?? '', /^text\/event-stream/, `${what}: content-type`);
  assert.equal(headers.get('x-vercel-ai-ui-message-stream'), 'v1', `${what}: x-vercel-ai-ui-message-stream`);
  const runId = headers.get('x-workflow-run-id');
  assert.match(runId ?? '', RUN_ID, `${what}: x-workflow-run-id`);
  return runId;
}

/**
 * A complete turn on the wire: UI chunk events numbered firstIndex, firstIndex+1, ... with no gap
 * or repeat, the last one `finish`, followed by `data: [DONE]` and nothing else.
 * Returns the parsed chunks.
 */
export function assertCompleteTurn(events, { firstIndex = 0, what = 'stream' } = {}) {
  const dataEvents = events.filter((event) => event.data !== undefined);
  assert.ok(dataEvents.length >= 2, `${what}: expected chunks and [DONE], got ${JSON.stringify(events)}`);
  assert.equal(dataEvents.at(-1).data, '[DONE]', `${what}: the last data event must be [DONE]`);
  assert.equal(dataEvents.filter((event) => event.data === '[DONE]').length, 1, `${what}: exactly one [DONE]`);
  const chunks = chunksOf(events);
  assert.deepEqual(
    chunks.map((c) => c.index),
    chunks.map((_, i) => firstIndex + i),
    `${what}: SSE ids must count up from ${firstIndex} without gaps or repeats`,
  );
  assert.equal(chunks.at(-1).chunk.type, 'finish', `${what}: the last chunk must be finish`);
  assert.equal(chunks.filter((c) => c.chunk.type === 'finish').length, 1, `${what}: exactly one finish`);
  return chunks.map((c) => c.chunk);
}

/** Index of the first chunk of `type` (fails when absent). */
export function indexOfType(chunks, type, what = 'stream') {
  const index = chunks.findIndex((chunk) => chunk.type === type);
  assert.notEqual(index, -1, `${what}: no ${type} chunk in ${JSON.stringify(chunks.map((c) => c.type))}`);
  return index;
}
