package dev.reprise.http;

import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.JwksServer.claims;
import static dev.reprise.testing.JwksServer.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.JwksServer;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.ServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST/GET/DELETE /api/keys, and accounts that bearer JWTs create on first sight. */
class KeysApiTest {
  private static final String ISSUER = "https://idp.example.test/";
  private static final String AUDIENCE = "reprise-api";
  private static final ECKey IDP_KEY = JwksServer.ecKey("es-1");
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.trustingJwts(
          IDP_KEY,
          ISSUER,
          AUDIENCE,
          Map.of("REPRISE_JWT_ACCOUNT_CLAIM", "email", "REPRISE_JWT_CREATE_ACCOUNTS", "true"));

  private static ApiClient client;

  @BeforeAll
  static void connect() {
    client = SERVER.client();
  }

  private static HttpResponse<String> checked(
      String method, String template, HttpResponse<String> res) {
    CONTRACT.check(method, template, res);
    return res;
  }

  @Test
  void a_created_key_shows_its_times_to_the_millisecond_as_every_other_response_does() {
    String key = SERVER.newKey("stamps");

    JsonNode created =
        parse(client.post("/api/keys", "{\"expiresIn\":\"PT12H\"}", "x-api-key", key).body());
    JsonNode listed = parse(client.get("/api/keys", "x-api-key", key).body()).path("keys").get(1);

    String millis = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    for (String field : new String[] {"createdAt", "expiresAt"}) {
      assertThat(created.path(field).asText()).as(field).matches(millis);
      assertThat(listed.path(field).asText()).as(field).isEqualTo(created.path(field).asText());
    }
  }

