package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Fifty readers of one fast run, each joining at a random point of the stream (the moment the first
 * reader has seen a chosen chunk), all get the identical, complete sequence: nothing skipped,
 * nothing repeated.
 */
class ManyReadersTest {
  private static final int READERS = 50;

  @Test
  void fifty_readers_joining_at_random_moments_receive_the_identical_complete_sequence()
      throws Exception {
    try (RunningServer server =
            RunningServer.start(
                Map.of("REPRISE_OFFLINE_DELAY_MS", "1", "REPRISE_LIMIT_STREAM_READERS", "100"));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      ApiClient client = server.client();
      String key = server.newKey("fan-out");
      String chatId = newChatId();
      HttpResponse<InputStream> post =
          client.open("POST", "/api/chat", chatTurn(chatId, "fan ".repeat(400)), "x-api-key", key);
      SseEvents first = new SseEvents(post.body());

      Random random = new Random(42);
      List<Integer> joinAt = new ArrayList<>();
      List<CountDownLatch> gates = new ArrayList<>();
      List<Future<List<SseEvents.Event>>> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        joinAt.add(random.nextInt(400));
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        readers.add(pool.submit(() -> read(client, key, chatId, gate)));
      }

      List<SseEvents.Event> reference = new ArrayList<>();
      for (SseEvents.Event e = first.next(); e != null; e = first.next()) {
        reference.add(e);
        for (int i = 0; i < READERS; i++) {
          if (joinAt.get(i) == reference.size()) {
            gates.get(i).countDown();
          }
        }
      }
      gates.forEach(CountDownLatch::countDown);

      assertThat(
              types(reference.stream().filter(e -> !e.isDone()).map(SseEvents.Event::data).toList())
                  .getLast())
          .isEqualTo("finish");
      for (Future<List<SseEvents.Event>> reader : readers) {
        assertThat(reader.get()).isEqualTo(reference);
      }
    }
  }

  /** Joins when the gate opens: the live run from chunk 0, or its replay if it already ended. */
  private static List<SseEvents.Event> read(
      ApiClient client, String key, String chatId, CountDownLatch gate)
      throws InterruptedException {
    gate.await();
    HttpResponse<String> res =
        client.get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key);
    return SseEvents.parse(res.body());
  }
}
