package dev.reprise.model.agent;

import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * What one upstream call reports, in order, from LangChain4j's callback threads to the run's
 * thread, which alone turns them into chunks.
 */
public sealed interface StreamEvent {

  record Text(String delta) implements StreamEvent {}

  record Reasoning(String delta) implements StreamEvent {}

  /** The provider opened a tool call; its arguments follow. */
  record ToolStarted(int index, String id, String name) implements StreamEvent {}

  record ToolDelta(int index, String id, String name, String argumentsDelta)
      implements StreamEvent {}

  record ToolCompleted(int index, String id, String name, String arguments)
      implements StreamEvent {}

  record Completed(ChatResponse response) implements StreamEvent {}

  record Failed(Throwable error) implements StreamEvent {}

  /** The provider put an error inside an otherwise successful stream. */
  record ProviderError(String type) implements StreamEvent {}

  /** The response body ended; after {@link Completed} this is expected, before it it is not. */
  record Closed() implements StreamEvent {}

  record Cancelled() implements StreamEvent {}
}
