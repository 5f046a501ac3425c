package dev.reprise.model.anthropic;

import static dev.reprise.model.ModelRun.json;
import static dev.reprise.model.ModelRun.parse;
import static dev.reprise.model.ModelRun.user;
import static dev.reprise.model.TranscriptExpectations.ToolTurn.call;
import static dev.reprise.model.TranscriptExpectations.cutOffText;
import static dev.reprise.model.TranscriptExpectations.modelMetadata;
import static dev.reprise.model.TranscriptExpectations.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.app.ModelCatalog;
import dev.reprise.model.Catalogs;
import dev.reprise.model.ChatModel;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRun;
import dev.reprise.model.TranscriptExpectations.ToolTurn;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fake Anthropic Messages API replays real-shaped transcripts; the UI chunks must be exact. */
class AnthropicTranscriptTest {
  static final String KEY = "sk-ant-api03-test-Vb81Kq0LmNz4Xw";
  static final String ID = "anthropic/claude-sonnet-4-5";

  private FakeUpstream upstream;
  private ModelCatalog catalog;
  private ChatModel model;
  private final ModelRun run = new ModelRun("msg_01J9ZK4Q");

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    catalog =
        Catalogs.build(
            Catalogs.env(
                "ANTHROPIC_API_KEY",
                KEY,
                "ANTHROPIC_BASE_URL",
                upstream.baseUrl(),
                "REPRISE_ANTHROPIC_THINKING_BUDGET",
                "2048"));
    model = Catalogs.model(catalog, ID);
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    upstream.close();
  }

  @Test
  void text_streams_as_one_text_part_and_the_request_is_a_messages_call() throws Exception {
    upstream.reply(new Reply.Stream("anthropic/text.sse"));

    assertThat(run.respond(model, List.of(user("u1", "Hi")))).isEqualTo(FinishReason.STOP);

    String tokens = "{'inputTokens':12,'outputTokens':13,'totalTokens':25}";
    assertThat(run.chunks)
        .containsExactly(
            modelMetadata(ID),
            new UiChunk.StartStep(),
            new UiChunk.TextStart("text-1"),
            new UiChunk.TextDelta("text-1", "Hello"),
            new UiChunk.TextDelta("text-1", "! How can I"),
            new UiChunk.TextDelta("text-1", " help you today?"),
            new UiChunk.TextEnd("text-1"),
            usage(tokens, tokens),
            new UiChunk.FinishStep());
    FakeUpstream.Request request = upstream.requests().get(0);
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.headers()).containsEntry("x-api-key", KEY);
    JsonNode body = parse(request.body());
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("thinking")).isEqualTo(json("{'type':'enabled','budget_tokens':2048}"));
    assertThat(body.path("max_tokens").asInt()).isGreaterThan(2048);
  }

  @Test
  void thinking_becomes_a_reasoning_part_before_the_text() throws Exception {
    upstream.reply(new Reply.Stream("anthropic/thinking.sse"));

    run.respond(model, List.of(user("u1", "2+2?")));

    String tokens = "{'inputTokens':45,'outputTokens':38,'totalTokens':83}";
    assertThat(run.chunks)
        .containsExactly(
            modelMetadata(ID),
            new UiChunk.StartStep(),
            new UiChunk.ReasoningStart("reasoning-1"),
            new UiChunk.ReasoningDelta("reasoning-1", "The user asks for 2+2."),
            new UiChunk.ReasoningDelta("reasoning-1", " That is 4."),
            new UiChunk.ReasoningEnd("reasoning-1"),
            new UiChunk.TextStart("text-1"),
            new UiChunk.TextDelta("text-1", "2 + 2 = "),
            new UiChunk.TextDelta("text-1", "4."),
            new UiChunk.TextEnd("text-1"),
            usage(tokens, tokens),
            new UiChunk.FinishStep());
  }

  @Test
  void parallel_tool_use_opens_each_call_at_its_block_start_and_the_loop_answers()
      throws Exception {
    upstream.reply(
        new Reply.Stream("anthropic/tool-use.sse"), new Reply.Stream("anthropic/after-tools.sse"));

    assertThat(run.respond(model, List.of(user("u1", ToolTurn.PROMPT))))
        .isEqualTo(FinishReason.STOP);

    ToolTurn turn =
        new ToolTurn(
            call("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "{\"timezone\": \"Eu", "rope/Paris\"}"),
            call("toolu_01VaW4xQ8mHn3KbTcR7yLp2E", "{\"expression\": ", "\"6*7\"}"),
            "{'inputTokens':640,'outputTokens':112,'totalTokens':752}",
            "{'inputTokens':820,'outputTokens':16,'totalTokens':836}",
            "{'inputTokens':1460,'outputTokens':128,'totalTokens':1588}");
    List<UiChunk> textBeforeCalls =
        List.of(
            new UiChunk.TextStart("text-1"),
            new UiChunk.TextDelta("text-1", "I'll check the time and do the sum."),
            new UiChunk.TextEnd("text-1"));
    assertThat(run.chunks).containsExactlyElementsOf(turn.chunks(ID, textBeforeCalls, "text-2"));
    String clock = turn.clock().id();
    String calc = turn.calculator().id();

    JsonNode messages = parse(upstream.requests().get(1).body()).path("messages");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(1).path("content").findValuesAsText("id")).containsExactly(clock, calc);
    assertThat(messages.get(2).path("content").findValuesAsText("tool_use_id"))
        .containsExactly(clock, calc);
  }

  @Test
  void an_overloaded_error_event_after_output_ends_the_answer() {
    upstream.reply(new Reply.Stream("anthropic/overloaded-mid-stream.sse"));

    assertThatThrownBy(() -> run.respond(model, List.of(user("u1", "Hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessage("The model provider reported an error (overloaded_error).");

    assertThat(run.chunks).containsExactlyElementsOf(cutOffText(ID));
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void a_429_before_any_output_is_retried() throws Exception {
    upstream.reply(
        new Reply.Error(429, "anthropic/rate-limit.json", Map.of("retry-after", "1")),
        new Reply.Stream("anthropic/text.sse"));

    assertThat(run.respond(model, List.of(user("u1", "Hi")))).isEqualTo(FinishReason.STOP);

    assertThat(upstream.requests()).hasSize(2);
    assertThat(run.message().get("parts").get(1).get("text").asText())
        .isEqualTo("Hello! How can I help you today?");
  }
}
