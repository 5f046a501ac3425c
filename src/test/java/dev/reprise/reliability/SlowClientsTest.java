package dev.reprise.reliability;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.RawHttp;
import dev.reprise.testing.ServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that sends too slowly, or stops, loses its connection (REPRISE_HTTP_READ_TIMEOUT,
 * REPRISE_HTTP_IDLE_TIMEOUT) without a 5xx; a client that reads a long answer keeps it.
 */
class SlowClientsTest {
  private static final Duration READ_TIMEOUT = Duration.ofMillis(600);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  // why: generous bounds for a loaded machine; without the timeouts these waits are 60-90 s.
  private static final Duration CLOSED_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(
          Map.of(
              "REPRISE_HTTP_READ_TIMEOUT", READ_TIMEOUT.toMillis() + "ms",
              "REPRISE_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s",
              "REPRISE_OFFLINE_DELAY_MS", "20"));

  private static RawHttp connect() {
    return new RawHttp(SERVER.server().port(), CLOSED_WITHIN);
  }

  @Test
  void headers_that_stop_coming_close_the_connection_without_an_answer_in_5xx() {
    try (RawHttp client = connect()) {
      client.send("GET /health HTTP/1.1\r\nHost: reprise\r\nAccept: appl");
      assertThat(RawHttp.statuses(client.rest(CLOSED_WITHIN))).allMatch(status -> status < 500);
      assertThat(client.closedWithin(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void a_body_that_stops_coming_closes_the_connection_without_an_answer_in_5xx() {
    String key = SERVER.newKey("stalled-body");
    byte[] body = chatTurn(newChatId(), "never finished").getBytes(StandardCharsets.UTF_8);
    try (RawHttp client = connect()) {
      client.send(
          "POST /api/chat HTTP/1.1\r\nHost: reprise\r\nx-api-key: "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + "\r\n\r\n");
      client.send(java.util.Arrays.copyOf(body, body.length / 2));
      assertThat(RawHttp.statuses(client.rest(CLOSED_WITHIN))).allMatch(status -> status < 500);
      assertThat(client.closedWithin(Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void a_request_line_trickled_below_the_read_timeout_is_cut_at_the_idle_timeout()
      throws InterruptedException {
    byte[] line = "GET /health HTTP/1.1\r\n".repeat(50).getBytes(StandardCharsets.ISO_8859_1);
    try (RawHttp client = connect()) {
      long started = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < line.length && !closed; i++) {
        client.send(new byte[] {line[i]});
        // why: the trickle itself is the scenario: each byte comes well inside the read timeout.
        closed = client.closedWithin(READ_TIMEOUT.dividedBy(3));
      }
      assertThat(closed).as("closed before the whole request line came").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(IDLE_TIMEOUT.plus(CLOSED_WITHIN));
    } catch (java.io.UncheckedIOException e) {
      // a write after the server closed the connection: cut, as wanted
    }
  }

  @Test
  void an_answer_that_streams_longer_than_the_idle_timeout_is_not_cut() {
    String key = SERVER.newKey("patient-reader");
    String text = "word ".repeat(150).strip();
    byte[] body = chatTurn(newChatId(), text).getBytes(StandardCharsets.UTF_8);
    try (RawHttp client = new RawHttp(SERVER.server().port(), Duration.ofSeconds(30))) {
      client.send(
          "POST /api/chat HTTP/1.1\r\nHost: reprise\r\nx-api-key: "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + "\r\n\r\n");
      client.send(body);
      long started = System.nanoTime();
      RawHttp.Response answer = client.read("POST");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(IDLE_TIMEOUT);
      assertThat(answer.text()).contains("\"type\":\"finish\"", "data: [DONE]");
    }
  }
}
