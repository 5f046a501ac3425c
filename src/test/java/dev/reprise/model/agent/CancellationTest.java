package dev.reprise.model.agent;

import static dev.reprise.model.ModelRun.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.app.ModelCatalog;
import dev.reprise.model.CancelledException;
import dev.reprise.model.Catalogs;
import dev.reprise.model.ChatModel;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.model.ModelRun;
import dev.reprise.protocol.UiChunk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stop drops the upstream connection within a second, so the provider stops generating. */
class CancellationTest {
  private FakeUpstream upstream;
  private ModelCatalog catalog;
  private ChatModel model;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    catalog =
        Catalogs.build(
            Catalogs.env(
                "OPENAI_API_KEY", "sk-test",
                "OPENAI_BASE_URL", upstream.baseUrl() + "/v1",
                "REPRISE_MODELS", "openai/gpt-4.1-mini",
                "REPRISE_MODEL_TIMEOUT", "1m"));
    model = Catalogs.model(catalog, "openai/gpt-4.1-mini");
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    upstream.close();
  }

  @Test
  void a_stop_while_the_answer_streams_closes_the_connection_at_once() throws Exception {
    CountDownLatch dropped = new CountDownLatch(1);
    upstream.reply(new Reply.StreamThenHold("openai/text-partial.sse", dropped));
    ModelRun run = new ModelRun("msg_1");
    CompletableFuture<Object> answer = respond(run);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> run.chunks.contains(new UiChunk.TextDelta("text-1", "! How")));

    long stoppedAt = System.nanoTime();
    run.cancellation.cancel();

    assertThat(answer.get(1, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class);
    assertThat(dropped.await(1, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void a_stop_before_the_provider_answered_cancels_the_request() throws Exception {
    CountDownLatch dropped = new CountDownLatch(1);
    upstream.reply(new Reply.Silent(dropped));
    ModelRun run = new ModelRun("msg_1");
    CompletableFuture<Object> answer = respond(run);
    await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);

    run.cancellation.cancel();

    assertThat(answer.get(1, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class);
    assertThat(dropped.await(1, TimeUnit.SECONDS)).isTrue();
    assertThat(run.chunks).doesNotHaveAnyElementsOfTypes(UiChunk.TextStart.class);
  }

  private CompletableFuture<Object> respond(ModelRun run) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                result.complete(run.respond(model, List.of(user("u1", "Hi"))));
              } catch (Exception e) {
                result.complete(e);
              }
            });
    return result;
  }
}
