package dev.reprise.storage;

import dev.reprise.stream.StreamConflictException;

/**
 * What became of one append in a batch: appended, refused (with why), or failed with the storage
 * error that only this append met.
 */
public sealed interface AppendOutcome {
  /** The chunk is in the log. */
  record Appended() implements AppendOutcome {}

  /** The log refused the index: the stream is closed, unknown, or the index is not the next. */
  record Refused(String why) implements AppendOutcome {}

  /** The storage failed this append. */
  record Failed(StorageException failure) implements AppendOutcome {}

  AppendOutcome APPENDED = new Appended();

  static AppendOutcome refused(String why) {
    return new Refused(why);
  }

  static AppendOutcome failed(StorageException failure) {
    return new Failed(failure);
  }

  /** Returns if the chunk was appended; throws the conflict or the failure otherwise. */
  default void orThrow(String streamId, long index) {
    switch (this) {
      case Appended appended -> {}
      case Refused refused ->
          throw new StreamConflictException(
              "stream " + streamId + " refused index " + index + " (" + refused.why() + ")");
      case Failed failed ->
          throw new StorageException("append to " + streamId + " failed", failed.failure());
    }
  }
}
