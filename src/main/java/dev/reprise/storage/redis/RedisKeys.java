package dev.reprise.storage.redis;

import dev.reprise.stream.LogEntry;
import io.lettuce.core.StreamMessage;

/**
 * The Redis keys of a stream. The stream id is a hash tag, so that a stream's two keys share a slot
 * (Redis Cluster is not supported: a batch of appends touches the keys of several streams).
 */
record RedisKeys(String prefix) {

  /** The Redis stream holding the chunks, then the end marker. */
  String stream(String streamId) {
    return prefix + "s:{" + streamId + "}";
  }

  /** The hash holding created, tail and closed. */
  String meta(String streamId) {
    return prefix + "m:{" + streamId + "}";
  }

  /** Entry id of chunk {@code index}: ids start at 0-1, as Redis refuses 0-0. */
  static String entryId(long index) {
    return "0-" + (index + 1);
  }

  /** Chunk index of an entry id written by {@link #entryId}. */
  static long index(String entryId) {
    return Long.parseLong(entryId, entryId.indexOf('-') + 1, entryId.length(), 10) - 1;
  }

  /**
   * The chunk that an entry of a stream holds: field {@code d} is its JSON, and field {@code f}
   * marks the finish chunk. Null for the end marker.
   */
  static LogEntry chunk(StreamMessage<String, String> entry) {
    String data = entry.getBody().get("d");
    if (data == null) {
      return null;
    }
    return new LogEntry(index(entry.getId()), data, entry.getBody().containsKey("f"));
  }
}
