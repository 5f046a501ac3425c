package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.reprise.model.AgentSettings;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRequest;
import dev.reprise.model.ModelTelemetry;
import dev.reprise.model.Redactor;
import dev.reprise.model.tools.Toolbox;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * A real model behind a provider, answering with the agent loop: each model call is a step; when
 * the call asks for tools, they run (in parallel) and their results go into the next call, until
 * the model answers without tools or the step limit is reached.
 */
public final class AgentModel implements ChatModel {
  private final String id;
  private final Toolbox toolbox;
  private final AgentSettings settings;
  private final StepStreamer streamer;
  private final ToolRunner runner;
  private final AnswerSettler settler;

  /**
   * @param id the model id, {@code provider/model}
   * @param modelName the provider's name for the model (the part after the first slash)
   */
  public AgentModel(
      String id,
      String modelName,
      Provider provider,
      Toolbox toolbox,
      AgentSettings settings,
      Redactor redactor,
      ModelTelemetry telemetry) {
    this.id = id;
    this.toolbox = toolbox;
    this.settings = settings;
    this.streamer =
        new StepStreamer(
            id, modelName, provider, settings, redactor, new UpstreamMetrics(telemetry, id));
    this.runner = new ToolRunner(toolbox, settings.toolTimeout(), telemetry.openTelemetry());
    this.settler = new AnswerSettler(runner);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws ModelException, CancelledException {
    List<ChatMessage> messages = new ArrayList<>(history(request, sink, cancellation));
    List<ToolSpecification> tools = toolbox.specifications();
    IdSource ids = new IdSource(request.messageId());
    Usage usage = new Usage();
    sink.emit(new UiChunk.MessageMetadata(JsonNodeFactory.instance.objectNode().put("model", id)));
    for (int step = 1; ; step++) {
      sink.emit(new UiChunk.StartStep());
      StepChunks chunks = new StepChunks(sink, ids);
      StepOutcome outcome = streamer.stream(messages, tools, chunks, cancellation);
      usage.add(outcome.usage());
      boolean waits = false;
      if (!outcome.calls().isEmpty()) {
        messages.add(outcome.assistantMessage());
        List<ToolCall> runNow = new ArrayList<>();
        for (ToolCall call : outcome.calls()) {
          switch (waitFor(call)) {
            case APPROVAL -> {
              sink.emit(new UiChunk.ToolApprovalRequest(approvalId(call), call.id()));
              waits = true;
            }
            case CLIENT -> waits = true;
            case NONE -> runNow.add(call);
          }
        }
        runner.run(runNow, sink, cancellation).forEach(s -> messages.add(s.message()));
      }
      sink.emit(new UiChunk.MessageMetadata(usage.metadata()));
      sink.emit(new UiChunk.FinishStep());
      if (waits) {
        return FinishReason.TOOL_CALLS;
      }
      if (outcome.calls().isEmpty()) {
        return outcome.finishReason();
      }
      if (step >= settings.maxSteps()) {
        return FinishReason.TOOL_CALLS;
      }
    }
  }

  private enum Wait {
    NONE,
    APPROVAL,
    CLIENT
  }

  private Wait waitFor(ToolCall call) {
    if (call.inputError().isPresent()) {
      return Wait.NONE;
    }
    if (toolbox.isClientSide(call.name())) {
      return Wait.CLIENT;
    }
    return toolbox.needsApproval(call.name()) ? Wait.APPROVAL : Wait.NONE;
  }

  /** Derived from the call's id, which is unique in the message, so the same call gets the same. */
  static String approvalId(ToolCall call) {
    return "approval_" + call.id();
  }

  private List<ChatMessage> history(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws CancelledException {
    if (!request.continues()) {
      return History.of(request.messages(), request.messageId(), settings.contextTokens());
    }
    List<com.fasterxml.jackson.databind.JsonNode> settled =
        settler.settle(request, sink, cancellation);
    // why: the continued message is part of the history; no message is the one being written.
    return History.of(settled, "", settings.contextTokens());
  }
}
