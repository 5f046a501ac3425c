package dev.reprise.stream;

/** One chunk of a stream: its index and its JSON text. */
public record LogEntry(long index, String data) {}
