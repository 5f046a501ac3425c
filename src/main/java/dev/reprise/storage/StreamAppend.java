package dev.reprise.storage;

import dev.reprise.stream.LogEntry;
import java.util.List;

/**
 * One append waiting in a stream log's group commit: consecutive entries of one stream, taken all
 * or none.
 */
public record StreamAppend(String streamId, List<LogEntry> entries) {}
