package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.RunningServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What reprise adds to the Durable Streams protocol (the protocol itself is the conformance
 * suite's, DurableStreamsConformanceTest): streams belong to accounts, credentials or a capability
 * URL are needed, a capability does only what its scope allows, and limits answer in the error
 * envelope.
 */
class DurableStreamsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningServer server;
  private static ApiClient api;
  private static String alice;
  private static String bob;

  @BeforeAll
  static void start() {
    server =
        RunningServer.start(
            Map.of(
                "REPRISE_DS_MAX_STREAMS", "3",
                "REPRISE_DS_MAX_APPEND_BYTES", "2048",
                "REPRISE_DS_MAX_ACCOUNT_BYTES", "4096"));
    api = server.client();
    alice = server.newKey("alice");
    bob = server.newKey("bob");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String[] key(String key, String... more) {
    String[] headers = new String[more.length + 2];
    headers[0] = "x-api-key";
    headers[1] = key;
    System.arraycopy(more, 0, headers, 2, more.length);
    return headers;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String capability(String key, String scope) throws Exception {
    HttpResponse<String> minted =
        api.post(
            "/api/streams/capabilities",
            "{\"scope\":\"" + scope + "\",\"ttlSeconds\":600}",
            key(key, "content-type", "application/json"));
    assertThat(minted.statusCode()).isEqualTo(201);
    return json(minted).get("url").asText();
  }

  @Test
  void streams_need_credentials_and_belong_to_their_account() throws Exception {
    assertThat(
            api.method("PUT", "/ds/v1/stream/mine", "x", "content-type", "text/plain").statusCode())
        .isEqualTo(401);
    assertThat(
            api.method(
                    "PUT",
                    "/ds/v1/stream/same-name",
                    "alice's",
                    key(alice, "content-type", "text/plain"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            api.method(
                    "PUT",
                    "/ds/v1/stream/same-name",
                    "bob's",
                    key(bob, "content-type", "text/plain"))
                .statusCode())
        .isEqualTo(201);
    assertThat(api.get("/ds/v1/stream/same-name", key(alice)).body()).isEqualTo("alice's");
    assertThat(api.get("/ds/v1/stream/same-name", key(bob)).body()).isEqualTo("bob's");
    assertThat(api.method("DELETE", "/ds/v1/stream/same-name", null, key(bob)).statusCode())
        .isEqualTo(204);
    assertThat(api.get("/ds/v1/stream/same-name", key(alice)).statusCode()).isEqualTo(200);
  }

  @Test
  void a_capability_does_what_its_scope_allows_and_nothing_after_it_is_forged() throws Exception {
    api.method("PUT", "/ds/v1/stream/scoped", "a", key(alice, "content-type", "text/plain"));
    String read = capability(alice, "read");
    String append = capability(alice, "append");
    assertThat(api.get(read + "/v1/stream/scoped").body()).isEqualTo("a");
    HttpResponse<String> refused =
        api.post(read + "/v1/stream/scoped", "b", "content-type", "text/plain");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).get("status").asText()).isEqualTo("error");
    assertThat(
            api.post(append + "/v1/stream/scoped", "b", "content-type", "text/plain").statusCode())
        .isEqualTo(204);
    assertThat(api.method("DELETE", append + "/v1/stream/scoped", null).statusCode())
        .isEqualTo(403);
    assertThat(api.get(read + "/v1/stream/scoped").body()).isEqualTo("ab");
    String forged = read.substring(0, read.length() - 3) + "AAA";
    assertThat(api.get(forged + "/v1/stream/scoped").statusCode()).isEqualTo(401);
  }

  @Test
  void a_capability_asks_for_a_known_scope_and_a_bounded_lifetime() {
    assertThat(
            api.post(
                    "/api/streams/capabilities",
                    "{\"scope\":\"root\"}",
                    key(alice, "content-type", "application/json"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            api.post(
                    "/api/streams/capabilities",
                    "{\"ttlSeconds\":999999999}",
                    key(alice, "content-type", "application/json"))
                .statusCode())
        .isEqualTo(400);
    assertThat(api.post("/api/streams/capabilities", "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void limits_answer_413_and_429_in_the_error_envelope() throws Exception {
    String carol = server.newKey("carol");
    HttpResponse<String> big =
        api.method(
            "PUT", "/ds/v1/stream/big", "x".repeat(4096), key(carol, "content-type", "text/plain"));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json(big).get("message").asText()).contains("2048");
    for (int i = 0; i < 3; i++) {
      assertThat(api.method("PUT", "/ds/v1/stream/n" + i, null, key(carol)).statusCode())
          .isEqualTo(201);
    }
    HttpResponse<String> fourth = api.method("PUT", "/ds/v1/stream/n3", null, key(carol));
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(json(fourth).get("status").asText()).isEqualTo("error");
    assertThat(api.method("PUT", "/ds/v1/stream/n0", null, key(carol)).statusCode()).isEqualTo(200);
  }

  @Test
  void an_account_over_its_bytes_gets_429_and_its_data_stays_as_it_was() throws Exception {
    String dave = server.newKey("dave");
    String[] text = key(dave, "content-type", "text/plain");
    api.method("PUT", "/ds/v1/stream/full", null, text);
    assertThat(api.post("/ds/v1/stream/full", "a".repeat(2000), text).statusCode()).isEqualTo(204);
    assertThat(api.post("/ds/v1/stream/full", "b".repeat(2000), text).statusCode()).isEqualTo(204);
    HttpResponse<String> over = api.post("/ds/v1/stream/full", "c".repeat(2000), text);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(json(over).get("message").asText()).contains("4096");
    assertThat(api.get("/ds/v1/stream/full", key(dave)).body())
        .isEqualTo("a".repeat(2000) + "b".repeat(2000));
    HttpResponse<String> fork =
        api.method(
            "PUT",
            "/ds/v1/stream/full-fork",
            null,
            key(dave, "Stream-Forked-From", "/v1/stream/full"));
    assertThat(fork.statusCode()).as("a fork copies its source's data").isEqualTo(429);
    assertThat(api.method("HEAD", "/ds/v1/stream/full-fork", null, key(dave)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void malformed_protocol_headers_get_400_never_500() {
    String[][] bad = {
      {"Stream-TTL", "1.5"},
      {"Stream-TTL", "-1"},
      {"Stream-Expires-At", "tomorrow"},
      {"Stream-Fork-Sub-Offset", "1"},
      {"Stream-Forked-From", "/v1/stream/x", "Stream-Fork-Offset", "0,1"},
    };
    for (String[] headers : bad) {
      String[] all = new String[headers.length + 2];
      all[0] = "x-api-key";
      all[1] = alice;
      System.arraycopy(headers, 0, all, 2, headers.length);
      assertThat(api.method("PUT", "/ds/v1/stream/bad", null, all).statusCode())
          .as(String.join(" ", headers))
          .isEqualTo(400);
    }
    api.method("PUT", "/ds/v1/stream/bad-reads", "x", key(alice, "content-type", "text/plain"));
    assertThat(api.get("/ds/v1/stream/bad-reads?offset=abc", key(alice)).statusCode())
        .isEqualTo(400);
    assertThat(api.get("/ds/v1/stream/bad-reads?live=sse", key(alice)).statusCode()).isEqualTo(400);
    assertThat(
            api.post(
                    "/ds/v1/stream/bad-reads",
                    "x",
                    key(alice, "content-type", "text/plain", "Producer-Id", "p"))
                .statusCode())
        .isEqualTo(400);
    assertThat(api.method("PATCH", "/ds/v1/stream/bad-reads", "x", key(alice)).statusCode())
        .isEqualTo(405);
  }
}
