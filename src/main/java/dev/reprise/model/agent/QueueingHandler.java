package dev.reprise.model.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Queue;

/** Puts LangChain4j's callbacks, as events, on the queue the run's thread drains. */
final class QueueingHandler implements StreamingChatResponseHandler {
  private final Queue<StreamEvent> events;
  private final Provider.UnmappedReader unmapped;

  QueueingHandler(Queue<StreamEvent> events, Provider.UnmappedReader unmapped) {
    this.events = events;
    this.unmapped = unmapped;
  }

  @Override
  public void onPartialResponse(String partialResponse) {
    events.offer(new StreamEvent.Text(partialResponse));
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking) {
    events.offer(new StreamEvent.Reasoning(partialThinking.text()));
  }

  @Override
  public void onPartialToolCall(PartialToolCall call) {
    events.offer(
        new StreamEvent.ToolDelta(call.index(), call.id(), call.name(), call.partialArguments()));
  }

  @Override
  public void onCompleteToolCall(CompleteToolCall call) {
    ToolExecutionRequest request = call.toolExecutionRequest();
    events.offer(
        new StreamEvent.ToolCompleted(
            call.index(), request.id(), request.name(), request.arguments()));
  }

  @Override
  public void onUnmappedRawEvent(Object rawEvent) {
    if (rawEvent instanceof ServerSentEvent event) {
      unmapped.read(event).forEach(events::offer);
    }
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    events.offer(new StreamEvent.Completed(completeResponse));
  }

  @Override
  public void onError(Throwable error) {
    events.offer(new StreamEvent.Failed(error));
  }
}
