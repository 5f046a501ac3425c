package dev.reprise.model.openai;

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
import dev.reprise.model.LogCapture;
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

/** A fake OpenAI-compatible server replays real-shaped transcripts; the UI chunks must be exact. */
class OpenAiTranscriptTest {
  static final String KEY = "sk-test-Zq81nW4kLr5TxV0cB7mY3456";
  static final String ID = "openai/gpt-4.1-mini";

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
                "OPENAI_API_KEY", KEY,
                "OPENAI_BASE_URL", upstream.baseUrl() + "/v1",
                "REPRISE_MODELS", ID));
    model = Catalogs.model(catalog, ID);
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    upstream.close();
  }

  @Test
  void text_streams_as_one_text_part_in_one_step() throws Exception {
    upstream.reply(new Reply.Stream("openai/text.sse"));

    FinishReason reason = run.respond(model, List.of(user("u1", "Hi")));

    assertThat(reason).isEqualTo(FinishReason.STOP);
    String tokens = "{'inputTokens':11,'outputTokens':9,'totalTokens':20}";
    assertThat(run.chunks)
        .containsExactly(
            modelMetadata(ID),
            new UiChunk.StartStep(),
            new UiChunk.TextStart("text-1"),
            new UiChunk.TextDelta("text-1", "Hello"),
            new UiChunk.TextDelta("text-1", "! How"),
            new UiChunk.TextDelta("text-1", " can I help"),
            new UiChunk.TextDelta("text-1", " today?"),
            new UiChunk.TextEnd("text-1"),
            usage(tokens, tokens),
            new UiChunk.FinishStep());
    assertThat(run.message())
        .isEqualTo(
            json(
                "{'id':'msg_01J9ZK4Q','role':'assistant','parts':[{'type':'step-start'},"
                    + "{'type':'text','text':'Hello! How can I help today?','state':'done'}],"
                    + "'metadata':{'model':'"
                    + ID
                    + "','usage':"
                    + tokens
                    + ",'steps':["
                    + tokens
                    + "]}}"));
    FakeUpstream.Request request = upstream.requests().get(0);
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY);
    JsonNode body = parse(request.body());
    assertThat(body.path("model").asText()).isEqualTo("gpt-4.1-mini");
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("messages")).isEqualTo(json("[{'role':'user','content':'Hi'}]"));
  }

  @Test
  void reasoning_content_becomes_a_reasoning_part_before_the_text() throws Exception {
    upstream.reply(new Reply.Stream("openai/reasoning.sse"));

    assertThat(run.respond(model, List.of(user("u1", "2+2?")))).isEqualTo(FinishReason.STOP);

    String tokens = "{'inputTokens':14,'outputTokens':30,'totalTokens':44}";
    assertThat(run.chunks)
        .containsExactly(
            modelMetadata(ID),
            new UiChunk.StartStep(),
            new UiChunk.ReasoningStart("reasoning-1"),
            new UiChunk.ReasoningDelta("reasoning-1", "The user"),
            new UiChunk.ReasoningDelta("reasoning-1", " asks for 2+2."),
            new UiChunk.ReasoningEnd("reasoning-1"),
            new UiChunk.TextStart("text-1"),
            new UiChunk.TextDelta("text-1", "2 + 2 = "),
            new UiChunk.TextDelta("text-1", "4."),
            new UiChunk.TextEnd("text-1"),
            usage(tokens, tokens),
            new UiChunk.FinishStep());
    assertThat(run.message().get("parts"))
        .isEqualTo(
            json(
                "[{'type':'step-start'},"
                    + "{'type':'reasoning','text':'The user asks for 2+2.','state':'done'},"
                    + "{'type':'text','text':'2 + 2 = 4.','state':'done'}]"));
  }

  @Test
  void a_reasoning_field_as_ollama_and_openrouter_send_it_is_reasoning_too() throws Exception {
    upstream.reply(new Reply.Stream("openai/reasoning-field.sse"));

    run.respond(model, List.of(user("u1", "2+2?")));

    assertThat(run.message().get("parts"))
        .isEqualTo(
            json(
                "[{'type':'step-start'},"
                    + "{'type':'reasoning','text':'Okay, two plus two.','state':'done'},"
                    + "{'type':'text','text':'It is 4.','state':'done'}]"));
  }

  @Test
  void parallel_tool_calls_stream_their_arguments_then_run_and_the_loop_answers() throws Exception {
    upstream.reply(
        new Reply.Stream("openai/tool-calls.sse"), new Reply.Stream("openai/after-tools.sse"));

    FinishReason reason = run.respond(model, List.of(user("u1", ToolTurn.PROMPT)));

    assertThat(reason).isEqualTo(FinishReason.STOP);
    ToolTurn turn =
        new ToolTurn(
            call("call_Xk2mQ9vLr4TnB7wZ", "{\"ti", "mezone\": \"Eu", "rope/Paris\"}"),
            call("call_Pq8sH3dYw6JfC1nV", "{\"ex", "pression\": \"", "6*7\"}"),
            "{'inputTokens':96,'outputTokens':52,'totalTokens':148}",
            "{'inputTokens':190,'outputTokens':14,'totalTokens':204}",
            "{'inputTokens':286,'outputTokens':66,'totalTokens':352}");
    assertThat(run.chunks).containsExactlyElementsOf(turn.chunks(ID, List.of(), "text-1"));
    String clock = turn.clock().id();
    String calc = turn.calculator().id();
    JsonNode time = ToolTurn.CLOCK_OUTPUT;
    assertThat(run.message().get("parts"))
        .isEqualTo(
            json(
                "[{'type':'step-start'},"
                    + "{'type':'tool-clock','toolCallId':'"
                    + clock
                    + "','state':'output-available','input':{'timezone':'Europe/Paris'},'output':"
                    + time
                    + "},{'type':'tool-calculator','toolCallId':'"
                    + calc
                    + "','state':'output-available','input':{'expression':'6*7'},"
                    + "'output':{'expression':'6*7','result':'42'}},"
                    + "{'type':'step-start'},"
                    + "{'type':'text','text':'In Paris it is 13:20, and 6*7 is 42.','state':'done'}]"));

    JsonNode firstCall = parse(upstream.requests().get(0).body());
    assertThat(firstCall.path("tools").findValuesAsText("name")).contains("clock", "calculator");
    JsonNode messages = parse(upstream.requests().get(1).body()).path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(1).path("tool_calls").findValuesAsText("id"))
        .containsExactly(clock, calc);
    assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo(clock);
    assertThat(json(messages.get(2).path("content").asText())).isEqualTo(time);
    assertThat(messages.get(3).path("content").asText()).contains("\"result\":\"42\"");
  }

  @Test
  void an_error_inside_the_stream_after_output_ends_the_answer_without_a_retry() {
    upstream.reply(
        new Reply.Stream("openai/error-mid-stream.sse"), new Reply.Stream("openai/text.sse"));

    assertThatThrownBy(() -> run.respond(model, List.of(user("u1", "Hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessage("The model provider reported an error (server_error).");

    assertThat(run.chunks).containsExactlyElementsOf(cutOffText(ID));
    assertThat(upstream.requests()).hasSize(1);
  }

  @Test
  void a_429_before_any_output_is_retried_and_the_answer_is_as_if_nothing_happened()
      throws Exception {
    upstream.reply(
        new Reply.Error(429, "openai/rate-limit.json", Map.of("retry-after-ms", "126")),
        new Reply.Stream("openai/text.sse"));

    assertThat(run.respond(model, List.of(user("u1", "Hi")))).isEqualTo(FinishReason.STOP);

    assertThat(upstream.requests()).hasSize(2);
    assertThat(run.message().get("parts").get(1).get("text").asText())
        .isEqualTo("Hello! How can I help today?");
    assertThat(run.chunks).filteredOn(UiChunk.StartStep.class::isInstance).hasSize(1);
  }

  @Test
  void a_rejected_key_is_not_retried_and_no_secret_reaches_the_user_or_the_log() {
    upstream.reply(new Reply.Error(401, "openai/invalid-key.json", Map.of()));

    try (LogCapture log = new LogCapture()) {
      assertThatThrownBy(() -> run.respond(model, List.of(user("u1", "Hi"))))
          .isInstanceOf(ModelException.class)
          .hasMessage("The model provider rejected the credentials (HTTP 401).");

      assertThat(upstream.requests()).hasSize(1);
      assertThat(log.lines())
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).doesNotContain("sk-test", "3456"));
    }
    assertThat(run.wire()).allSatisfy(chunk -> assertThat(chunk).doesNotContain("sk-test"));
  }
}
