package dev.reprise.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Server-Sent Events as a client does: {@code id:} and {@code data:} lines, comments skipped.
 */
public final class SseEvents {
  /** One event: its id (null if none) and its data lines joined with "\n". */
  public record Event(String id, String data) {
    public boolean isDone() {
      return "[DONE]".equals(data);
    }
  }

  private final BufferedReader reader;
  private int comments;

  public SseEvents(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Parses a whole SSE body. */
  public static List<Event> parse(String body) {
    SseEvents events =
        new SseEvents(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    List<Event> all = new ArrayList<>();
    for (Event e = events.next(); e != null; e = events.next()) {
      all.add(e);
    }
    return all;
  }

  /** The data of every event but [DONE]. */
  public static List<String> chunks(String body) {
    return parse(body).stream().filter(e -> !e.isDone()).map(Event::data).toList();
  }

  /** The next event, or null at the end of the body. */
  public Event next() {
    try {
      String id = null;
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            return new Event(id, data.toString());
          }
          continue;
        }
        if (line.startsWith(":")) {
          comments++;
        } else if (line.startsWith("id:")) {
          id = value(line, 3);
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(value(line, 5));
        }
      }
      return data == null ? null : new Event(id, data.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many comment lines (heartbeats) were seen so far. */
  public int comments() {
    return comments;
  }

  private static String value(String line, int from) {
    String value = line.substring(from);
    return value.startsWith(" ") ? value.substring(1) : value;
  }
}
