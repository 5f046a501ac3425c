package dev.reprise.reliability;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.Bodies;
import dev.reprise.testing.RawHttp;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 at its edges, on raw sockets: HEAD, bodies the handler never reads, chunked framing, odd
 * request lines and extreme values. Each gets exactly one clear answer (never a 5xx), and the
 * connection stays in step.
 */
class HostileHttpTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static RunningServer server;
  private static int port;
  private static String key;
  private static String otherKey;
  private static String chatId;

  @BeforeAll
  static void start() {
    server = RunningServer.start(Map.of("REPRISE_LIMIT_RUNS_PER_MINUTE", "10000"));
    port = URI.create(server.baseUrl()).getPort();
    key = server.newKey("alice");
    otherKey = server.newKey("mallory");
    chatId = newChatId();
    assertThat(
            server
                .client()
                .post("/api/chat", chatTurn(chatId, "hi"), "x-api-key", key)
                .statusCode())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawHttp connect() {
    return new RawHttp(port, TIMEOUT);
  }

  private static void assertStillServes() {
    try (RawHttp http = connect()) {
      RawHttp.Response health = http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
      assertThat(health.status()).isEqualTo(200);
      assertThat(parse(health.text()).path("status").asText()).isEqualTo("ok");
    }
  }

  private static void assertErrorEnvelope(RawHttp.Response res, int status) {
    assertThat(res.status()).as(res.text()).isEqualTo(status);
    assertThat(parse(res.text()).path("status").asText()).isEqualTo("error");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/health", "/openapi.yaml", "/api/chats", "/api/models", "/nowhere", "CHAT"})
  void head_answers_like_get_without_a_body_and_the_connection_stays_in_step(String target) {
    String path = target.equals("CHAT") ? "/api/chats/" + chatId : target;
    try (RawHttp http = connect()) {
      String headers = "Host: x\r\nx-api-key: " + key + "\r\n\r\n";
      RawHttp.Response get = http.send("GET " + path + " HTTP/1.1\r\n" + headers).read("GET");
      RawHttp.Response head = http.send("HEAD " + path + " HTTP/1.1\r\n" + headers).read("HEAD");
      RawHttp.Response next = http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");

      assertThat(head.status()).isEqualTo(get.status());
      assertThat(head.header("content-type")).isEqualTo(get.header("content-type"));
      assertThat(next.status()).as(next.text()).isEqualTo(200);
      assertThat(parse(next.text()).path("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void head_without_a_key_answers_401_without_a_body() {
    try (RawHttp http = connect()) {
      RawHttp.Response head = http.send("HEAD /api/chats HTTP/1.1\r\nHost: x\r\n\r\n").read("HEAD");
      RawHttp.Response next = http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");

      assertThat(head.status()).isEqualTo(401);
      assertThat(next.status()).as(next.text()).isEqualTo(200);
    }
  }

  private static String chunkedPost(String path, String credential, String connection) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\n"
        + credential
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: "
        + connection
        + "\r\n\r\n"
        + "5\r\n{\"a\":\r\n3\r\n12}\r\n0\r\n\r\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"401", "403", "404", "stop"})
  void an_unread_chunked_body_with_connection_close_gets_exactly_one_response(String kind) {
    String request =
        switch (kind) {
          case "401" -> chunkedPost("/api/chat", "", "close");
          case "403" ->
              chunkedPost(
                  "/api/chat/" + chatId + "/stop", "x-api-key: " + otherKey + "\r\n", "close");
          case "404" -> chunkedPost("/nowhere", "x-api-key: " + key + "\r\n", "close");
          default ->
              chunkedPost("/api/chat/" + chatId + "/stop", "x-api-key: " + key + "\r\n", "close");
        };
    try (RawHttp http = connect()) {
      http.send(request);
      byte[] all = http.rest(Duration.ofSeconds(2));

      List<Integer> statuses = RawHttp.statuses(all);
      assertThat(statuses).as(new String(all, StandardCharsets.ISO_8859_1)).hasSize(1);
      assertThat(statuses.getFirst()).isLessThan(500);
    }
    assertStillServes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"401", "404", "stop"})
  void an_unread_chunked_body_on_a_kept_alive_connection_leaves_it_in_step(String kind) {
    String request =
        switch (kind) {
          case "401" -> chunkedPost("/api/chat", "", "keep-alive");
          case "404" -> chunkedPost("/nowhere", "x-api-key: " + key + "\r\n", "keep-alive");
          default ->
              chunkedPost(
                  "/api/chat/" + chatId + "/stop", "x-api-key: " + key + "\r\n", "keep-alive");
        };
    try (RawHttp http = connect()) {
      RawHttp.Response first = http.send(request).read("POST");
      assertThat(first.status()).isLessThan(500);
      if (!first.header("connection").orElse("").equalsIgnoreCase("close")) {
        RawHttp.Response next = http.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
        assertThat(next.status()).as(next.text()).isEqualTo(200);
      }
    }
    assertStillServes();
  }

  @Test
  void a_chunk_extension_is_accepted() {
    String body = "{\"name\":\"ext\"}";
    String request =
        "POST /api/keys HTTP/1.1\r\nHost: x\r\nx-api-key: "
            + key
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(body.length())
            + ";a=b\r\n"
            + body
            + "\r\n0\r\n\r\n";
    try (RawHttp http = connect()) {
      RawHttp.Response res = http.send(request).read("POST");
      assertThat(res.status()).as(res.text()).isEqualTo(201);
      assertThat(parse(res.text()).path("name").asText()).isEqualTo("ext");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ZZ", "-1", "ffffffffffffffff", "1ffffffffffffffff", " ", "0x5"})
  void a_malformed_chunk_size_is_400(String size) {
    String request =
        "POST /api/keys HTTP/1.1\r\nHost: x\r\nx-api-key: "
            + key
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + size
            + "\r\n{}\r\n0\r\n\r\n";
    try (RawHttp http = connect()) {
      RawHttp.Response res = http.send(request).read("POST");
      assertErrorEnvelope(res, 400);
    }
    assertStillServes();
  }

  @Test
  void a_method_with_a_nul_byte_is_400() {
    try (RawHttp http = connect()) {
      RawHttp.Response res = http.send("GE\0T /health HTTP/1.1\r\nHost: x\r\n\r\n").read("GET");
      assertErrorEnvelope(res, 400);
    }
    assertStillServes();
  }

  @Test
  void a_key_expiring_at_the_end_of_time_is_400_naming_expires_at() {
    HttpResponse<String> res =
        server
            .client()
            .post(
                "/api/keys",
                "{\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}",
                "x-api-key",
                key,
                "Content-Type",
                "application/json");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(parse(res.body()).path("missing_fields").toString()).contains("expiresAt");
  }

  @Test
  void a_last_event_id_at_long_max_answers_as_an_index_past_the_end() {
    HttpResponse<String> res =
        server
            .client()
            .get(
                "/api/chat/" + chatId + "/stream",
                "x-api-key",
                key,
                "Last-Event-ID",
                Long.toString(Long.MAX_VALUE));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(Bodies.types(SseEvents.chunks(res.body()))).containsExactly("finish");
  }
}
