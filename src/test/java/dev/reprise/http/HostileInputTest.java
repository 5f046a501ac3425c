package dev.reprise.http;

import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input against a real server: random and malformed bodies, path ids, query values and
 * headers. Never a 5xx, never a hang (every request has a bounded timeout), every refusal in the
 * error envelope, and a refused request changes nothing (the caller's chats and keys read the same
 * before and after).
 */
class HostileInputTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String[] WRITE_PATHS = {
    "/api/chat", "/api/chat/runs", "/api/keys",
  };

  private static RunningServer server;
  private static HttpClient http;
  private static String key;
  private static String chatId;

  @BeforeContainer
  static void start() {
    server =
        RunningServer.start(
            Map.of(
                "REPRISE_LIMIT_RUNS_PER_MINUTE", "100000",
                "REPRISE_LIMIT_LIVE_RUNS", "1000",
                "REPRISE_MAX_BODY_BYTES", "65536"));
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    key = server.newKey("fuzzed");
    chatId = UUID.randomUUID().toString();
    HttpResponse<String> turn =
        send("POST", "/api/chat", dev.reprise.testing.Bodies.chatTurn(chatId, "seed"), Map.of());
    assertThat(turn.statusCode()).isEqualTo(200);
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("x-api-key") && !headers.containsKey("Authorization")) {
      request.header("x-api-key", key);
    }
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a refused request must not have changed. Taken once no run is live: a body that was
   * accepted earlier may still be streaming, and its run ending is not the refused request's doing.
   */
  private static String state() {
    org.awaitility.Awaitility.await()
        .pollDelay(java.time.Duration.ZERO)
        .pollInterval(java.time.Duration.ofMillis(5))
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                !send("GET", "/api/chats", null, Map.of()).body().contains("\"isStreaming\":true"));
    return send("GET", "/api/chats", null, Map.of()).body()
        // why: a key's last use is recorded once a minute by any request, refused or not.
        + send("GET", "/api/keys", null, Map.of())
            .body()
            .replaceAll("\"lastUsedAt\":\"[^\"]*\"", "")
        + send("GET", "/api/chats/" + chatId, null, Map.of()).body();
  }

  private static void assertHandled(HttpResponse<String> res, String before) {
    assertThat(res.statusCode()).as(res.body()).isBetween(200, 499);
    if (res.statusCode() >= 400) {
      JsonNode body = parse(res.body());
      assertThat(body.path("status").asText()).isEqualTo("error");
      assertThat(body.path("message").isTextual()).isTrue();
      assertThat(state()).isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "null",
            "true",
            "1e999999",
            "-0",
            "\"messages\"",
            "\"prompt\"",
            "\"id\"",
            "\"chatId\"",
            "\"role\"",
            "\"user\"",
            "\"parts\"",
            "\"type\"",
            "\"text\"",
            "\"name\"",
            "\"expiresIn\"",
            "\"expiresAt\"",
            "\"P1D\"",
            "\"" + UUID.randomUUID() + "\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"😀\"",
            "[[[[[[",
            "{\"a\":",
            "\"model\"",
            "\"offline\"",
            "\"trigger\"",
            "\"regenerate-message\"");
    Arbitrary<String> structured =
        Combinators.combine(
                Arbitraries.of("messages", "prompt", "id", "chatId", "name", "expiresIn", "model"),
                Arbitraries.oneOf(
                    Arbitraries.strings().ofMaxLength(40).map(s -> "\"" + escape(s) + "\""),
                    Arbitraries.integers().map(Object::toString),
                    Arbitraries.of("null", "[]", "{}", "[{}]", "[null]", "true", "[{\"id\":1}]")))
            .as((k, v) -> "{\"" + k + "\":" + v + "}");
    Arbitrary<String> nested =
        Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
    return Arbitraries.oneOf(
        fragments.list().ofMaxSize(30).map(l -> String.join("", l)),
        structured,
        nested,
        Arbitraries.strings().ofMaxLength(200));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Property(tries = 150)
  void random_bodies_are_refused_cleanly(
      @ForAll("jsonish") String body, @ForAll("writePath") String path) {
    String before = state();

    assertHandled(send("POST", path, body, Map.of("Content-Type", "application/json")), before);
  }

  @Provide
  Arbitrary<String> writePath() {
    return Arbitraries.of(WRITE_PATHS);
  }

  @Provide
  Arbitrary<String> pathId() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().withCharRange('0', 'z').ofMaxLength(40),
        Arbitraries.of(
            "..",
            "%2e%2e",
            "wrun_",
            "wrun_01KVWZNM82NA7XKNEWWHG8VPHJ",
            "00000000-0000-0000-0000-000000000000",
            "%00",
            "%ff%fe",
            "a%2Fb",
            chatIdPlaceholder()));
  }

  private static String chatIdPlaceholder() {
    return "CHAT";
  }

  @Property(tries = 200)
  void random_path_ids_never_fail_the_server(
      @ForAll("pathId") String raw, @ForAll("template") String template) {
    String id = raw.equals("CHAT") ? chatId : URLEncoder.encode(raw, StandardCharsets.UTF_8);
    String[] parts = template.split(" ");
    String before = state();

    assertHandled(
        send(parts[0], parts[1].replace("{id}", id), parts[0].equals("POST") ? "" : null, Map.of()),
        before);
  }

  @Provide
  Arbitrary<String> template() {
    return Arbitraries.of(
        "GET /api/chat/{id}/stream",
        "POST /api/chat/{id}/stop",
        "GET /api/chat/runs/{id}",
        "GET /api/chats/{id}",
        "DELETE /api/keys/{id}");
  }

  @Property(tries = 150)
  void random_query_values_and_last_event_ids_are_refused_cleanly(
      @ForAll("queryValue") String value, @ForAll boolean asHeader) {
    String before = state();
    HttpResponse<String> res =
        asHeader && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
            ? send("GET", "/api/chat/" + chatId + "/stream", null, Map.of("Last-Event-ID", value))
            : send(
                "GET",
                "/api/chat/"
                    + chatId
                    + "/stream?startIndex="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8),
                null,
                Map.of());

    assertHandled(res, before);
  }

  @Provide
  Arbitrary<String> queryValue() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.longs().map(Object::toString),
        Arbitraries.of(
            "",
            " ",
            "-0",
            "1e3",
            "9223372036854775808",
            "-9223372036854775808",
            "0x10",
            // why: indexes whose int cast wraps negative once made the server copy billions of
            // frames (an OutOfMemoryError); kept as explicit samples.
            "8642310191421226634",
            "2147483648",
            "4294967296",
            "9223372036854775806"));
  }

  /** Raw header lines, sent byte for byte on a socket: the JDK client would refuse most of them. */
  @Property(tries = 150)
  void random_header_lines_never_fail_the_server(
      @ForAll("headerName") String name, @ForAll("headerValue") byte[] value) throws IOException {
    String before = state();
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        ("GET /api/chats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + name + ": ")
            .getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(value);
    request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

    String response = raw(request.toByteArray());

    assertThat(response).startsWith("HTTP/1.1 ");
    int status = Integer.parseInt(response.substring(9, 12));
    assertThat(status).as(response).isBetween(200, 499);
    if (status >= 400) {
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertThat(body).as(response).contains("\"status\":\"error\"");
    }
    assertThat(state()).isEqualTo(before);
  }

  @Provide
  Arbitrary<String> headerName() {
    return Arbitraries.of(
        "x-api-key",
        "Authorization",
        "Last-Event-ID",
        "Content-Type",
        "Content-Length",
        "Transfer-Encoding",
        "X-Junk");
  }

  @Provide
  Arbitrary<byte[]> headerValue() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings()
            .ofMaxLength(100)
            .map(s -> ("Bearer " + s).getBytes(StandardCharsets.UTF_8)),
        Arbitraries.of(
                "Bearer rpr_sk_",
                "Bearer eyJhbGciOiJub25lIn0.e30.",
                "Bearer a.b.c",
                "-1",
                "chunked",
                "99999999999999999999",
                "Basic " + key,
                key + "\r\nx-api-key: " + key)
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Sends {@code request} and reads one response: its head, then Content-Length bytes of body.
   * (Helidon answers {@code Connection: close} but may leave the socket open, so reading to the end
   * of the stream could wait for the idle timeout.)
   */
  private static String raw(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      int port = URI.create(server.baseUrl()).getPort();
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return head.toString(StandardCharsets.UTF_8);
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      java.util.regex.Matcher length =
          java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(headers);
      byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
      return headers + new String(body, StandardCharsets.UTF_8);
    }
  }
}
