import { memo } from 'react';
import { getToolName, isToolUIPart } from 'ai';
import type { ChatMessage } from '../lib/types';
import { Markdown } from './Markdown';
import { ToolCall, type ToolActions } from './ToolCall';

type Part = ChatMessage['parts'][number];

function PartView({
  part,
  streaming,
  actions,
}: {
  part: Part;
  streaming: boolean;
  actions: ToolActions | undefined;
}) {
  if (part.type === 'text') {
    return (
      <div className="text-part" data-testid="text-part">
        <Markdown text={part.text} />
      </div>
    );
  }
  if (part.type === 'reasoning') {
    const thinking = streaming && part.state === 'streaming';
    return (
      <details className="reasoning" data-testid="reasoning-part">
        <summary>{thinking ? 'Thinking…' : 'Reasoning'}</summary>
        <div className="reasoning-text">{part.text}</div>
      </details>
    );
  }
  if (isToolUIPart(part)) {
    return (
      <ToolCall
        tool={{
          toolName: getToolName(part),
          toolCallId: part.toolCallId,
          state: part.state,
          input: part.input,
          output: part.state === 'output-available' ? part.output : undefined,
          errorText: part.state === 'output-error' ? part.errorText : undefined,
          approval: part.approval,
        }}
        actions={actions}
      />
    );
  }
  if (part.type === 'source-url') {
    return (
      <a className="source" href={part.url} target="_blank" rel="noopener noreferrer">
        {part.title ?? part.url}
      </a>
    );
  }
  return null;
}

function UserText({ message }: { message: ChatMessage }) {
  const text = message.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  return (
    <div className="user-text" data-testid="text-part">
      {text}
    </div>
  );
}

/**
 * One message of the conversation; `streaming` marks the answer being written, and `actions`
 * (for the last answer only) answer the tool calls that wait for the user.
 */
export const Message = memo(function Message({
  message,
  streaming,
  actions,
}: {
  message: ChatMessage;
  streaming: boolean;
  actions?: ToolActions;
}) {
  const meta = message.metadata;
  const ending = meta?.stopped
    ? 'stopped'
    : meta?.finishReason === 'error' || meta?.errorText
      ? 'error'
      : null;
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-message-id={message.id}
      data-streaming={streaming ? 'true' : undefined}
    >
      {message.role === 'user' ? (
        <UserText message={message} />
      ) : (
        <div className="assistant-body">
          {message.parts.map((part, i) => (
            <PartView key={i} part={part} streaming={streaming} actions={actions} />
          ))}
          {streaming && message.parts[message.parts.length - 1]?.type !== 'text' && (
            <span className="dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
          )}
          {meta?.errorText && (
            <div className="message-error" role="alert" data-testid="chat-error">
              {meta.errorText}
            </div>
          )}
          {ending && (
            <div className={`finish-reason finish-${ending}`} data-testid="finish-reason">
              {ending}
            </div>
          )}
        </div>
      )}
    </article>
  );
});
