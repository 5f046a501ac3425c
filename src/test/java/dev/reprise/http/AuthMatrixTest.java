package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.JwksServer.claims;
import static dev.reprise.testing.JwksServer.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.JwksServer;
import dev.reprise.testing.ServerExtension;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every authenticated endpoint against every kind of bad credential (API keys and bearer JWTs), and
 * against another account: the right status, the error envelope, nothing of anyone else in the body
 * and nothing changed.
 */
class AuthMatrixTest {
  private static final String ISSUER = "https://idp.example.test/";
  private static final String AUDIENCE = "reprise-api";
  private static final RSAKey IDP_KEY = JwksServer.rsaKey("idp-1");
  private static final RSAKey ROGUE_KEY = JwksServer.rsaKey("idp-1");
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.trustingJwts(
          IDP_KEY, ISSUER, AUDIENCE, Map.of("REPRISE_JWT_CLOCK_SKEW", "0s"));

  private static ApiClient client;
  private static String owner;
  private static String stranger;
  private static String expired;
  private static String revoked;
  private static String ownerKeyId;
  private static String ownerKeyPrefix;
  private static String chatId;
  private static String runId;

  @BeforeAll
  static void createAccountsChatAndRun() {
    client = SERVER.client();
    owner = SERVER.newKey("owner");
    stranger = SERVER.newKey("stranger");
    expired = SERVER.server().newKey("owner", Instant.now().minusSeconds(60));
    JsonNode created =
        parse(client.post("/api/keys", "{\"name\":\"soon revoked\"}", "x-api-key", owner).body());
    revoked = created.path("key").asText();
    assertThat(
            client
                .delete("/api/keys/" + created.path("id").asText(), "x-api-key", owner)
                .statusCode())
        .isEqualTo(200);
    JsonNode ownerKey =
        parse(client.get("/api/keys", "x-api-key", owner).body()).path("keys").get(0);
    ownerKeyId = ownerKey.path("id").asText();
    ownerKeyPrefix = ownerKey.path("prefix").asText();
    chatId = newChatId();
    HttpResponse<String> turn =
        client.post("/api/chat", chatTurn(chatId, "secret owner text"), "x-api-key", owner);
    runId = turn.headers().firstValue("x-workflow-run-id").orElseThrow();
  }

