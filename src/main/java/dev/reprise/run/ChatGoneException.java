package dev.reprise.run;

/** The chat was deleted while a run for it was being started. */
public final class ChatGoneException extends Exception {
  private static final long serialVersionUID = 1L;

  public ChatGoneException(String chatId) {
    super("chat " + chatId + " no longer exists");
  }
}
