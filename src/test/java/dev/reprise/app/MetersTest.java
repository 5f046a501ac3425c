package dev.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The node's registry as {@code GET /metrics} uses it: from a request's virtual thread. */
class MetersTest {
  private static final int SCRAPES = 20;
  // why: about 0.3 MB per scrape on a platform thread (the snapshots of every meter), 20 MB before.
  private static final long MOST_PER_SCRAPE = 2L * 1024 * 1024;

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  /**
   * On a virtual thread, the JDK's BufferedWriter starts at 512 chars and grows by copying itself
   * for each write that does not fit, up to 8,192: the Prometheus writer's many small writes made
   * every scrape allocate megabytes (80 MB/s of garbage under a load client that scrapes five times
   * a second, half of the node's allocations).
   */
  @Test
  void a_scrape_from_a_virtual_thread_allocates_well_under_megabytes() throws Exception {
    try (Meters meters = Meters.open()) {
      meters.scrape();
      AtomicReference<String> body = new AtomicReference<>();
      AtomicLong allocated = new AtomicLong();
      Thread.ofVirtual()
          .start(
              () -> {
                long before = allocatedBytes();
                for (int i = 0; i < SCRAPES; i++) {
                  body.set(meters.scrape());
                }
                allocated.set(allocatedBytes() - before);
              })
          .join();

      assertThat(body.get()).contains("jvm_memory_used_bytes");
      assertThat(allocated.get() / SCRAPES).isLessThan(MOST_PER_SCRAPE);
    }
  }
}
