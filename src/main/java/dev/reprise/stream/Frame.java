package dev.reprise.stream;

/**
 * A chunk ready for the wire: its index, its JSON, its SSE bytes (encoded once for every reader),
 * and whether it is the {@code finish} chunk that ends a run's stream.
 */
public record Frame(long index, String data, byte[] sse, boolean finish) {

  public static Frame of(LogEntry entry) {
    return new Frame(
        entry.index(), entry.data(), SseEncoder.event(entry.index(), entry.data()), entry.finish());
  }
}
