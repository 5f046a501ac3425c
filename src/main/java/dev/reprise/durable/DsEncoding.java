package dev.reprise.durable;

import dev.reprise.stream.LogEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How entries go on the wire: a catch-up body (a JSON array for JSON streams, the bytes as they are
 * otherwise) and the protocol's SSE events ({@code data}, then {@code control}).
 */
public final class DsEncoding {
  private DsEncoding() {}

  /** The body of a catch-up or long-poll response carrying {@code entries}. */
  public static byte[] body(DsView view, List<LogEntry> entries) {
    if (view.json()) {
      return jsonArray(view, entries).getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (LogEntry entry : entries) {
      out.writeBytes(DsContent.bytes(entry.data()));
    }
    return out.toByteArray();
  }

  /** The entries' JSON values as one array. */
  static String jsonArray(DsView view, List<LogEntry> entries) {
    StringBuilder array = new StringBuilder(64).append('[');
    for (LogEntry entry : entries) {
      String values = view.rawJson() ? entry.data() : DsContent.jsonValues(entry.data());
      if (values.isEmpty()) {
        continue;
      }
      if (array.length() > 1) {
        array.append(',');
      }
      array.append(values);
    }
    return array.append(']').toString();
  }

  /**
   * One SSE {@code data} event carrying {@code entries}: a JSON array, UTF-8 text, or Base64 for
   * any other content type. Every line break of the payload starts a new {@code data:} line, so no
   * payload can end the event early or forge one (CR, LF and CRLF alike).
   */
  public static byte[] dataEvent(DsView view, List<LogEntry> entries) {
    String payload;
    if (view.json()) {
      payload = jsonArray(view, entries);
    } else if (DsContent.isText(view.contentType())) {
      payload = new String(body(view, entries), StandardCharsets.UTF_8);
    } else {
      payload = Base64.getEncoder().encodeToString(body(view, entries));
    }
    return event("data", payload);
  }

  /** The {@code control} event after a data event (or alone): where the reader stands now. */
  public static byte[] controlEvent(long next, String cursor, boolean upToDate, boolean closed) {
    StringBuilder json = new StringBuilder(96);
    json.append("{\"streamNextOffset\":\"").append(DsOffset.of(next)).append('"');
    if (closed) {
      json.append(",\"streamClosed\":true");
    } else {
      json.append(",\"streamCursor\":\"").append(cursor).append('"');
      if (upToDate) {
        json.append(",\"upToDate\":true");
      }
    }
    return event("control", json.append('}').toString());
  }

  static byte[] event(String name, String payload) {
    StringBuilder sse = new StringBuilder(payload.length() + 32);
    sse.append("event: ").append(name).append('\n');
    int start = 0;
    int length = payload.length();
    for (int i = 0; i < length; i++) {
      char c = payload.charAt(i);
      if (c == '\r' || c == '\n') {
        sse.append("data:").append(payload, start, i).append('\n');
        if (c == '\r' && i + 1 < length && payload.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    sse.append("data:").append(payload, start, length).append("\n\n");
    return sse.toString().getBytes(StandardCharsets.UTF_8);
  }
}
