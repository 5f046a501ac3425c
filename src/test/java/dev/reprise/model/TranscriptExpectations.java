package dev.reprise.model;

import static dev.reprise.model.ModelRun.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.protocol.UiChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * What the OpenAI and Anthropic transcript tests expect alike. Their transcripts record the same
 * conversations, and whatever the provider's wire format, a run must turn them into the same UI
 * chunks; each test gives what its transcript has of its own (ids, how the arguments are split into
 * deltas, token counts).
 */
public final class TranscriptExpectations {
  private TranscriptExpectations() {}

  /** The chunk that opens every run: the model's id. */
  public static UiChunk.MessageMetadata modelMetadata(String modelId) {
    return new UiChunk.MessageMetadata(json("{'model':'" + modelId + "'}"));
  }

  /** The chunk at the end of a step: the run's usage so far and each step's. */
  public static UiChunk.MessageMetadata usage(String usage, String steps) {
    return new UiChunk.MessageMetadata(json("{'usage':" + usage + ",'steps':[" + steps + "]}"));
  }

  /** A run whose answer an error cut off after "The first part". */
  public static List<UiChunk> cutOffText(String modelId) {
    return List.of(
        modelMetadata(modelId),
        new UiChunk.StartStep(),
        new UiChunk.TextStart("text-1"),
        new UiChunk.TextDelta("text-1", "The first"),
        new UiChunk.TextDelta("text-1", " part"));
  }

  /**
   * The tool turn of {@link #PROMPT}: the model calls the clock and the calculator at once, both
   * run, and a second step answers with their results.
   *
   * @param firstUsage the first step's tokens
   * @param secondUsage the second step's tokens
   * @param totalUsage the tokens of both, as the run reports them at its end
   */
  public record ToolTurn(
      Call clock, Call calculator, String firstUsage, String secondUsage, String totalUsage) {
    public static final String PROMPT = "Time in Paris, and 6*7?";
    public static final JsonNode CLOCK_INPUT = json("{'timezone':'Europe/Paris'}");
    public static final JsonNode CLOCK_OUTPUT =
        json(
            "{'time':'2026-11-26T12:20:00Z','local':'2026-11-26T13:20:00+01:00',"
                + "'timezone':'Europe/Paris'}");
    public static final JsonNode CALCULATOR_INPUT = json("{'expression':'6*7'}");
    public static final JsonNode CALCULATOR_OUTPUT = json("{'expression':'6*7','result':'42'}");

    /** A call's id and its input as the provider streamed it. */
    public record Call(String id, List<String> inputDeltas) {}

    public static Call call(String id, String... inputDeltas) {
      return new Call(id, List.of(inputDeltas));
    }

    /**
     * Every chunk of the run: the model's metadata; the first step, with what the model said before
     * its calls ({@code beforeCalls}), both calls as they streamed, their outputs in call order and
     * the step's usage; then the answer step in text part {@code answerTextId}.
     */
    public List<UiChunk> chunks(String modelId, List<UiChunk> beforeCalls, String answerTextId) {
      List<UiChunk> chunks = new ArrayList<>();
      chunks.add(modelMetadata(modelId));
      chunks.add(new UiChunk.StartStep());
      chunks.addAll(beforeCalls);
      chunks.addAll(streamed(clock, "clock", CLOCK_INPUT));
      chunks.addAll(streamed(calculator, "calculator", CALCULATOR_INPUT));
      chunks.add(new UiChunk.ToolOutputAvailable(clock.id(), CLOCK_OUTPUT));
      chunks.add(new UiChunk.ToolOutputAvailable(calculator.id(), CALCULATOR_OUTPUT));
      chunks.add(usage(firstUsage, firstUsage));
      chunks.add(new UiChunk.FinishStep());
      chunks.add(new UiChunk.StartStep());
      chunks.add(new UiChunk.TextStart(answerTextId));
      chunks.add(new UiChunk.TextDelta(answerTextId, "In Paris it is 13:20,"));
      chunks.add(new UiChunk.TextDelta(answerTextId, " and 6*7 is 42."));
      chunks.add(new UiChunk.TextEnd(answerTextId));
      chunks.add(usage(totalUsage, firstUsage + "," + secondUsage));
      chunks.add(new UiChunk.FinishStep());
      return chunks;
    }

    private static List<UiChunk> streamed(Call call, String toolName, JsonNode input) {
      List<UiChunk> chunks = new ArrayList<>();
      chunks.add(new UiChunk.ToolInputStart(call.id(), toolName));
      call.inputDeltas().forEach(delta -> chunks.add(new UiChunk.ToolInputDelta(call.id(), delta)));
      chunks.add(new UiChunk.ToolInputAvailable(call.id(), toolName, input));
      return chunks;
    }
  }
}
