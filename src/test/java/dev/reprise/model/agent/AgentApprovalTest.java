package dev.reprise.model.agent;

import static dev.reprise.model.ModelRun.parse;
import static dev.reprise.model.ModelRun.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.app.ModelCatalog;
import dev.reprise.model.Catalogs;
import dev.reprise.model.ChatModel;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.model.ModelRequest;
import dev.reprise.model.ModelRun;
import dev.reprise.model.TranscriptExpectations.ToolTurn;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import dev.reprise.protocol.UiChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real model's tool call that needs approval, over a replayed OpenAI transcript: the step asks
 * and stops, the other call runs; the continued answer runs (or denies) the call, and the next
 * model call reads its result.
 */
class AgentApprovalTest {
  private static final String ID = "openai/gpt-4.1-mini";
  private static final String CLOCK = "call_Xk2mQ9vLr4TnB7wZ";
  private static final String CALC = "call_Pq8sH3dYw6JfC1nV";

  @TempDir Path dir;
  private FakeUpstream upstream;
  private ModelCatalog catalog;
  private ChatModel model;
  private final ModelRun asked = new ModelRun("msg_01J9ZK4Q");

  @BeforeEach
  void start() throws Exception {
    Path models = dir.resolve("models.json");
    Files.writeString(models, "{\"tools\": {\"clock\": {\"approval\": \"always\"}}}");
    upstream = new FakeUpstream();
    catalog =
        Catalogs.build(
            Catalogs.env(
                "OPENAI_API_KEY",
                "sk-test-not-a-real-key",
                "OPENAI_BASE_URL",
                upstream.baseUrl() + "/v1",
                "REPRISE_MODELS",
                ID,
                "REPRISE_MODELS_FILE",
                models.toString()));
    model = Catalogs.model(catalog, ID);
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    upstream.close();
  }

  private void ask() throws Exception {
    upstream.reply(
        new Reply.Stream("openai/tool-calls.sse"), new Reply.Stream("openai/after-tools.sse"));
    assertThat(asked.respond(model, List.of(user("u1", ToolTurn.PROMPT))))
        .isEqualTo(FinishReason.TOOL_CALLS);
  }

  private ModelRun goOn(ToolAnswer answer) throws Exception {
    ModelRun next = new ModelRun("msg_01J9ZK4Q");
    JsonNode answered = ToolParts.answered(asked.message(), List.of(answer));
    model.respond(
        new ModelRequest(
            "chat_1",
            "msg_01J9ZK4Q",
            List.of(user("u1", ToolTurn.PROMPT), answered),
            List.of(answer)),
        next,
        next.cancellation);
    return next;
  }

  @Test
  void the_step_asks_for_the_call_that_needs_approval_and_runs_the_other() throws Exception {
    ask();
    assertThat(upstream.requests()).hasSize(1);
    assertThat(asked.chunks)
        .contains(new UiChunk.ToolApprovalRequest("approval_" + CLOCK, CLOCK))
        .contains(new UiChunk.ToolOutputAvailable(CALC, ToolTurn.CALCULATOR_OUTPUT))
        .noneMatch(
            c -> c instanceof UiChunk.ToolOutputAvailable out && out.toolCallId().equals(CLOCK));
    JsonNode clock = ToolParts.of(asked.message()).getFirst();
    assertThat(clock.path("state").asText()).isEqualTo("approval-requested");
  }

  @Test
  void approved_the_call_runs_and_the_next_model_call_reads_both_results() throws Exception {
    ask();
    ModelRun next = goOn(new ToolAnswer.Approval("approval_" + CLOCK, CLOCK, true, null));

    assertThat(next.chunks.getFirst())
        .isEqualTo(new UiChunk.ToolOutputAvailable(CLOCK, ToolTurn.CLOCK_OUTPUT));
    assertThat(next.chunks).anyMatch(c -> c instanceof UiChunk.TextDelta);
    JsonNode messages = parse(upstream.requests().get(1).body()).path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(1).path("tool_calls").findValuesAsText("id"))
        .containsExactly(CLOCK, CALC);
    assertThat(messages.get(2).path("content").asText()).contains("Europe/Paris");
    assertThat(messages.get(3).path("content").asText()).contains("\"result\":\"42\"");
  }

  @Test
  void denied_the_call_does_not_run_and_the_model_reads_the_denial() throws Exception {
    ask();
    ModelRun next = goOn(new ToolAnswer.Approval("approval_" + CLOCK, CLOCK, false, "no"));

    assertThat(next.chunks.getFirst()).isEqualTo(new UiChunk.ToolOutputDenied(CLOCK));
    JsonNode messages = parse(upstream.requests().get(1).body()).path("messages");
    assertThat(messages.get(2).path("content").asText()).contains("denied");
  }
}
