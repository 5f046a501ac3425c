package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Cluster;
import dev.reprise.testing.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many Durable Streams writers on PostgreSQL never run the connection pool dry: a stream's lock
 * holds a pool connection, and nothing inside it may wait for a second one. (Once, the account's
 * byte count was read inside the lock: with as many writers as connections, every append waited for
 * a connection that the others held, until the pool's timeout answered 503.)
 */
class DurableStreamsPoolTest {
  private static final int WRITERS = 24;
  private static final int APPENDS = 40;

  @Test
  void more_writers_than_pool_connections_all_get_their_appends_in() throws Exception {
    try (Cluster cluster =
        Cluster.start(1, TestRedis.url(), Map.of("REPRISE_DATABASE_POOL_SIZE", "4"))) {
      String key = cluster.createKey("pool");
      ApiClient api = cluster.client(0);
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Integer>>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        String path = "/ds/v1/stream/pool-" + w;
        writers.add(
            pool.submit(
                () -> {
                  List<Integer> statuses = new ArrayList<>();
                  statuses.add(
                      api.method("PUT", path, null, "x-api-key", key, "content-type", "text/plain")
                          .statusCode());
                  start.await();
                  for (int i = 0; i < APPENDS; i++) {
                    statuses.add(
                        api.post(path, "x" + i, "x-api-key", key, "content-type", "text/plain")
                            .statusCode());
                  }
                  return statuses;
                }));
      }
      start.countDown();
      for (Future<List<Integer>> writer : writers) {
        List<Integer> statuses = writer.get();
        assertThat(statuses.getFirst()).isEqualTo(201);
        assertThat(statuses.subList(1, statuses.size())).containsOnly(204);
      }
      pool.shutdown();
      assertThat(api.get("/ds/v1/stream/pool-0", "x-api-key", key).body())
          .startsWith("x0x1x2")
          .endsWith("x" + (APPENDS - 1));
    }
  }
}
