package dev.reprise.model.agent;

import static dev.reprise.model.ModelRun.json;
import static dev.reprise.model.ModelRun.parse;
import static dev.reprise.model.ModelRun.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.reprise.app.ModelCatalog;
import dev.reprise.model.Catalogs;
import dev.reprise.model.ChatModel;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.model.ModelRun;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.UiChunk;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentLoopTest {
  private FakeUpstream upstream;
  private ModelCatalog catalog;
  private final ModelRun run = new ModelRun("msg_01J9ZK4Q");

  private ChatModel model(String... extra) throws Exception {
    upstream = new FakeUpstream();
    var env =
        Catalogs.env(
            "OPENAI_API_KEY", "sk-test",
            "OPENAI_BASE_URL", upstream.baseUrl() + "/v1",
            "REPRISE_MODELS", "openai/gpt-4.1-mini");
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    catalog = Catalogs.build(env);
    return Catalogs.model(catalog, "openai/gpt-4.1-mini");
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    upstream.close();
  }

  @Test
  void the_step_limit_ends_the_answer_with_tool_calls_after_the_tools_ran() throws Exception {
    ChatModel model = model("REPRISE_MAX_STEPS", "1");
    upstream.reply(new Reply.Stream("openai/tool-calls.sse"));

    FinishReason reason = run.respond(model, List.of(user("u1", "Time and 6*7?")));

    assertThat(reason).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(upstream.requests()).hasSize(1);
    assertThat(run.chunks).filteredOn(UiChunk.ToolOutputAvailable.class::isInstance).hasSize(2);
    assertThat(run.chunks.get(run.chunks.size() - 1)).isEqualTo(new UiChunk.FinishStep());
  }

  @Test
  void failing_unknown_and_malformed_tool_calls_become_errors_and_the_loop_goes_on()
      throws Exception {
    ChatModel model = model();
    upstream.reply(
        new Reply.Stream("openai/tool-errors.sse"), new Reply.Stream("openai/after-tools.sse"));

    assertThat(run.respond(model, List.of(user("u1", "Go")))).isEqualTo(FinishReason.STOP);

    String clock = "call_Mn4bV7cX1zL9kJ2h";
    String weather = "call_Rt6yU3iO8pA5sD0f";
    String calc = "call_Gh2jK9lZ4xC7vB1n";
    assertThat(run.chunks)
        .containsSubsequence(
            new UiChunk.ToolInputAvailable(clock, "clock", json("{'timezone':'Mars/Olympus'}")),
            new UiChunk.ToolInputAvailable(weather, "weather", json("{'city':'Paris'}")),
            new UiChunk.ToolInputError(
                calc,
                "calculator",
                new TextNode("{\"expression\": 6*7"),
                "The model sent tool arguments that are not valid JSON."),
            new UiChunk.ToolOutputError(clock, "Unknown time zone 'Mars/Olympus'."),
            new UiChunk.ToolOutputError(weather, "There is no tool named 'weather'."),
            new UiChunk.FinishStep(),
            new UiChunk.StartStep(),
            new UiChunk.TextDelta("text-1", "In Paris it is 13:20,"));
    assertThat(run.chunks)
        .filteredOn(c -> c instanceof UiChunk.ToolOutputError e && e.toolCallId().equals(calc))
        .isEmpty();
    JsonNode parts = run.message().get("parts");
    assertThat(parts.findValuesAsText("state"))
        .containsExactly("output-error", "output-error", "output-error", "done");

    JsonNode messages = parse(upstream.requests().get(1).body()).path("messages");
    assertThat(
            messages.get(1).path("tool_calls").get(2).path("function").path("arguments").asText())
        .isEqualTo("{}");
    assertThat(messages.get(2).path("content").asText())
        .isEqualTo("Error: Unknown time zone 'Mars/Olympus'.");
    assertThat(messages.get(3).path("content").asText())
        .isEqualTo("Error: There is no tool named 'weather'.");
    assertThat(messages.get(4).path("content").asText())
        .isEqualTo("Error: The model sent tool arguments that are not valid JSON.");
  }

  @Test
  void the_chat_history_with_earlier_tool_calls_is_sent_to_the_model() throws Exception {
    ChatModel model = model();
    upstream.reply(new Reply.Stream("openai/text.sse"));
    JsonNode earlier =
        json(
            "{'id':'a1','role':'assistant','parts':[{'type':'step-start'},"
                + "{'type':'reasoning','text':'hmm','state':'done'},"
                + "{'type':'tool-clock','toolCallId':'call_1','state':'output-available',"
                + "'input':{},'output':{'time':'t'}},"
                + "{'type':'step-start'},{'type':'text','text':'It is t.','state':'done'}]}");

    run.respond(model, List.of(user("u1", "Time?"), earlier, user("u2", "Thanks")));

    assertThat(parse(upstream.requests().get(0).body()).path("messages"))
        .isEqualTo(
            parse(
                """
                [{"role":"user","content":"Time?"},
                 {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"clock","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"{\\"time\\":\\"t\\"}"},
                 {"role":"assistant","content":"It is t."},
                 {"role":"user","content":"Thanks"}]
                """));
  }
}
