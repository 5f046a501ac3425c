package dev.reprise.model.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.reprise.protocol.FinishReason;
import java.util.List;

/** One completed model call: what it said, the tool calls it made, and why it stopped. */
record StepOutcome(ChatResponse response, List<ToolCall> calls) {
  StepOutcome {
    calls = List.copyOf(calls);
  }

  TokenUsage usage() {
    return response.tokenUsage();
  }

  FinishReason finishReason() {
    var reason = response.finishReason();
    if (reason == null) {
      return calls.isEmpty() ? FinishReason.OTHER : FinishReason.TOOL_CALLS;
    }
    return switch (reason) {
      case STOP -> FinishReason.STOP;
      case LENGTH -> FinishReason.LENGTH;
      case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
      case OTHER -> FinishReason.OTHER;
    };
  }

  /**
   * The assistant message to send back on the next call: the provider's own (it may carry thinking
   * signatures the provider checks), with the tool calls under the ids the UI shows.
   */
  AiMessage assistantMessage() {
    AiMessage original = response.aiMessage();
    List<ToolExecutionRequest> requests =
        calls.stream()
            .map(
                c ->
                    ToolExecutionRequest.builder()
                        .id(c.id())
                        .name(c.name())
                        .arguments(c.input().toString())
                        .build())
            .toList();
    return original.toBuilder().toolExecutionRequests(requests).build();
  }
}
