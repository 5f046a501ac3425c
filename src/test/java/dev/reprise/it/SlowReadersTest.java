package dev.reprise.it;

import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that open a stream and never read it. Readers share the stream's frames, so a stuck one
 * costs no buffer of its own and cannot slow the others; the write timeout then cuts it off, which
 * gives its reader slot back. Prints the measurements (see docs/security.md).
 */
class SlowReadersTest {
  private static final int STUCK = 20;
  // why: about 10 MiB of stream, more than a socket's send and receive buffers can absorb (Linux
  // autotunes the send buffer up to tcp_wmem's 4 MiB), so the stuck readers' writes really block.
  // 5 MiB was not always enough once a reader wrote the chunks that a run's writer appended
  // together in a few large writes: the buffers then hold nearly their size in payload.
  private static final int WORDS = 30_000;
  private static final int WORD_LENGTH = 300;

  private static RunningServer server;
  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void start() {
    server =
        RunningServer.start(
            Map.of(
                "REPRISE_OFFLINE_DELAY_MS",
                "0",
                // why: the test needs a stream larger than what the sockets' buffers hold, so that
                // a
                // stuck reader's writer blocks; merged deltas make the same answer a third smaller.
                "REPRISE_COALESCE_MS",
                "off",
                "REPRISE_STREAM_WRITE_TIMEOUT",
                "5s",
                "REPRISE_LIMIT_STREAM_READERS",
                Integer.toString(STUCK + 1),
                "REPRISE_MAX_BODY_BYTES",
                Integer.toString(16 << 20),
                "REPRISE_LIMIT_MESSAGE_BYTES",
                Integer.toString(16 << 20)));
    client = server.client();
    key = server.newKey("slow");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A headless run whose stream is about 10 MiB; returns its chat id. */
  private static String bigRun() {
    String prompt = ("w".repeat(WORD_LENGTH) + " ").repeat(WORDS).strip();
    HttpResponse<String> res =
        client.post(
            "/api/chat/runs",
            Bodies.JSON.createObjectNode().put("prompt", prompt).toString(),
            "x-api-key",
            key);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    return parse(res.body()).path("chatId").asText();
  }

  // why: from index 0, not a bare resume: on a loaded machine a request can be handled after the
  // run has ended, and a bare resume of an ended run is a 204 (seen with the JVM on one busy core).
  private static HttpResponse<InputStream> open(String chatId) {
    HttpResponse<InputStream> res =
        client.open("GET", "/api/chat/" + chatId + "/stream?startIndex=0", null, "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    return res;
  }

  /** Reads an opened stream to its end; returns how long it took since {@code start}. */
  private static Duration readFully(HttpResponse<InputStream> res, long start) throws IOException {
    String body;
    try (InputStream in = res.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("\"finish\"").endsWith("data: [DONE]\n\n");
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** A connection that asks for the stream and never reads a byte of the answer. */
  private static Socket stuckReader(String chatId) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(
        new InetSocketAddress("127.0.0.1", URI.create(server.baseUrl()).getPort()), 5000);
    socket
        .getOutputStream()
        .write(
            ("GET /api/chat/"
                    + chatId
                    + "/stream?startIndex=0 HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                    + key
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void readers_that_never_read_neither_slow_others_nor_hold_memory_and_are_cut_off()
      throws Exception {
    long alone = System.nanoTime();
    Duration baseline = readFully(open(bigRun()), alone);
    long heapBefore = usedHeapAfterGc();

    String chatId = bigRun();
    List<Socket> stuck = new ArrayList<>();
    for (int i = 0; i < STUCK; i++) {
      stuck.add(stuckReader(chatId));
    }
    long start = System.nanoTime();
    HttpResponse<InputStream> normal = open(chatId);
    HttpResponse<String> overLimit =
        client.get("/api/chat/" + chatId + "/stream?startIndex=-1", "x-api-key", key);
    Duration withStuck = readFully(normal, start);
    long heapDuring = usedHeapAfterGc();

    System.out.printf(
        "slow readers: normal reader %d ms alone, %d ms next to %d stuck readers;"
            + " heap %d MiB -> %d MiB%n",
        baseline.toMillis(), withStuck.toMillis(), STUCK, heapBefore >> 20, heapDuring >> 20);
    assertThat(withStuck).isLessThan(baseline.multipliedBy(3).plusSeconds(2));
    assertThat(heapDuring - heapBefore).isLessThan(64L << 20);
    assertThat(overLimit.statusCode()).as("the stuck readers hold their slots").isEqualTo(429);

    // why: draining a stuck socket would unstick its writer; first wait until the write timeout
    // has cut them off, which shows as their reader slots coming back (the held stream takes the
    // last free one, so any further stream is a 429 until then).
    long cutAt = System.nanoTime();
    HttpResponse<InputStream> held =
        client.open("GET", "/api/chat/" + chatId + "/stream?startIndex=0", null, "x-api-key", key);
    assertThat(held.statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .get("/api/chat/" + chatId + "/stream?startIndex=-1", "x-api-key", key)
                        .statusCode()
                    == 200);
    System.out.printf(
        "slow readers: slots back %d ms after the normal reader ended%n",
        Duration.ofNanos(System.nanoTime() - cutAt).toMillis());
    held.body().close();
    for (Socket socket : stuck) {
      String received = drain(socket);
      assertThat(received).startsWith("HTTP/1.1 200").doesNotContain("[DONE]");
    }
  }

  /** Reads what the server had sent until it closed the connection. */
  private static String drain(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (socket) {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // the end of a cut-off reader's connection: a reset (see CutOffReaderTest)
    }
    return received.toString(StandardCharsets.UTF_8);
  }
}
