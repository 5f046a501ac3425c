package dev.reprise.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the assistant UIMessage from its chunks the way the AI SDK client does, so that the
 * stored transcript and the message a client assembled from the stream are the same message. It
 * also knows which parts are still open, so that a run cut short can close them before it ends.
 */
public final class MessageAssembler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String messageId;
  private final List<ObjectNode> parts = new ArrayList<>();
  private final Map<String, ObjectNode> openTexts = new LinkedHashMap<>();
  private final Map<String, ObjectNode> openReasonings = new LinkedHashMap<>();
  private final Map<String, ObjectNode> toolCalls = new LinkedHashMap<>();
  private final Map<String, StringBuilder> toolInputText = new LinkedHashMap<>();
  // why: deltas are appended to builders, not to the JSON text node, to keep long answers linear in
  // size.
  private final Map<ObjectNode, StringBuilder> texts = new IdentityHashMap<>();
  private ObjectNode metadata;

  public MessageAssembler(String messageId) {
    this.messageId = messageId;
  }

  /**
   * An assembler that goes on with a message already written (a run that continues an answer after
   * the user answered its tool calls): new chunks add parts to it, and outputs reach its tool
   * calls.
   */
  public static MessageAssembler continuing(JsonNode message) {
    MessageAssembler assembler = new MessageAssembler(message.path("id").asText());
    for (JsonNode part : message.path("parts")) {
      ObjectNode copy = part.deepCopy();
      assembler.parts.add(copy);
      if (ToolParts.isTool(copy)) {
        assembler.toolCalls.put(copy.path("toolCallId").asText(), copy);
      }
    }
    assembler.mergeMetadata(message.get("metadata"));
    return assembler;
  }

  public void accept(UiChunk chunk) {
    switch (chunk) {
      case UiChunk.Start start -> mergeMetadata(start.messageMetadata());
      case UiChunk.StartStep ignored -> part("step-start");
      case UiChunk.FinishStep ignored -> {
        openTexts.clear();
        openReasonings.clear();
      }
      case UiChunk.TextStart start -> openTexts.put(start.id(), streaming(part("text")));
      case UiChunk.TextDelta delta -> appendText(openTexts.get(delta.id()), delta.delta());
      case UiChunk.TextEnd end -> done(openTexts.remove(end.id()));
      case UiChunk.ReasoningStart start ->
          openReasonings.put(start.id(), streaming(part("reasoning")));
      case UiChunk.ReasoningDelta delta ->
          appendText(openReasonings.get(delta.id()), delta.delta());
      case UiChunk.ReasoningEnd end -> done(openReasonings.remove(end.id()));
      case UiChunk.ToolInputStart start -> {
        ObjectNode tool = toolPart(start.toolCallId(), start.toolName());
        tool.put("state", "input-streaming");
        toolInputText.put(start.toolCallId(), new StringBuilder());
      }
      case UiChunk.ToolInputDelta delta -> {
        StringBuilder text = toolInputText.get(delta.toolCallId());
        if (text != null) {
          text.append(delta.inputTextDelta());
        }
      }
      case UiChunk.ToolInputAvailable available -> {
        ObjectNode tool = toolPart(available.toolCallId(), available.toolName());
        tool.put("state", "input-available");
        tool.set("input", orEmpty(available.input()));
      }
      case UiChunk.ToolInputError error -> {
        ObjectNode tool = toolPart(error.toolCallId(), error.toolName());
        tool.put("state", "output-error");
        tool.set("input", orEmpty(error.input()));
        tool.put("errorText", error.errorText());
      }
      case UiChunk.ToolApprovalRequest request -> {
        ObjectNode tool = toolCalls.get(request.toolCallId());
        if (tool != null) {
          tool.put("state", ToolParts.APPROVAL_REQUESTED);
          tool.putObject("approval").put("id", request.approvalId());
        }
      }
      case UiChunk.ToolOutputDenied denied -> {
        ObjectNode tool = toolCalls.get(denied.toolCallId());
        if (tool != null) {
          tool.put("state", ToolParts.OUTPUT_DENIED);
        }
      }
      case UiChunk.ToolOutputAvailable output -> {
        ObjectNode tool = toolCalls.get(output.toolCallId());
        if (tool != null) {
          tool.put("state", "output-available");
          tool.set("output", output.output() == null ? NODES.nullNode() : output.output());
        }
      }
      case UiChunk.ToolOutputError error -> {
        ObjectNode tool = toolCalls.get(error.toolCallId());
        if (tool != null) {
          tool.put("state", "output-error");
          tool.put("errorText", error.errorText());
        }
      }
      case UiChunk.MessageMetadata meta -> mergeMetadata(meta.messageMetadata());
      case UiChunk.Finish finish -> mergeMetadata(finish.messageMetadata());
      case UiChunk.Error ignored -> {}
      case UiChunk.Abort ignored -> {}
    }
  }

  /**
   * The chunks that close every part still open: text and reasoning get their end, a tool call
   * still waiting for its output gets a "Cancelled" error (and its input, if that never completed).
   * With {@code keepWaiting}, tool calls that wait for the user (an approval, a client-side tool)
   * stay open: the answer ended normally and the user continues it.
   */
  public List<UiChunk> closingChunks(String toolErrorText, boolean keepWaiting) {
    List<UiChunk> closing = new ArrayList<>();
    openReasonings.keySet().forEach(id -> closing.add(new UiChunk.ReasoningEnd(id)));
    openTexts.keySet().forEach(id -> closing.add(new UiChunk.TextEnd(id)));
    toolCalls.forEach(
        (callId, tool) -> {
          String state = tool.path("state").asText();
          if (state.equals("input-streaming")) {
            String name = tool.path("type").asText().substring("tool-".length());
            closing.add(new UiChunk.ToolInputAvailable(callId, name, NODES.objectNode()));
          }
          boolean waiting =
              state.equals(ToolParts.INPUT_AVAILABLE)
                  || state.equals(ToolParts.APPROVAL_REQUESTED)
                  || state.equals(ToolParts.APPROVAL_RESPONDED);
          if (state.equals("input-streaming") || (waiting && !keepWaiting)) {
            closing.add(new UiChunk.ToolOutputError(callId, toolErrorText));
          }
        });
    return closing;
  }

  /** The UIMessage as the AI SDK represents it: {id, role, parts, metadata?}. */
  public ObjectNode message() {
    ObjectNode message = NODES.objectNode();
    message.put("id", messageId);
    message.put("role", "assistant");
    var array = message.putArray("parts");
    for (ObjectNode part : parts) {
      ObjectNode copy = part.deepCopy();
      StringBuilder text = texts.get(part);
      if (text != null) {
        copy.put("text", text.toString());
      }
      array.add(copy);
    }
    if (metadata != null) {
      message.set("metadata", metadata.deepCopy());
    }
    return message;
  }

  private ObjectNode toolPart(String toolCallId, String toolName) {
    return toolCalls.computeIfAbsent(
        toolCallId,
        id -> {
          ObjectNode tool = part("tool-" + toolName);
          tool.put("toolCallId", id);
          return tool;
        });
  }

  private ObjectNode part(String type) {
    ObjectNode part = NODES.objectNode();
    part.put("type", type);
    parts.add(part);
    return part;
  }

  private ObjectNode streaming(ObjectNode part) {
    part.put("text", "");
    part.put("state", "streaming");
    texts.put(part, new StringBuilder());
    return part;
  }

  private void appendText(ObjectNode part, String delta) {
    if (part != null) {
      texts.get(part).append(delta);
    }
  }

  private static void done(ObjectNode part) {
    if (part != null) {
      part.put("state", "done");
    }
  }

  private static JsonNode orEmpty(JsonNode input) {
    return input == null ? NODES.objectNode() : input;
  }

  private void mergeMetadata(JsonNode extra) {
    if (extra instanceof ObjectNode object) {
      if (metadata == null) {
        metadata = NODES.objectNode();
      }
      deepMerge(metadata, object);
    }
  }

  /** Merges like the AI SDK's mergeObjects: nested objects merge, anything else replaces. */
  private static void deepMerge(ObjectNode target, ObjectNode source) {
    source
        .properties()
        .forEach(
            entry -> {
              JsonNode existing = target.get(entry.getKey());
              if (existing instanceof ObjectNode into
                  && entry.getValue() instanceof ObjectNode from) {
                deepMerge(into, from);
              } else {
                target.set(entry.getKey(), entry.getValue().deepCopy());
              }
            });
  }
}
