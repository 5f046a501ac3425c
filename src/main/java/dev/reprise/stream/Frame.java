package dev.reprise.stream;

/**
 * A chunk ready for the wire: its index, its JSON, and its SSE bytes, encoded once for every
 * reader.
 */
public record Frame(long index, String data, byte[] sse) {

  public static Frame of(long index, String data) {
    return new Frame(index, data, SseEncoder.event(index, data));
  }

  public static Frame of(LogEntry entry) {
    return of(entry.index(), entry.data());
  }
}
