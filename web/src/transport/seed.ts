import { getToolName, isToolUIPart, type UIMessageChunk } from 'ai';
import type { ChatMessage, MessageMeta } from '../lib/types';

type Chunk = UIMessageChunk<MessageMeta>;

/**
 * The chunks that build `message` from nothing (after its `start` chunk).
 *
 * A run that continues an answer (after the user approved a tool call or a client-side tool
 * answered) streams only what it adds: its `start` names the message it continues, then come the
 * tool outputs for calls that its own stream never introduced. A tab that replays such a run from
 * chunk 0 (a reload, a second tab) starts the message afresh at `start`, so it needs the message
 * as it stood before the run; these chunks rebuild it.
 */
export function seedChunks(message: ChatMessage): Chunk[] {
  const chunks: Chunk[] = [];
  message.parts.forEach((part, i) => {
    const id = `seed-${i}`;
    if (part.type === 'step-start') {
      chunks.push({ type: 'start-step' });
    } else if (part.type === 'text') {
      chunks.push(
        { type: 'text-start', id },
        { type: 'text-delta', id, delta: part.text },
        { type: 'text-end', id },
      );
    } else if (part.type === 'reasoning') {
      chunks.push(
        { type: 'reasoning-start', id },
        { type: 'reasoning-delta', id, delta: part.text },
        { type: 'reasoning-end', id },
      );
    } else if (part.type === 'source-url') {
      chunks.push({
        type: 'source-url',
        sourceId: part.sourceId,
        url: part.url,
        title: part.title,
      });
    } else if (isToolUIPart(part)) {
      const toolCallId = part.toolCallId;
      chunks.push({
        type: 'tool-input-available',
        toolCallId,
        toolName: getToolName(part),
        input: part.input,
        ...(part.type === 'dynamic-tool' ? { dynamic: true } : {}),
        ...(part.providerExecuted != null ? { providerExecuted: part.providerExecuted } : {}),
      });
      const approval = part.approval;
      if (approval) {
        chunks.push({ type: 'tool-approval-request', approvalId: approval.id, toolCallId });
        if (approval.approved != null) {
          chunks.push({
            type: 'tool-approval-response',
            approvalId: approval.id,
            approved: approval.approved,
            ...(approval.reason != null ? { reason: approval.reason } : {}),
          });
        }
      }
      if (part.state === 'output-available') {
        chunks.push({ type: 'tool-output-available', toolCallId, output: part.output });
      } else if (part.state === 'output-error') {
        chunks.push({ type: 'tool-output-error', toolCallId, errorText: part.errorText });
      } else if (part.state === 'output-denied') {
        chunks.push({ type: 'tool-output-denied', toolCallId });
      }
    }
  });
  return chunks;
}

/** The tool call a chunk answers (an output, an error or a denial), if it answers one. */
export function answeredCall(chunk: Chunk): string | undefined {
  switch (chunk.type) {
    case 'tool-output-available':
    case 'tool-output-error':
    case 'tool-output-denied':
      return chunk.toolCallId;
    default:
      return undefined;
  }
}

/** The tool call a chunk introduces, if it introduces one. */
export function introducedCall(chunk: Chunk): string | undefined {
  switch (chunk.type) {
    case 'tool-input-start':
    case 'tool-input-available':
    case 'tool-input-error':
      return chunk.toolCallId;
    default:
      return undefined;
  }
}
