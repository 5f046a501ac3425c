package dev.reprise.stream;

/** Where a stream stands: the index of its last chunk (-1 when empty), and whether it is closed. */
public record StreamInfo(long tailIndex, boolean closed) {}
