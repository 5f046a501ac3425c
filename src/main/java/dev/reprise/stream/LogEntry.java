package dev.reprise.stream;

/**
 * One chunk of a stream: its index, its JSON text, and whether it is the {@code finish} chunk that
 * ends a run's stream. The flag is set by the writer, which knows what it appends, and stored with
 * the chunk: nothing reads it back out of the JSON.
 */
public record LogEntry(long index, String data, boolean finish) {}