  record Endpoint(String method, String path, String template, String body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("POST", "/api/chat", "/api/chat", chatTurn(chatId, "hi")),
        new Endpoint("GET", "/api/chat/" + chatId + "/stream", "/api/chat/{chatId}/stream", null),
        new Endpoint("POST", "/api/chat/" + chatId + "/stop", "/api/chat/{chatId}/stop", ""),
        new Endpoint(
            "POST",
            "/api/chat/runs",
            "/api/chat/runs",
            "{\"prompt\":\"hi\",\"chatId\":\"" + chatId + "\"}"),
        new Endpoint("GET", "/api/chat/runs/" + runId, "/api/chat/runs/{runId}", null),
        new Endpoint("GET", "/api/chats", "/api/chats", null),
        new Endpoint("GET", "/api/chats/" + chatId, "/api/chats/{chatId}", null),
        new Endpoint("DELETE", "/api/chats/" + chatId, "/api/chats/{chatId}", null),
        new Endpoint("GET", "/api/keys", "/api/keys", null),
        new Endpoint("POST", "/api/keys", "/api/keys", "{\"name\":\"x\"}"),
        new Endpoint("DELETE", "/api/keys/" + ownerKeyId, "/api/keys/{keyId}", null));
  }

  private static String jwt(RSAKey key, String issuer, String audience, String sub, long expIn) {
    Instant now = Instant.now();
    return "Bearer "
        + sign(
            key,
            claims(issuer, audience, sub, now.minusSeconds(5), now.plusSeconds(expIn)).build());
  }

  static Stream<Arguments> badCredentials() {
    Map<String, String[]> credentials = new java.util.LinkedHashMap<>();
    credentials.put("no credential", new String[0]);
    credentials.put(
        "both headers", new String[] {"x-api-key", owner, "Authorization", "Bearer " + owner});
    credentials.put("two x-api-key headers", new String[] {"x-api-key", owner, "x-api-key", owner});
    credentials.put("basic scheme", new String[] {"Authorization", "Basic " + owner});
    credentials.put("bearer without token", new String[] {"Authorization", "Bearer "});
    credentials.put("bearer garbage", new String[] {"Authorization", "Bearer not-a-key-or-jwt"});
    credentials.put("unknown key", new String[] {"x-api-key", "rpr_sk_unknown"});
    credentials.put(
        "unknown key of the right shape", new String[] {"x-api-key", "rpr_sk_" + "A".repeat(43)});
    credentials.put("unknown bearer", new String[] {"Authorization", "Bearer rpr_sk_unknown"});
    credentials.put("expired key", new String[] {"x-api-key", expired});
    credentials.put("revoked key", new String[] {"x-api-key", revoked});
    credentials.put("revoked key as bearer", new String[] {"Authorization", "Bearer " + revoked});
    credentials.put(
        "JWT with a bad signature",
        new String[] {"Authorization", jwt(ROGUE_KEY, ISSUER, AUDIENCE, "owner", 300)});
    credentials.put(
        "JWT from another issuer",
        new String[] {"Authorization", jwt(IDP_KEY, "https://evil.test/", AUDIENCE, "owner", 300)});
    credentials.put(
        "JWT for another audience",
        new String[] {"Authorization", jwt(IDP_KEY, ISSUER, "another-app", "owner", 300)});
    credentials.put(
        "expired JWT",
        new String[] {"Authorization", jwt(IDP_KEY, ISSUER, AUDIENCE, "owner", -30)});
    credentials.put(
        "JWT for an account that does not exist",
        new String[] {"Authorization", jwt(IDP_KEY, ISSUER, AUDIENCE, "nobody", 300)});
    credentials.put(
        "JWT in x-api-key",
        new String[] {"x-api-key", jwt(IDP_KEY, ISSUER, AUDIENCE, "owner", 300).substring(7)});
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      credentials.forEach((why, headers) -> cases.add(Arguments.of(endpoint, why, headers)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badCredentials")
  void bad_credentials_are_401_in_the_error_envelope(
      Endpoint endpoint, String why, String[] headers) {
    int ownerKeys = ownerKeyCount();
    HttpResponse<String> res =
        client.method(endpoint.method(), endpoint.path(), endpoint.body(), headers);
    assertThat(res.statusCode()).isEqualTo(401);
    CONTRACT.check(endpoint.method(), endpoint.template(), res);
    JsonNode body = parse(res.body());
    assertThat(body.path("status").asText()).isEqualTo("error");
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(res.body())
        .doesNotContain("secret owner text")
        .doesNotContain(chatId)
        .doesNotContain(ownerKeyId)
        .doesNotContain(ownerKeyPrefix);
    assertThat(chatStillThere()).isTrue();
    assertThat(ownerKeyCount()).isEqualTo(ownerKeys);
  }

  static Stream<Arguments> strangers() {
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      cases.add(Arguments.of(endpoint, "API key", "Bearer " + stranger));
      cases.add(Arguments.of(endpoint, "JWT", jwt(IDP_KEY, ISSUER, AUDIENCE, "stranger", 300)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with the stranger's {1}")
  @MethodSource("strangers")
  void another_accounts_chat_run_or_key_is_refused_and_nothing_leaks(
      Endpoint endpoint, String how, String authorization) {
    HttpResponse<String> res =
        client.method(
            endpoint.method(), endpoint.path(), endpoint.body(), "Authorization", authorization);
    int expected =
        switch (endpoint.template()) {
          case "/api/chats", "/api/keys" -> endpoint.method().equals("POST") ? 201 : 200;
          case "/api/chat/runs/{runId}", "/api/keys/{keyId}" -> 404;
          default -> 403;
        };
    assertThat(res.statusCode()).isEqualTo(expected);
    CONTRACT.check(endpoint.method(), endpoint.template(), res);
    assertThat(res.body())
        .doesNotContain("secret owner text")
        .doesNotContain(ownerKeyId)
        .doesNotContain(ownerKeyPrefix);
    if (endpoint.path().equals("/api/chats")) {
      assertThat(parse(res.body()).path("chats")).isEmpty();
    }
    assertThat(chatStillThere()).isTrue();
    assertThat(client.get("/api/keys", "x-api-key", owner).body()).contains(ownerKeyId);
  }

  @Test
  void a_jwt_of_the_owner_reaches_the_owners_chat() {
    HttpResponse<String> res =
        client.get(
            "/api/chats/" + chatId, "Authorization", jwt(IDP_KEY, ISSUER, AUDIENCE, "owner", 300));

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).contains("secret owner text");
  }

  private static boolean chatStillThere() {
    HttpResponse<String> res = client.get("/api/chats/" + chatId, "x-api-key", owner);
    return res.statusCode() == 200 && res.body().contains("secret owner text");
  }

  private static int ownerKeyCount() {
    return parse(client.get("/api/keys", "x-api-key", owner).body()).path("keys").size();
  }
}
