import type { UIMessage } from 'ai';

/**
 * How an assistant message ended. The transport adds it to the `finish` chunk's metadata (the
 * server's own chunks carry it only as `error`/`abort`/`finish`), so it travels with the message.
 */
export interface MessageMeta {
  finishReason?: string;
  stopped?: boolean;
  errorText?: string;
}

export type ChatMessage = UIMessage<MessageMeta>;
