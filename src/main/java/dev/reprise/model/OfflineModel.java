package dev.reprise.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The built-in model for demos and tests: no network, deterministic, and slow on purpose so that
 * streams can be interrupted and resumed. It thinks briefly, then echoes the user's last message
 * word by word. The word "tool" makes it call the built-in clock tool first; the word "fail" makes
 * it fail mid-answer.
 */
public final class OfflineModel implements ChatModel {
  public static final String ID = "offline";

  private static final Pattern TOOL = Pattern.compile("\\btool\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern FAIL = Pattern.compile("\\bfail\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern AFTER_WHITESPACE = Pattern.compile("(?<=\\s)");
  private static final int DELTAS_BEFORE_FAILING = 3;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Clock clock;
  private final Duration delay;

  public OfflineModel(Clock clock, Duration delay) {
    this.clock = clock;
    this.delay = delay;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
      throws ModelException, CancelledException {
    String prompt = request.lastUserText();
    boolean useTool = TOOL.matcher(prompt).find();
    boolean fail = FAIL.matcher(prompt).find();
    Pacer pacer = new Pacer(cancellation);

    pacer.emit(sink, new UiChunk.StartStep());
    think(prompt, useTool, sink, pacer);
    if (useTool) {
      callClock(request.messageId(), sink, pacer);
      pacer.emit(sink, new UiChunk.FinishStep());
      pacer.emit(sink, new UiChunk.StartStep());
    }
    answer(prompt, useTool, fail, sink, pacer);
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

  private void callClock(String messageId, ChunkSink sink, Pacer pacer) throws CancelledException {
    String callId = "call_" + messageId.substring(messageId.indexOf('_') + 1);
    pacer.emit(sink, new UiChunk.ToolInputStart(callId, "clock"));
    pacer.emit(sink, new UiChunk.ToolInputDelta(callId, "{\"timezone\":"));
    pacer.emit(sink, new UiChunk.ToolInputDelta(callId, "\"UTC\"}"));
    ObjectNode input = NODES.objectNode().put("timezone", "UTC");
    pacer.emit(sink, new UiChunk.ToolInputAvailable(callId, "clock", input));
    ObjectNode output =
        NODES.objectNode().put("time", clock.instant().toString()).put("timezone", "UTC");
    pacer.emit(sink, new UiChunk.ToolOutputAvailable(callId, output));
  }

  private void answer(String prompt, boolean usedTool, boolean fail, ChunkSink sink, Pacer pacer)
      throws CancelledException, ModelException {
    String id = "text-1";
    String reply = (usedTool ? "I checked the clock. " : "") + "You said: " + prompt;
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
