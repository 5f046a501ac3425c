package dev.reprise.app;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.config.RepriseConfig;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.testing.ApiClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces of a real run: the POST's server span, the run's span in the same trace (carried through
 * the store to the thread that executes it), and the provider calls and the tool call under it.
 */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";

  @TempDir Path dataDir;

  @Test
  void a_turn_is_one_trace_from_the_callers_span_to_the_model_and_tool_calls() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    List<SpanData> all;
    try (FakeUpstream upstream =
        new FakeUpstream()
            .reply(
                new Reply.Stream("openai/tool-calls.sse"),
                new Reply.Stream("openai/after-tools.sse"))) {
      Map<String, String> env = new HashMap<>();
      env.put("REPRISE_PORT", "0");
      env.put("REPRISE_DATA_DIR", dataDir.toString());
      env.put("REPRISE_SERVER_SECRET", "tracing-test-secret-that-is-long-enough");
      env.put("OPENAI_API_KEY", "sk-test-not-a-real-key");
      env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
      env.put("REPRISE_MODELS", "openai/gpt-4.1-mini");
      env.put("REPRISE_DEFAULT_MODEL", "openai/gpt-4.1-mini");
      try (Reprise reprise =
          Reprise.start(
              RepriseConfig.fromEnvironment(env),
              Clock.systemUTC(),
              c -> Tracing.withExporter(spans, "reprise-test", "node-t"))) {
        ApiClient client = new ApiClient("http://127.0.0.1:" + reprise.port());
        String key = reprise.apiKeys().create("tracer", "test", null).key();
        assertThat(
                client
                    .post(
                        "/api/chat",
                        chatTurn(newChatId(), "What time is it in Paris, and what is 6*7?"),
                        "x-api-key",
                        key,
                        "traceparent",
                        "00-" + TRACE_ID + "-" + CALLER + "-01")
                    .statusCode())
            .isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                            .filter(
                                s ->
                                    s.getName().equals("run")
                                        || s.getName().equals("POST /api/chat"))
                            .count()
                        == 2);
        // why: closing the node shuts the exporter down, which forgets what it holds.
        all = spans.getFinishedSpanItems();
      }
    }
    List<SpanData> trace = all.stream().filter(s -> s.getTraceId().equals(TRACE_ID)).toList();
    SpanData post = named(trace, "POST /api/chat");
    assertThat(post.getParentSpanId()).isEqualTo(CALLER);
    assertThat(post.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200);
    SpanData run = named(trace, "run");
    assertThat(run.getParentSpanId()).isEqualTo(post.getSpanId());
    assertThat(run.getAttributes().get(AttributeKey.stringKey("reprise.run.status")))
        .isEqualTo("completed");
    List<SpanData> calls =
        trace.stream().filter(s -> s.getName().equals("chat openai/gpt-4.1-mini")).toList();
    assertThat(calls).hasSize(2).allMatch(s -> s.getParentSpanId().equals(run.getSpanId()));
    assertThat(
            calls.getFirst().getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isPositive();
    List<SpanData> tools =
        trace.stream().filter(s -> s.getName().startsWith("execute_tool ")).toList();
    assertThat(tools).isNotEmpty().allMatch(s -> s.getParentSpanId().equals(run.getSpanId()));
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }
}
