package dev.reprise.run;

/** The chat already has a live run; a client should reconnect to it instead of starting another. */
public final class ChatBusyException extends Exception {
  private static final long serialVersionUID = 1L;

  public ChatBusyException(String chatId) {
    super("chat " + chatId + " already has a live run");
  }
}
