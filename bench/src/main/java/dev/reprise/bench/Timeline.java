package dev.reprise.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency by when the chunk was emitted, in half-second slots from a start: it shows whether a
 * tail comes from one moment (the start burst, a pause) or from the whole run. Not thread-safe:
 * the load client records from its one selector thread.
 */
final class Timeline {
  private static final int SLOTS = 120;
  private static final long SLOT_MICROS = 500_000;

  private final long originMicros;
  private final Histogram[] slots = new Histogram[SLOTS];

  /** {@code originMicros}: wall-clock microseconds, the clock of the chunks' emission stamps. */
  Timeline(long originMicros) {
    this.originMicros = originMicros;
  }

  void record(long emitMicros, long latencyMicros) {
    int slot = (int) Math.min(SLOTS - 1, Math.max(0, (emitMicros - originMicros) / SLOT_MICROS));
    if (slots[slot] == null) {
      slots[slot] = new Histogram(3_600_000_000L, 2);
    }
    slots[slot].recordValue(Math.max(0, latencyMicros));
  }

  /** One line: each slot as {@code index:count/p99 ms}. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder("timeline (half-second: count p99 ms):");
    for (int i = 0; i < SLOTS; i++) {
      if (slots[i] != null) {
        line.append(
            String.format(
                " %d:%d/%.0f",
                i, slots[i].getTotalCount(), slots[i].getValueAtPercentile(99) / 1e3));
      }
    }
    return line.toString();
  }
}
