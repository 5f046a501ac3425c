package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every backend must do with Durable Streams' state: keep it as written, serialise locked
 * changes of a stream (on every node), keep touch times monotonic, and find what has expired.
 */
public abstract class DsCatalogContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected abstract DsCatalog catalog();

  /**
   * The catalog as a second node sees it (its own node-local locks); on a backend that serves one
   * node, the same catalog.
   */
  protected DsCatalog secondNode() {
    return catalog();
  }

  private static DsMeta stream(String key, String account, Long ttl, String expiresAt) {
    return new DsMeta(
        key,
        account,
        key,
        "log-" + key,
        "text/plain",
        ttl,
        expiresAt,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        false,
        T0,
        T0);
  }

  private void insert(DsMeta meta) {
    catalog()
        .locked(
            List.of(meta.key()),
            tx -> {
              tx.insert(meta);
              return null;
            });
  }

  @Test
  void a_stream_reads_back_as_written_producers_and_closure_included() {
    DsMeta meta =
        stream("acc/a", "acc", null, null)
            .withSeq("0007")
            .withProducer("p1", new DsMeta.ProducerState(2, 9, T0))
            .closedBy(new DsMeta.ProducerTuple("p1", 2, 9));
    insert(meta);
    DsMeta read = catalog().find("acc/a").orElseThrow();
    assertThat(read).isEqualTo(meta);
    assertThat(read.producers())
        .containsExactlyEntriesOf(Map.of("p1", new DsMeta.ProducerState(2, 9, T0)));
    assertThat(catalog().find("acc/none")).isEmpty();
  }

  @Test
  void updates_and_deletes_inside_a_lock_are_what_others_see() {
    insert(stream("acc/b", "acc", null, null));
    catalog()
        .locked(
            List.of("acc/b"),
            tx -> {
              tx.update(tx.find("acc/b").orElseThrow().withRefCount(3));
              return null;
            });
    assertThat(catalog().find("acc/b").orElseThrow().refCount()).isEqualTo(3);
    catalog()
        .locked(
            List.of("acc/b"),
            tx -> {
              tx.delete("acc/b");
              return null;
            });
    assertThat(catalog().find("acc/b")).isEmpty();
  }

  @Test
  void locked_changes_of_one_stream_never_interleave_across_nodes() throws Exception {
    insert(stream("acc/c", "acc", null, null));
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      DsCatalog node = t % 2 == 0 ? catalog() : secondNode();
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < each; i++) {
                  node.locked(
                      List.of("acc/c", "acc/other"),
                      tx -> {
                        DsMeta now = tx.find("acc/c").orElseThrow();
                        tx.update(now.withRefCount(now.refCount() + 1));
                        return null;
                      });
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(catalog().find("acc/c").orElseThrow().refCount()).isEqualTo(threads * each);
  }

  @Test
  void a_touch_moves_the_sliding_ttl_forward_only() {
    insert(stream("acc/d", "acc", 10L, null));
    catalog().touch("acc/d", T0.plusSeconds(5));
    catalog().touch("acc/d", T0.plusSeconds(2));
    DsMeta read = catalog().find("acc/d").orElseThrow();
    assertThat(read.touchedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(read.expiry()).contains(T0.plusSeconds(15));
  }

  @Test
  void expired_lists_streams_past_their_ttl_or_expiry_and_nothing_else() {
    insert(stream("acc/ttl", "acc", 10L, null));
    insert(stream("acc/at", "acc", null, "2026-01-01T00:00:20Z"));
    insert(stream("acc/never", "acc", null, null));
    assertThat(catalog().expired(T0.plusSeconds(9), 10)).isEmpty();
    assertThat(catalog().expired(T0.plusSeconds(10), 10)).containsExactly("acc/ttl");
    assertThat(catalog().expired(T0.plusSeconds(30), 10))
        .containsExactlyInAnyOrder("acc/ttl", "acc/at");
    catalog().touch("acc/ttl", T0.plusSeconds(25));
    assertThat(catalog().expired(T0.plusSeconds(30), 10)).containsExactly("acc/at");
  }

  @Test
  void streams_are_counted_per_account() {
    insert(stream("one/a", "one", null, null));
    insert(stream("one/b", "one", null, null));
    insert(stream("two/a", "two", null, null));
    assertThat(catalog().countByAccount("one")).isEqualTo(2);
    assertThat(catalog().countByAccount("two")).isEqualTo(1);
    assertThat(catalog().countByAccount("three")).isZero();
  }
}
