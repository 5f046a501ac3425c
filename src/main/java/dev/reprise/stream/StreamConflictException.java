package dev.reprise.stream;

/** An append that the log refused: wrong index, closed or unknown stream. */
public final class StreamConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StreamConflictException(String message) {
    super(message);
  }
}
