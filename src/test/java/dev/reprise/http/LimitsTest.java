package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.ServerExtension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-account limits: 429 with Retry-After, 413, in the error envelope; nothing written. */
class LimitsTest {
  private static final OpenApiContract CONTRACT = OpenApiContract.load();
  private static final int MAX_BODY = 8192;

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(
          Map.of(
              "REPRISE_OFFLINE_DELAY_MS", "25",
              "REPRISE_LIMIT_LIVE_RUNS", "2",
              "REPRISE_LIMIT_RUNS_PER_MINUTE", "4",
              "REPRISE_LIMIT_MESSAGES", "5",
              "REPRISE_LIMIT_MESSAGE_BYTES", "2048",
              "REPRISE_LIMIT_STREAM_READERS", "2",
              "REPRISE_MAX_BODY_BYTES", Integer.toString(MAX_BODY)));

  private static ApiClient client;

  @BeforeAll
  static void connect() {
    client = SERVER.client();
  }

  private static String words(int n) {
    return "word ".repeat(n).strip();
  }

  private static String headless(String key, String prompt) {
    HttpResponse<String> res =
        client.post(
            "/api/chat/runs",
            Bodies.JSON.createObjectNode().put("prompt", prompt).toString(),
            "x-api-key",
            key);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    return parse(res.body()).path("runId").asText();
  }

