package dev.reprise.http;

import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A known path asked with a method it does not answer gets 405 and Allow; others keep 404. */
class MethodNotAllowedTest {
  private static final String CHAT = "6f1c2a7e-4b0d-4c8e-9a51-2d3e4f5a6b7c";

  @RegisterExtension static final ServerExtension SERVER = ServerExtension.withDefaults();

  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void connect() {
    client = SERVER.client();
    key = SERVER.server().newKey("methods");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PUT    | /api/chat                        | POST, OPTIONS",
        "GET    | /api/chat                        | POST, OPTIONS",
        "DELETE | /api/chat/runs                   | POST, OPTIONS",
        "PUT    | /api/chat/runs/wrun_x            | GET, HEAD, OPTIONS",
        "DELETE | /api/chat/" + CHAT + "/stream    | GET, HEAD, OPTIONS",
        "GET    | /api/chat/" + CHAT + "/stop      | POST, OPTIONS",
        "POST   | /api/chats/" + CHAT + "          | GET, HEAD, PATCH, DELETE, OPTIONS",
        "PUT    | /api/chats                       | GET, HEAD, OPTIONS",
        "PATCH  | /api/keys                        | GET, HEAD, POST, OPTIONS",
        "GET    | /api/keys/some-key               | DELETE, OPTIONS",
        "POST   | /api/models                      | GET, HEAD, OPTIONS",
        "PUT    | /health                          | GET, HEAD, OPTIONS",
        "POST   | /                                | GET, OPTIONS",
      })
  void a_wrong_method_on_a_known_path_is_405_with_allow_and_the_envelope(
      String method, String path, String allow) {
    HttpResponse<String> res = client.method(method, path, "{}", "x-api-key", key);

    assertThat(res.statusCode()).isEqualTo(405);
    assertThat(res.headers().firstValue("allow")).hasValue(allow);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(res.headers().firstValue("access-control-allow-origin")).hasValue("*");
    JsonNode body = parse(res.body());
    assertThat(body.path("status").asText()).isEqualTo("error");
    assertThat(body.path("message").asText()).contains(method).contains(allow.split(",")[0]);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "HEAD    | /api/chat      | 405",
        "HEAD    | /api/models    | 200",
        "OPTIONS | /api/chat      | 204",
        "OPTIONS | /api/anything  | 204",
      })
  void head_and_preflight_keep_working(String method, String path, int status) {
    HttpResponse<String> res = client.method(method, path, null, "x-api-key", key);

    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.body()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PUT  | /api/nothing-here",
        "GET  | /api/chat/x/y/z",
        "POST | /nowhere",
        "PUT  | /favicon.ico",
      })
  void an_unknown_path_is_still_404(String method, String path) {
    HttpResponse<String> res = client.method(method, path, "{}", "x-api-key", key);

    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.headers().firstValue("allow")).isEmpty();
    assertThat(parse(res.body()).path("status").asText()).isEqualTo("error");
  }
}
