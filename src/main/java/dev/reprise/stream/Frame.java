package dev.reprise.stream;

/**
 * A chunk ready for the wire: its index, its JSON, its SSE bytes (encoded once for every reader),
 * and whether it is the {@code finish} chunk that ends a run's stream.
 */
public record Frame(long index, String data, byte[] sse, boolean finish) {
  private static final String FINISH_PREFIX = "{\"type\":\"finish\"";

  public static Frame of(long index, String data) {
    return new Frame(index, data, SseEncoder.event(index, data), data.startsWith(FINISH_PREFIX));
  }

  public static Frame of(LogEntry entry) {
    return of(entry.index(), entry.data());
  }
}
