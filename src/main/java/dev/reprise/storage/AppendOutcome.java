package dev.reprise.storage;

import dev.reprise.stream.StreamConflictException;

/**
 * What became of one append in a batch: appended, refused (with why), or failed with the storage
 * error that only this append met.
 */
public record AppendOutcome(String refusal, StorageException failure) {
  public static final AppendOutcome APPENDED = new AppendOutcome(null, null);

  public static AppendOutcome refused(String why) {
    return new AppendOutcome(why, null);
  }

  public static AppendOutcome failed(StorageException failure) {
    return new AppendOutcome(null, failure);
  }

  /** Returns if the chunk was appended; throws the conflict or the failure otherwise. */
  public void orThrow(String streamId, long index) {
    if (failure != null) {
      throw new StorageException("append to " + streamId + " failed", failure);
    }
    if (refusal != null) {
      throw new StreamConflictException(
          "stream " + streamId + " refused index " + index + " (" + refusal + ")");
    }
  }
}