  @Test
  void a_created_key_is_shown_once_and_listed_without_its_secret() {
    String key = SERVER.newKey("lister");

    HttpResponse<String> created =
        checked(
            "POST",
            "/api/keys",
            client.post(
                "/api/keys", "{\"name\":\"laptop\",\"expiresIn\":\"P30D\"}", "x-api-key", key));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("cache-control")).contains("no-store");
    JsonNode body = parse(created.body());
    String newKey = body.path("key").asText();
    assertThat(newKey).matches("rpr_sk_[A-Za-z0-9_-]{43}");
    assertThat(body.path("prefix").asText()).isEqualTo(newKey.substring(0, 11));
    assertThat(Instant.parse(body.path("expiresAt").asText()))
        .isBetween(
            Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));

    HttpResponse<String> list =
        checked("GET", "/api/keys", client.get("/api/keys", "Authorization", "Bearer " + newKey));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(newKey).doesNotContain(newKey.substring(11));
    assertThat(parse(list.body()).path("keys")).hasSize(2);
    JsonNode listed = parse(list.body()).path("keys").get(1);
    assertThat(listed.path("id").asText()).isEqualTo(body.path("id").asText());
    assertThat(listed.path("name").asText()).isEqualTo("laptop");
    assertThat(listed.path("status").asText()).isEqualTo("active");
    assertThat(listed.has("lastUsedAt")).isTrue();
    assertThat(listed.has("key")).isFalse();
  }

  @Test
  void a_revoked_key_fails_on_the_very_next_request() {
    String key = SERVER.newKey("revoker");
    JsonNode created = parse(client.post("/api/keys", "", "x-api-key", key).body());
    String second = created.path("key").asText();
    assertThat(client.get("/api/chats", "x-api-key", second).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked =
        checked(
            "DELETE",
            "/api/keys/{keyId}",
            client.delete("/api/keys/" + created.path("id").asText(), "x-api-key", key));

    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(client.get("/api/chats", "x-api-key", second).statusCode()).isEqualTo(401);
    assertThat(client.get("/api/chats", "x-api-key", key).statusCode()).isEqualTo(200);
    JsonNode listed = parse(client.get("/api/keys", "x-api-key", key).body()).path("keys").get(1);
    assertThat(listed.path("status").asText()).isEqualTo("revoked");
    assertThat(listed.has("revokedAt")).isTrue();
  }

  @Test
  void a_key_can_revoke_itself_and_is_refused_right_after() {
    String key = SERVER.newKey("self-revoker");
    String id = parse(client.get("/api/keys", "x-api-key", key).body()).at("/keys/0/id").asText();

    assertThat(client.delete("/api/keys/" + id, "x-api-key", key).statusCode()).isEqualTo(200);

    assertThat(client.get("/api/keys", "x-api-key", key).statusCode()).isEqualTo(401);
  }

  @Test
  void unknown_malformed_or_another_accounts_key_ids_are_refused() {
    String key = SERVER.newKey("prober");
    String other = SERVER.newKey("victim");
    String victimId =
        parse(client.get("/api/keys", "x-api-key", other).body()).at("/keys/0/id").asText();

    assertThat(
            checked(
                    "DELETE",
                    "/api/keys/{keyId}",
                    client.delete("/api/keys/" + victimId, "x-api-key", key))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            checked(
                    "DELETE",
                    "/api/keys/{keyId}",
                    client.delete(
                        "/api/keys/00000000-0000-4000-8000-000000000000", "x-api-key", key))
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> malformed =
        checked("DELETE", "/api/keys/{keyId}", client.delete("/api/keys/nope", "x-api-key", key));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(parse(malformed.body()).path("missing_fields").get(0).asText()).isEqualTo("keyId");
    assertThat(client.get("/api/chats", "x-api-key", other).statusCode()).isEqualTo(200);
  }

  @Test
  void bad_key_requests_are_400_naming_the_field_and_create_nothing() {
    String key = SERVER.newKey("validator");
    String[][] cases = {
      {"{\"name\":\"\"}", "name"},
      {"{\"name\":\"" + "x".repeat(101) + "\"}", "name"},
      {"{\"name\":\"tab\\there\"}", "name"},
      {"{\"name\":42}", "name"},
      {"{\"expiresIn\":\"30 days\"}", "expiresIn"},
      {"{\"expiresIn\":\"-P1D\"}", "expiresIn"},
      {"{\"expiresIn\":\"P99999D\"}", "expiresIn"},
      {"{\"expiresAt\":\"tomorrow\"}", "expiresAt"},
      {"{\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "expiresAt"},
      {"{\"expiresAt\":\"2099-01-01T00:00:00Z\",\"expiresIn\":\"P1D\"}", "expiresAt"},
      {"[1,2]", null},
      {"{", null},
    };
    for (String[] c : cases) {
      HttpResponse<String> res =
          checked("POST", "/api/keys", client.post("/api/keys", c[0], "x-api-key", key));
      assertThat(res.statusCode()).as(c[0]).isEqualTo(400);
      if (c[1] != null) {
        assertThat(parse(res.body()).path("missing_fields").toString()).as(c[0]).contains(c[1]);
      }
    }
    assertThat(parse(client.get("/api/keys", "x-api-key", key).body()).path("keys")).hasSize(1);
  }

  @Test
  void a_jwt_for_a_new_email_creates_its_account_which_then_owns_its_keys() {
    Instant now = Instant.now();
    String token =
        "Bearer "
            + sign(
                IDP_KEY,
                claims(ISSUER, AUDIENCE, "sub-123", now, now.plusSeconds(300))
                    .claim("email", "new.user@example.test")
                    .build());

    HttpResponse<String> chats = client.get("/api/chats", "Authorization", token);
    HttpResponse<String> created = client.post("/api/keys", "{}", "Authorization", token);

    assertThat(chats.statusCode()).isEqualTo(200);
    assertThat(created.statusCode()).isEqualTo(201);
    String key = parse(created.body()).path("key").asText();
    assertThat(parse(client.get("/api/keys", "x-api-key", key).body()).path("keys")).hasSize(1);
    assertThat(
            parse(client.get("/api/keys", "Authorization", token).body()).at("/keys/0/id").asText())
        .isEqualTo(parse(created.body()).path("id").asText());
  }

  @Test
  void a_jwt_that_cannot_be_checked_because_the_jwks_is_down_is_503_and_keys_still_work() {
    java.net.URI gone;
    try (JwksServer down = JwksServer.start(IDP_KEY.toPublicJWK())) {
      gone = down.url();
    }
    try (RunningServer isolated =
        RunningServer.start(
            Map.of(
                "REPRISE_JWT_JWKS_URL", gone.toString(),
                "REPRISE_JWT_ISSUER", ISSUER,
                "REPRISE_JWT_AUDIENCE", AUDIENCE))) {
      Instant now = Instant.now();
      String token =
          "Bearer "
              + sign(IDP_KEY, claims(ISSUER, AUDIENCE, "x", now, now.plusSeconds(60)).build());

      HttpResponse<String> res = isolated.client().get("/api/chats", "Authorization", token);

      assertThat(res.statusCode()).isEqualTo(503);
      CONTRACT.check("GET", "/api/chats", res);
      assertThat(parse(res.body()).path("status").asText()).isEqualTo("error");
      String key = isolated.newKey("still-works");
      assertThat(isolated.client().get("/api/chats", "Authorization", "Bearer " + key).statusCode())
          .isEqualTo(200);
    }
  }
}
