package dev.reprise.model.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.reprise.model.ChunkSink;
import dev.reprise.protocol.UiChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one model call's stream into UI chunks. Only one text or reasoning part is open at a time:
 * a new kind of part closes the open one, so parts end in the order they started.
 */
final class StepChunks {
  static final String INVALID_INPUT = "The model sent tool arguments that are not valid JSON.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChunkSink sink;
  private final IdSource ids;
  private final Map<Integer, OpenTool> tools = new LinkedHashMap<>();
  private final List<ToolCall> calls = new ArrayList<>();
  private String openText;
  private String openReasoning;
  private boolean emitted;

  private static final class OpenTool {
    final String id;
    final String name;
    boolean started;
    boolean completed;

    OpenTool(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  StepChunks(ChunkSink sink, IdSource ids) {
    this.sink = sink;
    this.ids = ids;
  }

  /** Whether anything reached the user: after that, a failed call can no longer be retried. */
  boolean emitted() {
    return emitted;
  }

  List<ToolCall> calls() {
    return List.copyOf(calls);
  }

  void text(String delta) {
    closeReasoning();
    if (openText == null) {
      openText = ids.text();
      emit(new UiChunk.TextStart(openText));
    }
    emit(new UiChunk.TextDelta(openText, delta));
  }

  void reasoning(String delta) {
    closeText();
    if (openReasoning == null) {
      openReasoning = ids.reasoning();
      emit(new UiChunk.ReasoningStart(openReasoning));
    }
    emit(new UiChunk.ReasoningDelta(openReasoning, delta));
  }

  void toolStarted(int index, String providerId, String name) {
    start(tool(index, providerId, name));
  }

  void toolDelta(int index, String providerId, String name, String delta) {
    OpenTool tool = tool(index, providerId, name);
    start(tool);
    emit(new UiChunk.ToolInputDelta(tool.id, delta));
  }

  void toolCompleted(int index, String providerId, String name, String arguments) {
    OpenTool tool = tool(index, providerId, name);
    if (tool.completed) {
      return;
    }
    start(tool);
    tool.completed = true;
    Optional<JsonNode> input = parse(arguments);
    if (input.isPresent()) {
      emit(new UiChunk.ToolInputAvailable(tool.id, tool.name, input.get()));
      calls.add(new ToolCall(tool.id, tool.name, input.get(), Optional.empty()));
    } else {
      emit(new UiChunk.ToolInputError(tool.id, tool.name, new TextNode(arguments), INVALID_INPUT));
      calls.add(
          new ToolCall(
              tool.id,
              tool.name,
              JsonNodeFactory.instance.objectNode(),
              Optional.of(INVALID_INPUT)));
    }
  }

  /** Ends the open text or reasoning part; called when the model call has completed. */
  void close() {
    closeText();
    closeReasoning();
  }

  private OpenTool tool(int index, String providerId, String name) {
    return tools.computeIfAbsent(index, i -> new OpenTool(ids.toolCall(providerId), name));
  }

  private void start(OpenTool tool) {
    if (!tool.started) {
      close();
      tool.started = true;
      emit(new UiChunk.ToolInputStart(tool.id, tool.name));
    }
  }

  private void closeText() {
    if (openText != null) {
      emit(new UiChunk.TextEnd(openText));
      openText = null;
    }
  }

  private void closeReasoning() {
    if (openReasoning != null) {
      emit(new UiChunk.ReasoningEnd(openReasoning));
      openReasoning = null;
    }
  }

  private void emit(UiChunk chunk) {
    emitted = true;
    sink.emit(chunk);
  }

  private static Optional<JsonNode> parse(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return Optional.of(JsonNodeFactory.instance.objectNode());
    }
    try {
      JsonNode node = JSON.readTree(arguments);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