  private static void awaitEnded(String key, String runId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !List.of("queued", "running")
                    .contains(
                        parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
                            .path("status")
                            .asText()));
  }

  private static String chats(String key) {
    return client.get("/api/chats", "x-api-key", key).body();
  }

  private static void assertRefused(HttpResponse<String> res, int status) {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    JsonNode body = parse(res.body());
    assertThat(body.path("status").asText()).isEqualTo("error");
    assertThat(body.path("message").asText()).isNotBlank();
    if (status == 429) {
      long retryAfter = Long.parseLong(res.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 60L);
    }
  }

  @Test
  void a_third_live_run_is_429_and_writes_nothing() {
    String key = SERVER.newKey("busy");
    String first = headless(key, words(300));
    String second = headless(key, words(300));
    String before = chats(key);

    HttpResponse<String> run =
        client.post("/api/chat/runs", "{\"prompt\":\"one more\"}", "x-api-key", key);
    HttpResponse<String> turn =
        client.post("/api/chat", chatTurn(newChatId(), "hi"), "x-api-key", key);

    assertRefused(run, 429);
    CONTRACT.check("POST", "/api/chat/runs", run);
    assertRefused(turn, 429);
    CONTRACT.check("POST", "/api/chat", turn);
    assertThat(chats(key)).isEqualTo(before);
    assertThat(
            client
                .post("/api/chat/runs", "{\"prompt\":\"hi\"}", "x-api-key", SERVER.newKey("other"))
                .statusCode())
        .isEqualTo(202);
    String chatOfFirst =
        parse(client.get("/api/chat/runs/" + first, "x-api-key", key).body())
            .path("chatId")
            .asText();
    client.post("/api/chat/" + chatOfFirst + "/stop", "", "x-api-key", key);
    awaitEnded(key, first);
    assertThat(client.post("/api/chat/runs", "{\"prompt\":\"now\"}", "x-api-key", key).statusCode())
        .isEqualTo(202);
    awaitEnded(key, second);
  }

  @Test
  void a_fifth_run_within_a_minute_is_429_with_the_wait_until_the_oldest_leaves_the_window() {
    String key = SERVER.newKey("eager");
    for (int i = 0; i < 4; i++) {
      awaitEnded(key, headless(key, "hi"));
    }
    String before = chats(key);

    HttpResponse<String> res =
        client.post("/api/chat/runs", "{\"prompt\":\"hi\"}", "x-api-key", key);

    assertRefused(res, 429);
    assertThat(parse(res.body()).path("message").asText()).contains("minute");
    assertThat(chats(key)).isEqualTo(before);
  }

  @Test
  void a_body_over_the_limit_is_413_whether_its_length_is_declared_or_not() throws Exception {
    String key = SERVER.newKey("bulky");
    String before = chats(key);
    String big = chatTurn(newChatId(), "x".repeat(MAX_BODY));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + "/api/chat"))
            .timeout(Duration.ofSeconds(20))
            .header("x-api-key", key)
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
            .build();

    HttpResponse<String> declared = client.post("/api/chat", big, "x-api-key", key);
    HttpResponse<String> streamed = http.send(chunked, HttpResponse.BodyHandlers.ofString());

    assertRefused(declared, 413);
    CONTRACT.check("POST", "/api/chat", declared);
    assertRefused(streamed, 413);
    assertRefused(
        client.post("/api/keys", "{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}", "x-api-key", key),
        413);
    assertThat(chats(key)).isEqualTo(before);
  }

  @Test
  void too_many_messages_or_too_large_a_message_or_prompt_is_413() {
    String key = SERVER.newKey("verbose");
    String before = chats(key);
    ObjectNode many = Bodies.JSON.createObjectNode().put("id", newChatId());
    ArrayNode list = many.putArray("messages");
    for (int i = 0; i < 6; i++) {
      list.add(Bodies.userMessage(UUID.randomUUID().toString(), "m" + i));
    }
    String large = chatTurn(newChatId(), "y".repeat(2100));
    String prompt = Bodies.JSON.createObjectNode().put("prompt", "é".repeat(1100)).toString();

    HttpResponse<String> tooMany = client.post("/api/chat", many.toString(), "x-api-key", key);
    HttpResponse<String> tooLarge = client.post("/api/chat", large, "x-api-key", key);
    HttpResponse<String> bigPrompt = client.post("/api/chat/runs", prompt, "x-api-key", key);

    assertRefused(tooMany, 413);
    assertThat(parse(tooMany.body()).path("message").asText()).contains("more than 5 messages");
    assertRefused(tooLarge, 413);
    CONTRACT.check("POST", "/api/chat", tooLarge);
    assertRefused(bigPrompt, 413);
    CONTRACT.check("POST", "/api/chat/runs", bigPrompt);
    assertThat(chats(key)).isEqualTo(before);
    assertThat(
            client
                .post("/api/chat", chatTurn(newChatId(), "y".repeat(1800)), "x-api-key", key)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void a_third_open_stream_of_one_account_is_429_until_one_closes() throws Exception {
    String key = SERVER.newKey("watcher");
    String runId = headless(key, words(400));
    String chatId =
        parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
            .path("chatId")
            .asText();
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        HttpResponse<InputStream> stream =
            client.open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
        assertThat(stream.statusCode()).isEqualTo(200);
        open.add(stream.body());
      }
      String before = chats(key);

      HttpResponse<String> third = client.get("/api/chat/" + chatId + "/stream", "x-api-key", key);
      HttpResponse<String> turn =
          client.post("/api/chat", chatTurn(newChatId(), "hi"), "x-api-key", key);

      assertRefused(third, 429);
      CONTRACT.check("GET", "/api/chat/{chatId}/stream", third);
      assertRefused(turn, 429);
      assertThat(chats(key)).isEqualTo(before);
      assertThat(
              client
                  .open(
                      "GET",
                      "/api/chat/" + chatId + "/stream",
                      null,
                      "x-api-key",
                      SERVER.newKey("someone-else"))
                  .statusCode())
          .as("another account has slots of its own (403 for the chat, not 429)")
          .isEqualTo(403);

      open.removeFirst().close();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                HttpResponse<InputStream> again =
                    client.open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
                again.body().close();
                return again.statusCode() == 200;
              });
    } finally {
      for (InputStream in : open) {
        in.close();
      }
      client.post("/api/chat/" + chatId + "/stop", "", "x-api-key", key);
    }
  }
}
