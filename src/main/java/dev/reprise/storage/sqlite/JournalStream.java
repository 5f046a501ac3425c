package dev.reprise.storage.sqlite;

import dev.reprise.stream.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * What the embedded log keeps in memory of a stream it appends to: the tail, whether the stream is
 * closed, and the chunks that are durable in the journal but not yet moved to {@code stream_chunks}
 * (pending), which reads take from here. Changed only under the journal's lock; read by any thread.
 */
final class JournalStream {
  /** A pending chunk and its journal row. */
  record Journaled(long seq, LogEntry entry) {}

  private final String id;
  private volatile long tail;
  private volatile boolean closed;
  private final List<Journaled> pending = new ArrayList<>();
  private long pendingSincePass;
  private long lastAppendPass;

  JournalStream(String id, long tail, boolean closed, long pass) {
    this.id = id;
    this.tail = tail;
    this.closed = closed;
    this.lastAppendPass = pass;
  }

  String id() {
    return id;
  }

  long tail() {
    return tail;
  }

  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  synchronized void journaled(Journaled chunk, long pass) {
    if (pending.isEmpty()) {
      pendingSincePass = pass;
    }
    pending.add(chunk);
    lastAppendPass = pass;
    tail = chunk.entry().index();
  }

  /** Up to {@code limit} pending chunks from {@code fromIndex} on. */
  synchronized List<LogEntry> pendingFrom(long fromIndex, int limit) {
    if (pending.isEmpty()) {
      return List.of();
    }
    long first = pending.getFirst().entry().index();
    long skip = Math.max(0, fromIndex - first);
    if (skip >= pending.size()) {
      return List.of();
    }
    int from = (int) skip;
    int to = (int) Math.min(pending.size(), (long) from + limit);
    List<LogEntry> entries = new ArrayList<>(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      entries.add(pending.get(i).entry());
    }
    return entries;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  /** The journal row of the oldest pending chunk; {@link Long#MAX_VALUE} when none is pending. */
  synchronized long firstPendingSeq() {
    return pending.isEmpty() ? Long.MAX_VALUE : pending.getFirst().seq();
  }

  synchronized long pendingSincePass() {
    return pendingSincePass;
  }

  synchronized long lastAppendPass() {
    return lastAppendPass;
  }

  synchronized List<Journaled> oldestPending(int max) {
    return List.copyOf(pending.subList(0, Math.min(max, pending.size())));
  }

  /** The {@code count} oldest pending chunks are in {@code stream_chunks} now. */
  synchronized void moved(int count, long pass) {
    pending.subList(0, count).clear();
    pendingSincePass = pass;
  }
}
