package dev.reprise.stream;

import java.nio.charset.StandardCharsets;

/**
 * A chunk ready for the wire: its index, its SSE bytes (encoded once for every reader), and whether
 * it is the {@code finish} chunk that ends a run's stream. Its JSON is read back from those bytes.
 */
public final class Frame {
  private final long index;
  private final byte[] sse;
  private final boolean finish;
  // why: a mirror keeps up to a thousand frames of each live run, and every young collection copies
  // them; holding the data a second time, as a String beside its SSE bytes, was a third of those
  // bytes and an object and a half more per frame. Data on one line (every JSON chunk) is read
  // back from the bytes; only data with line breaks, split there over several data: lines, is
  // kept.
  private final String multiLine;

  private Frame(long index, byte[] sse, boolean finish, String multiLine) {
    this.index = index;
    this.sse = sse;
    this.finish = finish;
    this.multiLine = multiLine;
  }

  public static Frame of(LogEntry entry) {
    String data = entry.data();
    if (SseEncoder.isOneLine(data)) {
      return new Frame(
          entry.index(), SseEncoder.oneLineEvent(entry.index(), data), entry.finish(), null);
    }
    return new Frame(entry.index(), SseEncoder.event(entry.index(), data), entry.finish(), data);
  }

  public long index() {
    return index;
  }

  /** The chunk's JSON (or, in a Durable Stream, its text). */
  public String data() {
    if (multiLine != null) {
      return multiLine;
    }
    int start = SseEncoder.dataOffset(index);
    return new String(
        sse, start, sse.length - start - SseEncoder.EVENT_END, StandardCharsets.UTF_8);
  }

  /** The whole event, {@code id:} line and all; shared by every reader, never to be changed. */
  public byte[] sse() {
    return sse;
  }

  public boolean finish() {
    return finish;
  }

  @Override
  public String toString() {
    return "Frame[" + index + (finish ? ", finish" : "") + "]";
  }
}
