package dev.reprise.app;

/**
 * The node cannot start for a reason outside its configuration values, such as a port another
 * process holds; the message says what to change, and the command exits with 1.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message) {
    super(message);
  }
}
