package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import dev.reprise.protocol.UiChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first thing a continued answer does: settle the tool calls the user answered. Approved calls
 * run now; denied ones and client-side results are reported on the stream, so that every reader
 * (another tab, a reconnect) sees them, and all of them go into the history the model reads next.
 */
final class AnswerSettler {
  private final ToolRunner runner;

  AnswerSettler(ToolRunner runner) {
    this.runner = runner;
  }

  /** The request's messages with the continued message's answered calls settled. */
  List<JsonNode> settle(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws CancelledException {
    ObjectNode message = request.messages().getLast().deepCopy();
    Map<String, ObjectNode> parts = new HashMap<>();
    ToolParts.of(message).forEach(p -> parts.put(p.path("toolCallId").asText(), p));
    List<ToolCall> approved = new ArrayList<>();
    for (ToolAnswer answer : request.answers()) {
      ObjectNode part = parts.get(answer.toolCallId());
      if (part == null) {
        continue;
      }
      switch (answer) {
        case ToolAnswer.Approval approval when approval.approved() ->
            approved.add(
                new ToolCall(
                    approval.toolCallId(),
                    ToolParts.toolName(part),
                    part.path("input"),
                    Optional.empty()));
        case ToolAnswer.Approval denial -> {
          sink.emit(new UiChunk.ToolOutputDenied(denial.toolCallId()));
          part.put("state", ToolParts.OUTPUT_DENIED);
        }
        case ToolAnswer.Output output ->
            sink.emit(new UiChunk.ToolOutputAvailable(output.toolCallId(), output.output()));
        case ToolAnswer.Failure failure ->
            sink.emit(new UiChunk.ToolOutputError(failure.toolCallId(), failure.errorText()));
      }
    }
    for (ToolRunner.Settled settled : runner.run(approved, sink, cancellation)) {
      ObjectNode part = parts.get(settled.call().id());
      if (settled.output().isPresent()) {
        part.put("state", ToolParts.OUTPUT_AVAILABLE);
        part.set("output", settled.output().get());
      } else {
        part.put("state", ToolParts.OUTPUT_ERROR);
        part.put("errorText", settled.error().orElse(""));
      }
    }
    List<JsonNode> messages = new ArrayList<>(request.messages());
    messages.set(messages.size() - 1, message);
    return messages;
  }
}
