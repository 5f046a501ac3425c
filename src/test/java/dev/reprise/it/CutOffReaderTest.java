package dev.reprise.it;

import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reader cut off by the write timeout loses its connection at once: what the server still had
 * queued for it is dropped. Closed gracefully instead, the connection outlived the cut as an
 * orphaned socket that kept megabytes queued for minutes and ended only once the stalled client had
 * read them all, at the pace of its receive window.
 */
class CutOffReaderTest {
  // why: a stream of about 5 MiB, more than the server's send buffer (autotuned up to tcp_wmem's 4
  // MiB) and the client's receive buffer hold, so the writer really blocks.
  private static final int WORDS = 30_000;
  // why: ~2.8 MiB were queued when the connection was closed gracefully; a reset leaves the client
  // only what its 4 KiB receive buffer held.
  private static final int AT_MOST_AFTER_CUT = 512 << 10;

  private static RunningServer server;
  private static String key;

  @BeforeAll
  static void start() {
    server =
        RunningServer.start(
            Map.of(
                "REPRISE_OFFLINE_DELAY_MS", "0",
                "REPRISE_STREAM_WRITE_TIMEOUT", "1s",
                "REPRISE_LIMIT_STREAM_READERS", "1",
                "REPRISE_MAX_BODY_BYTES", Integer.toString(8 << 20),
                "REPRISE_LIMIT_MESSAGE_BYTES", Integer.toString(8 << 20)));
    key = server.newKey("cut-off");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_reader_cut_off_for_not_reading_is_reset_without_the_rest_of_its_stream() throws Exception {
    String chatId = bigRun();
    try (Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      stuck
          .getOutputStream()
          .write(
              ("GET /api/chat/"
                      + chatId
                      + "/stream?startIndex=0 HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                      + key
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      stuck.setSoTimeout(30_000);
      InputStream in = stuck.getInputStream();
      // why: the status line shows that the stream holds the account's only reader slot; reading
      // it takes a few bytes of the receive buffer and leaves the writer blocked.
      assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  server
                          .client()
                          .get("/api/chat/" + chatId + "/stream?startIndex=-1", "x-api-key", key)
                          .statusCode()
                      == 200);

      assertResetWithLittleLeft(in);
    }
  }

  @Test
  void a_durable_streams_sse_reader_that_stops_reading_is_cut_off_too() throws Exception {
    String chunk = "d".repeat(1 << 20);
    String text = "content-type";
    assertThat(
            server
                .client()
                .method("PUT", "/ds/v1/stream/big", null, "x-api-key", key, text, "text/plain")
                .statusCode())
        .isEqualTo(201);
    for (int i = 0; i < 6; i++) {
      server.client().post("/ds/v1/stream/big", chunk, "x-api-key", key, text, "text/plain");
    }
    double before = cutOffs();
    try (Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      stuck
          .getOutputStream()
          .write(
              ("GET /ds/v1/stream/big?offset=-1&live=sse HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                      + key
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      stuck.setSoTimeout(30_000);
      InputStream in = stuck.getInputStream();
      assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
      await().atMost(Duration.ofSeconds(30)).until(() -> cutOffs() > before);
      assertResetWithLittleLeft(in);
    }
  }

  /** Reads to the end: the connection must be reset, with little of the stream still delivered. */
  private static void assertResetWithLittleLeft(InputStream in) throws IOException {
    long received = 0;
    String end = "end of stream";
    try {
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received += n;
      }
    } catch (SocketException e) {
      end = e.getMessage();
    }
    assertThat(end).isEqualTo("Connection reset");
    assertThat(received).isLessThan(AT_MOST_AFTER_CUT);
  }

  private static double cutOffs() {
    String metrics = server.client().get("/metrics").body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("reprise_readers_cut_total "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  private static String bigRun() {
    String prompt = ("w".repeat(120) + " ").repeat(WORDS).strip();
    HttpResponse<String> res =
        server
            .client()
            .post(
                "/api/chat/runs",
                Bodies.JSON.createObjectNode().put("prompt", prompt).toString(),
                "x-api-key",
                key);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    return parse(res.body()).path("chatId").asText();
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().strip();
  }
}
