package dev.reprise.stream;

/**
 * An append of several entries ({@link StreamLog#appendAll}) that stopped: the first {@link
 * #appended} entries are in the log, the rest are not. The cause says why, as a single append would
 * have: a {@link StreamConflictException} or a storage failure.
 */
public final class PartialAppendException extends RuntimeException {
  private final int appended;

  public PartialAppendException(int appended, RuntimeException cause) {
    super(appended + " entries appended before: " + cause.getMessage(), cause);
    this.appended = appended;
  }

  /** How many of the entries, from the first, are in the log. */
  public int appended() {
    return appended;
  }

  @Override
  public synchronized RuntimeException getCause() {
    return (RuntimeException) super.getCause();
  }
}
