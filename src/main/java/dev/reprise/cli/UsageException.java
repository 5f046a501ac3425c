package dev.reprise.cli;

/**
 * A command's arguments are wrong, or name something that does not exist (an account, a key): the
 * command says so in one line and exits with 2, as for a bad configuration value.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
