package dev.reprise.model;

/** The model failed. The message is shown to the user, so it must never carry a secret. */
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String userMessage) {
    super(userMessage);
  }

  public ModelException(String userMessage, Throwable cause) {
    super(userMessage, cause);
  }
}
