package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.RunningServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every authenticated endpoint against every kind of bad credential, and against another account.
 */
class AuthMatrixTest {
  private static RunningServer server;
  private static ApiClient client;
  private static String owner;
  private static String stranger;
  private static String expired;
  private static String chatId;
  private static String runId;

  @BeforeAll
  static void start() {
    server = RunningServer.start();
    client = server.client();
    owner = server.newKey("owner");
    stranger = server.newKey("stranger");
    expired = server.newKey("owner", Instant.now().minusSeconds(60));
    chatId = newChatId();
    HttpResponse<String> turn =
        client.post("/api/chat", chatTurn(chatId, "secret owner text"), "x-api-key", owner);
    runId = turn.headers().firstValue("x-workflow-run-id").orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Endpoint(String method, String path, String body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("POST", "/api/chat", chatTurn(chatId, "hi")),
        new Endpoint("GET", "/api/chat/" + chatId + "/stream", null),
        new Endpoint("POST", "/api/chat/" + chatId + "/stop", ""),
        new Endpoint("POST", "/api/chat/runs", "{\"prompt\":\"hi\",\"chatId\":\"" + chatId + "\"}"),
        new Endpoint("GET", "/api/chat/runs/" + runId, null),
        new Endpoint("GET", "/api/chats", null),
        new Endpoint("GET", "/api/chats/" + chatId, null),
        new Endpoint("DELETE", "/api/chats/" + chatId, null));
  }

  static Stream<Arguments> badCredentials() {
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      cases.add(Arguments.of(endpoint, "no credential", new String[0]));
      cases.add(
          Arguments.of(
              endpoint,
              "both headers",
              new String[] {"x-api-key", owner, "Authorization", "Bearer " + owner}));
      cases.add(
          Arguments.of(
              endpoint,
              "two x-api-key headers",
              new String[] {"x-api-key", owner, "x-api-key", owner}));
      cases.add(
          Arguments.of(endpoint, "basic scheme", new String[] {"Authorization", "Basic " + owner}));
      cases.add(
          Arguments.of(
              endpoint, "bearer without token", new String[] {"Authorization", "Bearer "}));
      cases.add(
          Arguments.of(endpoint, "unknown key", new String[] {"x-api-key", "rpr_sk_unknown"}));
      cases.add(
          Arguments.of(
              endpoint, "unknown bearer", new String[] {"Authorization", "Bearer rpr_sk_unknown"}));
      cases.add(Arguments.of(endpoint, "expired key", new String[] {"x-api-key", expired}));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badCredentials")
  void bad_credentials_are_401_in_the_error_envelope(
      Endpoint endpoint, String why, String[] headers) {
    HttpResponse<String> res =
        client.method(endpoint.method(), endpoint.path(), endpoint.body(), headers);
    assertThat(res.statusCode()).isEqualTo(401);
    JsonNode body = parse(res.body());
    assertThat(body.path("status").asText()).isEqualTo("error");
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(res.body()).doesNotContain("secret owner text").doesNotContain(chatId);
    assertThat(chatStillThere()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void another_accounts_chat_or_run_is_refused_and_nothing_leaks(Endpoint endpoint) {
    HttpResponse<String> res =
        client.method(
            endpoint.method(),
            endpoint.path(),
            endpoint.body(),
            "Authorization",
            "Bearer " + stranger);
    int expected =
        switch (endpoint.path()) {
          case "/api/chats" -> 200;
          default -> endpoint.path().startsWith("/api/chat/runs/") ? 404 : 403;
        };
    assertThat(res.statusCode()).isEqualTo(expected);
    assertThat(res.body()).doesNotContain("secret owner text");
    if (expected == 200) {
      assertThat(parse(res.body()).path("chats")).isEmpty();
    }
    assertThat(chatStillThere()).isTrue();
  }

  private static boolean chatStillThere() {
    HttpResponse<String> res = client.get("/api/chats/" + chatId, "x-api-key", owner);
    return res.statusCode() == 200 && res.body().contains("secret owner text");
  }
}
