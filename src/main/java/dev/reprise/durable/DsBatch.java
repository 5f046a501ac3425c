package dev.reprise.durable;

import dev.reprise.stream.LogEntry;
import java.util.List;

/**
 * What one read returns: entries from the offset asked on, the offset after them, and where the
 * stream stands.
 *
 * @param upToDate the entries reach the stream's tail
 * @param closed the stream is closed and the entries reach its end
 */
public record DsBatch(List<LogEntry> entries, long next, boolean upToDate, boolean closed) {}
