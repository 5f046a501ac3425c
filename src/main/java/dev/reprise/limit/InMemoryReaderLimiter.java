package dev.reprise.limit;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Reader slots of a single node (embedded storage): counters in memory, gone with the process. */
public final class InMemoryReaderLimiter implements ReaderLimiter {
  private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

  @Override
  public Optional<Lease> tryAcquire(String accountId, int max) {
    AtomicBoolean taken = new AtomicBoolean();
    held.compute(
        accountId,
        (id, count) -> {
          int now = count == null ? 0 : count;
          if (now >= max) {
            return count;
          }
          taken.set(true);
          return now + 1;
        });
    if (!taken.get()) {
      return Optional.empty();
    }
    AtomicBoolean released = new AtomicBoolean();
    return Optional.of(
        () -> {
          if (released.compareAndSet(false, true)) {
            held.computeIfPresent(accountId, (id, count) -> count <= 1 ? null : count - 1);
          }
        });
  }

  @Override
  public int held(String accountId) {
    return held.getOrDefault(accountId, 0);
  }
}
