package dev.reprise.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.UiChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The built-in model for demos and tests: no network, deterministic, and slow on purpose so that
 * streams can be interrupted and resumed. It thinks briefly, then echoes the user's last message
 * word by word. The word "tool" makes it call the built-in clock tool first; "approve" makes it ask
 * the user's approval before it reads the clock (when approvals are on); "client" makes it call the
 * client-side tool {@value #CLIENT_TOOL}, which the user's browser answers; the word "fail" makes
 * it fail mid-answer.
 */
public final class OfflineModel implements ChatModel {
  public static final String ID = "offline";

  /** The client-side tool the offline model calls: the browser's local time and time zone. */
  public static final String CLIENT_TOOL = "local_time";

  private static final Pattern TOOL = Pattern.compile("\\btool\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern APPROVE =
      Pattern.compile("\\bapprov(e|al)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern CLIENT = Pattern.compile("\\bclient\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern FAIL = Pattern.compile("\\bfail\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern AFTER_WHITESPACE = Pattern.compile("(?<=\\s)");
  private static final int DELTAS_BEFORE_FAILING = 3;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Clock clock;
  private final Duration delay;
  private final boolean approvals;

  public OfflineModel(Clock clock, Duration delay) {
    this(clock, delay, true);
  }

  /**
   * @param approvals whether it may ask for approval; without, "approve" reads the clock at once
   */
  public OfflineModel(Clock clock, Duration delay, boolean approvals) {
    this.clock = clock;
    this.delay = delay;
    this.approvals = approvals;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws ModelException, CancelledException {
    Pacer pacer = new Pacer(cancellation);
    if (request.continues()) {
      return goOn(request, sink, pacer);
    }
    String prompt = request.lastUserText();
    boolean ask = approvals && APPROVE.matcher(prompt).find();
    boolean client = CLIENT.matcher(prompt).find();
    boolean useTool = !client && (APPROVE.matcher(prompt).find() || TOOL.matcher(prompt).find());
    boolean fail = FAIL.matcher(prompt).find();

    pacer.emit(sink, new UiChunk.StartStep());
    think(prompt, useTool || client, sink, pacer);
    if (client) {
      callTool(request.messageId(), CLIENT_TOOL, NODES.objectNode(), sink, pacer);
      pacer.emit(sink, new UiChunk.FinishStep());
      return FinishReason.TOOL_CALLS;
    }
    if (ask) {
      String callId = callTool(request.messageId(), "clock", utc(), sink, pacer);
      pacer.emit(sink, new UiChunk.ToolApprovalRequest("approval_" + callId, callId));
      pacer.emit(sink, new UiChunk.FinishStep());
      return FinishReason.TOOL_CALLS;
    }
    if (useTool) {
      String callId = callTool(request.messageId(), "clock", utc(), sink, pacer);
      pacer.emit(sink, new UiChunk.ToolOutputAvailable(callId, readClock()));
      pacer.emit(sink, new UiChunk.FinishStep());
      pacer.emit(sink, new UiChunk.StartStep());
    }
    answer((useTool ? "I checked the clock. " : "") + "You said: " + prompt, fail, sink, pacer);
    pacer.emit(sink, new UiChunk.FinishStep());
    return FinishReason.STOP;
  }

  /** Settles the user's answers to its tool call, then says what came of it. */
  private FinishReason goOn(ModelRequest request, ChunkSink sink, Pacer pacer)
      throws CancelledException, ModelException {
    StringBuilder reply = new StringBuilder();
    for (ToolAnswer answer : request.answers()) {
      switch (answer) {
        case ToolAnswer.Approval approval when approval.approved() -> {
          ObjectNode time = readClock();
          pacer.emit(sink, new UiChunk.ToolOutputAvailable(approval.toolCallId(), time));
          reply.append("Thank you. I checked the clock: it is ").append(time.path("time").asText());
          reply.append(" UTC. ");
        }
        case ToolAnswer.Approval denial -> {
          pacer.emit(sink, new UiChunk.ToolOutputDenied(denial.toolCallId()));
          reply.append("You did not let me check the clock");
          reply.append(denial.reason() == null ? "" : " (" + denial.reason() + ")");
          reply.append(", so I cannot tell you the time. ");
        }
        case ToolAnswer.Output output -> {
          pacer.emit(sink, new UiChunk.ToolOutputAvailable(output.toolCallId(), output.output()));
          reply.append("Your browser answered: ").append(output.output()).append(". ");
        }
        case ToolAnswer.Failure failure -> {
          pacer.emit(sink, new UiChunk.ToolOutputError(failure.toolCallId(), failure.errorText()));
          reply.append("Your browser could not answer: ").append(failure.errorText()).append(". ");
        }
      }
    }
    pacer.emit(sink, new UiChunk.StartStep());
    answer(reply.toString().strip(), false, sink, pacer);
    pacer.emit(sink, new UiChunk.FinishStep());
    return FinishReason.STOP;
  }

  private void think(String prompt, boolean useTool, ChunkSink sink, Pacer pacer)
      throws CancelledException {
    String id = "reasoning-1";
    int words = prompt.isBlank() ? 0 : prompt.trim().split("\\s+").length;
    pacer.emit(sink, new UiChunk.ReasoningStart(id));
    pacer.emit(sink, new UiChunk.ReasoningDelta(id, "The user wrote " + words + " words. "));
    pacer.emit(
        sink,
        new UiChunk.ReasoningDelta(
            id,
            useTool
                ? "They mention a tool, so I will check the clock first."
                : "I will echo them back."));
    pacer.emit(sink, new UiChunk.ReasoningEnd(id));
  }

  /** Streams a tool call's input; returns its id. */
  private String callTool(
      String messageId, String tool, ObjectNode input, ChunkSink sink, Pacer pacer)
      throws CancelledException {
    String callId = "call_" + messageId.substring(messageId.indexOf('_') + 1);
    pacer.emit(sink, new UiChunk.ToolInputStart(callId, tool));
    String text = input.toString();
    int cut = text.indexOf(':') + 1;
    int at = cut > 0 ? cut : text.length() / 2;
    pacer.emit(sink, new UiChunk.ToolInputDelta(callId, text.substring(0, at)));
    pacer.emit(sink, new UiChunk.ToolInputDelta(callId, text.substring(at)));
    pacer.emit(sink, new UiChunk.ToolInputAvailable(callId, tool, input));
    return callId;
  }

  private static ObjectNode utc() {
    return NODES.objectNode().put("timezone", "UTC");
  }

  private ObjectNode readClock() {
    return NODES.objectNode().put("time", clock.instant().toString()).put("timezone", "UTC");
  }

  private void answer(String reply, boolean fail, ChunkSink sink, Pacer pacer)
      throws CancelledException, ModelException {
    String id = "text-1";
    pacer.emit(sink, new UiChunk.TextStart(id));
    int sent = 0;
    for (String word : AFTER_WHITESPACE.split(reply)) {
      if (fail && sent == DELTAS_BEFORE_FAILING) {
        throw new ModelException("The offline model was asked to fail.");
      }
      pacer.emit(sink, new UiChunk.TextDelta(id, word));
      sent++;
    }
    if (fail) {
      throw new ModelException("The offline model was asked to fail.");
    }
    pacer.emit(sink, new UiChunk.TextEnd(id));
  }

  /**
   * Emits one chunk per interval on a drift-corrected schedule: chunk i is due at t0 + i * delay.
   */
  private final class Pacer {
    private final Cancellation cancellation;
    private final long start = System.nanoTime();
    private long emitted;

    Pacer(Cancellation cancellation) {
      this.cancellation = cancellation;
    }

    void emit(ChunkSink sink, UiChunk chunk) throws CancelledException {
      long due = start + delay.toNanos() * emitted;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        cancellation.sleep(Duration.ofNanos(wait));
      } else {
        cancellation.check();
      }
      sink.emit(chunk);
      emitted++;
    }
  }
}
