package dev.reprise.stream;

import java.util.List;

/**
 * One chunk of a stream: its index, its JSON text, and whether it is the {@code finish} chunk that
 * ends a run's stream. The flag is set by the writer, which knows what it appends, and stored with
 * the chunk: nothing reads it back out of the JSON.
 */
public record LogEntry(long index, String data, boolean finish) {

  /**
   * Returns the entries if their indexes follow one another.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static List<LogEntry> requireConsecutive(List<LogEntry> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException(
            "entries to append must have consecutive indexes: "
                + entries.get(i - 1).index()
                + " then "
                + entries.get(i).index());
      }
    }
    return entries;
  }
}
