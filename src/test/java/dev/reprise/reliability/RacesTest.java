package dev.reprise.reliability;

import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.http.OpenApiContract;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that race on one chat (a double-clicked Send, a delete during a send, a stop during a
 * send) get 200, 404 or 409, never a 5xx, and the chat keeps exactly the accepted turns' messages.
 */
class RacesTest {
  private static final int TURNS = 50;
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  private RunningServer server;
  private String schema;

  private ApiClient start(String backend) {
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_OFFLINE_DELAY_MS", "5");
    env.put("REPRISE_LIMIT_LIVE_RUNS", "1000");
    env.put("REPRISE_LIMIT_RUNS_PER_MINUTE", "10000");
    env.put("REPRISE_LIMIT_STREAM_READERS", "1000");
    if (backend.equals("postgres")) {
      TestPostgres.require();
      schema = TestPostgres.newSchema();
      env.put("REPRISE_DATABASE_URL", TestPostgres.url(schema));
      env.put("REPRISE_SERVER_SECRET", "races-test-secret-that-is-long-enough-000");
    }
    server = RunningServer.start(env);
    return server.client();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (schema != null) {
      TestPostgres.dropSchema(schema);
    }
  }

  private static String turn(String chatId, String messageId, String text) {
    ObjectNode body = Bodies.JSON.createObjectNode().put("id", chatId);
    body.putArray("messages").add(userMessage(messageId, text));
    return body.toString();
  }

  /** Runs every task at once (released together) and returns their results in order. */
  private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return task.call();
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }

  private static Set<String> userMessageIds(ApiClient client, String key, String chatId) {
    JsonNode chat = parse(client.get("/api/chats/" + chatId, "x-api-key", key).body());
    Set<String> ids = new HashSet<>();
    for (JsonNode message : chat.path("messages")) {
      if (message.path("role").asText().equals("user")) {
        ids.add(message.path("id").asText());
      }
    }
    return ids;
  }

  private record Sent(String messageId, HttpResponse<String> response) {}

  private static void assertErrorEnvelope(HttpResponse<String> res) {
    if (res.statusCode() >= 400) {
      JsonNode body = parse(res.body());
      assertThat(body.path("status").asText()).as(res.body()).isEqualTo("error");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void concurrent_turns_on_one_chat_answer_200_or_409_and_store_only_the_accepted_turns(
      String backend) throws Exception {
    ApiClient client = start(backend);
    String key = server.newKey("racer");
    String chatId = newChatId();
    List<Callable<Sent>> sends = new ArrayList<>();
    for (int i = 0; i < TURNS; i++) {
      String messageId = "m-" + i;
      String body = turn(chatId, messageId, "hello " + i);
      sends.add(() -> new Sent(messageId, client.post("/api/chat", body, "x-api-key", key)));
    }

    List<Sent> results = together(sends);

    Set<String> accepted = new HashSet<>();
    for (Sent sent : results) {
      assertThat(sent.response().statusCode()).as(sent.response().body()).isIn(200, 409);
      assertErrorEnvelope(sent.response());
      CONTRACT.check("POST", "/api/chat", sent.response());
      if (sent.response().statusCode() == 200) {
        accepted.add(sent.messageId());
      }
    }
    assertThat(accepted).isNotEmpty();
    assertThat(userMessageIds(client, key, chatId)).isEqualTo(accepted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void concurrent_headless_runs_on_one_chat_store_only_the_accepted_prompts(String backend)
      throws Exception {
    ApiClient client = start(backend);
    String key = server.newKey("racer");
    String chatId = newChatId();
    List<Callable<Sent>> sends = new ArrayList<>();
    for (int i = 0; i < TURNS; i++) {
      String messageId = "h-" + i;
      ObjectNode body = Bodies.JSON.createObjectNode().put("chatId", chatId);
      body.putArray("messages").add(userMessage(messageId, "hello " + i));
      sends.add(
          () ->
              new Sent(
                  messageId, client.post("/api/chat/runs", body.toString(), "x-api-key", key)));
    }

    List<Sent> results = together(sends);

    Set<String> accepted = new HashSet<>();
    for (Sent sent : results) {
      assertThat(sent.response().statusCode()).as(sent.response().body()).isIn(202, 409);
      assertErrorEnvelope(sent.response());
      if (sent.response().statusCode() == 202) {
        accepted.add(sent.messageId());
      }
    }
    assertThat(accepted).isNotEmpty();
    assertThat(userMessageIds(client, key, chatId)).isEqualTo(accepted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void a_delete_racing_turns_answers_200_404_or_409_and_never_5xx(String backend) throws Exception {
    ApiClient client = start(backend);
    String key = server.newKey("racer");
    for (int round = 0; round < 10; round++) {
      String chatId = newChatId();
      assertThat(
              client.post("/api/chat", turn(chatId, "first", "hi"), "x-api-key", key).statusCode())
          .isEqualTo(200);
      List<Callable<Sent>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String messageId = UUID.randomUUID().toString();
        tasks.add(
            () ->
                new Sent(
                    messageId,
                    client.post("/api/chat", turn(chatId, messageId, "again"), "x-api-key", key)));
        if (i % 4 == 0) {
          tasks.add(() -> new Sent(null, client.delete("/api/chats/" + chatId, "x-api-key", key)));
        }
      }

      List<Sent> results = together(tasks);

      Set<String> accepted = new HashSet<>();
      for (Sent sent : results) {
        assertThat(sent.response().statusCode()).as(sent.response().body()).isIn(200, 404, 409);
        assertErrorEnvelope(sent.response());
        if (sent.messageId() == null) {
          CONTRACT.check("DELETE", "/api/chats/{chatId}", sent.response());
        } else {
          CONTRACT.check("POST", "/api/chat", sent.response());
        }
        if (sent.messageId() != null && sent.response().statusCode() == 200) {
          accepted.add(sent.messageId());
        }
      }
      HttpResponse<String> chat = client.get("/api/chats/" + chatId, "x-api-key", key);
      assertThat(chat.statusCode()).as(chat.body()).isIn(200, 404);
      if (chat.statusCode() == 200) {
        Set<String> stored = userMessageIds(client, key, chatId);
        stored.remove("first");
        assertThat(stored).isSubsetOf(accepted);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void a_stop_racing_turns_answers_200_and_the_turns_200_or_409(String backend) throws Exception {
    ApiClient client = start(backend);
    String key = server.newKey("racer");
    String chatId = newChatId();
    List<Callable<Sent>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String messageId = "s-" + i;
      tasks.add(
          () ->
              new Sent(
                  messageId,
                  client.post("/api/chat", turn(chatId, messageId, "again"), "x-api-key", key)));
      tasks.add(
          () -> new Sent(null, client.post("/api/chat/" + chatId + "/stop", "", "x-api-key", key)));
    }

    List<Sent> results = together(tasks);

    Set<String> accepted = new HashSet<>();
    for (Sent sent : results) {
      int status = sent.response().statusCode();
      assertErrorEnvelope(sent.response());
      if (sent.messageId() == null) {
        assertThat(status).as(sent.response().body()).isIn(200, 404);
      } else {
        assertThat(status).as(sent.response().body()).isIn(200, 409);
        if (status == 200) {
          accepted.add(sent.messageId());
        }
      }
    }
    assertThat(userMessageIds(client, key, chatId)).isEqualTo(accepted);
  }
}
