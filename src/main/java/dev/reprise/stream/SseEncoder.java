package dev.reprise.stream;

import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing, the only place in reprise that writes it. Data with line breaks is
 * split into several {@code data:} lines (a client joins them back with "\n"), so no payload can
 * break the framing.
 */
public final class SseEncoder {
  public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
  public static final byte[] HEARTBEAT = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  private SseEncoder() {}

  /** What ends an event with one data line: its line break and the empty line. */
  static final int EVENT_END = 2;

  private static final byte[] DATA_FIELD = "data: ".getBytes(StandardCharsets.US_ASCII);

  /** An event with an {@code id:} line and the data. */
  public static byte[] event(long id, String data) {
    if (isOneLine(data)) {
      return oneLineEvent(id, data);
    }
    StringBuilder out = new StringBuilder(data.length() + 24);
    out.append("id: ").append(id).append('\n');
    appendData(out, data);
    out.append('\n');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #event(long, String)} of data that {@link #isOneLine is on one line}. */
  static byte[] oneLineEvent(long id, String data) {
    // why: every chunk of every run is encoded here once; bytes put together directly are one copy
    // of the data where a StringBuilder made three.
    byte[] idLine = ("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] text = data.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[idLine.length + DATA_FIELD.length + text.length + EVENT_END];
    System.arraycopy(idLine, 0, out, 0, idLine.length);
    System.arraycopy(DATA_FIELD, 0, out, idLine.length, DATA_FIELD.length);
    System.arraycopy(text, 0, out, idLine.length + DATA_FIELD.length, text.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  /** Whether the data fits on one {@code data:} line (has no line break). */
  static boolean isOneLine(String data) {
    return data.indexOf('\n') < 0 && data.indexOf('\r') < 0;
  }

  /** Where the data starts in {@link #event(long, String) event(id, data)} of one-line data. */
  static int dataOffset(long id) {
    return "id: ".length() + Long.toString(id).length() + 1 + DATA_FIELD.length;
  }

  /** An event with data only. */
  public static byte[] event(String data) {
    StringBuilder out = new StringBuilder(data.length() + 8);
    appendData(out, data);
    out.append('\n');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A comment line, which every SSE client ignores; {@code text} must not contain line breaks. */
  public static byte[] comment(String text) {
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an SSE comment cannot contain a line break");
    }
    return (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void appendData(StringBuilder out, String data) {
    int start = 0;
    int length = data.length();
    for (int i = 0; i < length; i++) {
      char c = data.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < length && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.append("data: ").append(data, start, length).append('\n');
  }
}
